"""compose.yaml is a deployment people copy: check its shape without needing Docker."""

import re
from pathlib import Path

import pytest
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


NGINX_CONF = (ROOT / "deploy" / "nginx.conf").read_text()


def test_images_are_pinned():
    for name, service in SERVICES.items():
        image = service.get("image", "")
        if "build" in service or name == "front":  # Roost's own image, built from this tree
            continue
        assert ":" in image and not image.endswith(":latest"), f"{name}: pin {image!r}"


def test_nginx_resolves_the_fronts_again_so_scaled_replicas_are_picked_up():
    # A name in an upstream block is resolved once at start; through a variable, nginx asks
    # Docker's DNS again when the answer is older than `valid`.
    assert re.search(r"^resolver 127\.0\.0\.11 valid=\d+s", NGINX_CONF, re.M)
    assert re.search(r"set \$(\w+) http://front:8080;\s*proxy_pass \$\1;", NGINX_CONF)
    assert not re.search(r"^\s*upstream\b", NGINX_CONF, re.M)
    assert SERVICES["front"]["deploy"]["replicas"] >= 2


def test_every_front_shares_the_core_secret_that_keys_sessions():
    """Sessions and CSRF tokens are signed with a key derived from the core secret, so fronts
    given the same required secret accept each other's cookies and forms."""
    front, core = SERVICES["front"]["environment"], SERVICES["core"]["environment"]
    assert front["ROOST_CORE_SECRET"] == core["ROOST_CORE_SECRET"]
    assert front["ROOST_CORE_SECRET"].startswith("${ROOST_CORE_SECRET:?")
    assert not any("SESSION" in key for key in front)
    assert "ROOST_CORE_SECRET=" in (ROOT / ".env.example").read_text().splitlines()


def test_nginx_accepts_the_proxy_config(tmp_path):
    """Debian's nginx checks deploy/nginx.conf as the compose proxy loads it (conf.d, inside
    http {}); where nginx is not installed the syntax is left to the YAML checks above."""
    import shutil
    import subprocess

    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if nginx is None:
        pytest.skip("nginx is not installed (Debian package nginx)")
    wrapper = tmp_path / "nginx.conf"
    temp = {name: tmp_path / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    wrapper.write_text(
        f"error_log {tmp_path / 'error.log'};\npid {tmp_path / 'nginx.pid'};\nevents {{}}\n"
        "http {\n" + "".join(f"  {name}_temp_path {path};\n" for name, path in
                             [("client_body", temp["body"]), ("proxy", temp["proxy"]),
                              ("fastcgi", temp["fastcgi"]), ("uwsgi", temp["uwsgi"]),
                              ("scgi", temp["scgi"])])
        + f"  access_log off;\n  include {ROOT / 'deploy' / 'nginx.conf'};\n}}\n")
    result = subprocess.run([nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(wrapper)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
