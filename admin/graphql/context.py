"""What every resolver receives as ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass

from roost.core.auth import Principal
from roost.protos.clients import CoreClient


@dataclass
class GraphQLContext:
    principal: Principal
    core: CoreClient
    base_url: str
