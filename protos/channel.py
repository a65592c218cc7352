"""What both ends of the front <-> core channel agree on: the metadata key that carries the
shared core secret and the channel's limits. The core's server (core/server.py) and the
clients (protos/clients) read them here, so a client loads nothing of the server."""

from __future__ import annotations

SECRET_METADATA = "x-roost-core-secret"
# Large enough for a 10 MiB file_stream body and its framing.
MAX_MESSAGE_BYTES = 128 * 1024 * 1024
# Frames up to 16 MiB (HTTP/2's maximum): a file_stream body of several hundred KiB crosses in
# one frame instead of dozens of 16 KiB ones.
GRPC_OPTIONS = [("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
                ("grpc.max_frame_size", 16 * 1024 * 1024 - 1)]
