"""Artifacts: versioned, content-addressed file sets (see docs/artifacts.md)."""
