"""Roost's front: the Flask app that speaks wandb's HTTP protocol and serves pages."""
