"""Saved views and reports: the spec kept verbatim, personal and shared workspace views,
reports with drafts, and the view-only access tokens of reports (docs/reports.md)."""
