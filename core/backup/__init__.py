"""`roost export` and `roost restore`: the whole instance as one engine-independent archive
(docs/deploy.md, "Export and restore")."""
