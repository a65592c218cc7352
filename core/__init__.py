"""Roost's core service: the plugin manager, configuration and gRPC servicers."""

__version__ = "0.1.0"
