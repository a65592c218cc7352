"""compose.yaml is a deployment people copy: check its shape without needing Docker."""

import re
from pathlib import Path

import yaml

from roost.core.cli import option_registry
from roost.core.pluginmanager import make_plugin_manager

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]


def roost_environment():
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if key.startswith("ROOST_"):
                yield name, key, str(value)


def test_services_and_health_checks():
    assert {"postgres", "minio", "core", "front", "proxy"} <= set(SERVICES)
    for name, service in SERVICES.items():
        assert "healthcheck" in service, f"service {name} has no health check"
        assert service["healthcheck"]["test"], name


def test_front_is_replicated_behind_the_proxy():
    assert SERVICES["front"]["deploy"]["replicas"] >= 2
    assert "ports" not in SERVICES["front"], "fronts are reached through the proxy only"
    assert SERVICES["proxy"]["ports"]


def test_the_core_keeps_media_in_minio():
    environment = SERVICES["core"]["environment"]
    assert environment["ROOST_MEDIA"] == "minio"
    assert environment["ROOST_MINIO_ENDPOINT"] == "minio:9000"
    assert "minio" in SERVICES["core"]["depends_on"]


def test_every_roost_variable_is_one_roost_reads():
    options = option_registry(make_plugin_manager(load_entrypoints=False))
    known = {option.env_var for option in options}
    unknown = {(service, key) for service, key, _ in roost_environment() if key not in known}
    assert not unknown, f"compose.yaml sets variables Roost does not read: {sorted(unknown)}"


def test_secrets_come_from_env_file_without_defaults():
    secret = re.compile(r"SECRET|PASSWORD|SIGNING_KEY|ACCESS_KEY|SECRET_KEY|ROOT_USER")
    for name, service in SERVICES.items():
        for key, value in (service.get("environment") or {}).items():
            if secret.search(key):
                assert re.fullmatch(r"\$\{[A-Z_]+:\?[^}]+\}", str(value)), (
                    f"{name}.{key} must be required from .env (${{VAR:?message}}), not defaulted")
    example = (ROOT / ".env.example").read_text()
    for line in example.splitlines():
        if line and not line.startswith("#") and secret.search(line.split("=")[0]):
            assert line.endswith("="), f".env.example ships a value for {line.split('=')[0]}"
