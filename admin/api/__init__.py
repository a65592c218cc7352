"""Blueprints the wandb SDK talks to: GraphQL, file_stream, file transfer, health."""
