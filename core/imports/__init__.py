"""`roost import`: bring runs, artifacts and sweeps from any W&B-compatible server
(docs/import.md)."""
