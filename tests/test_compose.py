"""compose.yaml is a deployment people copy: check its shape without needing Docker."""

import os
import re
import shutil
import subprocess
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
                # Required, or an optional sign-in source's secret that is empty by default.
                assert re.fullmatch(r"\$\{[A-Z_]+(:\?[^}]+|:-)\}", str(value)), (
                    f"{name}.{key} must come from .env (${{VAR:?message}}), never a default value")
    example = (ROOT / ".env.example").read_text()
    for line in example.splitlines():
        if line and not line.startswith("#") and secret.search(line.split("=")[0]):
            assert line.endswith("="), f".env.example ships a value for {line.split('=')[0]}"


NGINX_CONF = (ROOT / "deploy" / "nginx.conf").read_text()
PROXY_CONF = (ROOT / "deploy" / "nginx" / "proxy-front.conf").read_text()


def test_images_are_pinned():
    for name, service in SERVICES.items():
        image = service.get("image", "")
        if "build" in service or name == "front":  # Roost's own image, built from this tree
            continue
        assert ":" in image and not image.endswith(":latest"), f"{name}: pin {image!r}"


def test_nginx_resolves_the_fronts_again_so_scaled_replicas_are_picked_up():
    # A name in an upstream block is resolved once at start; through a variable, nginx asks
    # Docker's DNS again when the answer is older than `valid`.
    for site in ("nginx.conf", "nginx-tls.conf"):
        text = (ROOT / "deploy" / site).read_text()
        assert re.search(r"^resolver 127\.0\.0\.11 valid=\d+s", text, re.M), site
        assert "include /etc/nginx/roost/proxy-front.conf;" in text, site
        assert not re.search(r"^\s*upstream\b", text, re.M), site
    assert re.search(r"set \$(\w+) http://front:8080;\s*proxy_pass \$\1;", PROXY_CONF)
    assert not re.search(r"^\s*upstream\b", PROXY_CONF, re.M)
    assert SERVICES["front"]["deploy"]["replicas"] >= 2
    assert "./deploy/nginx:/etc/nginx/roost:ro" in SERVICES["proxy"]["volumes"]


def test_two_cores_by_default_reached_through_one_name():
    """The cores share everything through the database and the object store, so compose runs
    two, and each front balances over every address the name ``core`` resolves to."""
    assert SERVICES["core"]["deploy"]["replicas"] >= 2
    assert SERVICES["front"]["environment"]["ROOST_CORE_ADDRESS"] == "core:50051"
    assert SERVICES["core"]["environment"]["ROOST_DATABASE_URL"].startswith("postgresql://")


def test_sign_in_sources_are_shown_and_off_by_default():
    core, front = SERVICES["core"]["environment"], SERVICES["front"]["environment"]
    for key in ("ROOST_LDAP_URL", "ROOST_OIDC_ISSUER", "ROOST_OIDC_CLIENT_ID",
                "ROOST_OIDC_CLIENT_SECRET"):
        assert core[key] == "${%s:-}" % key
    assert front["ROOST_OIDC_ISSUER"] == "${ROOST_OIDC_ISSUER:-}"  # the sign-in redirect


def test_every_front_shares_the_core_secret_that_keys_sessions():
    """Sessions and CSRF tokens are signed with a key derived from the core secret, so fronts
    given the same required secret accept each other's cookies and forms."""
    front, core = SERVICES["front"]["environment"], SERVICES["core"]["environment"]
    assert front["ROOST_CORE_SECRET"] == core["ROOST_CORE_SECRET"]
    assert front["ROOST_CORE_SECRET"].startswith("${ROOST_CORE_SECRET:?")
    assert not any("SESSION" in key for key in front)
    assert "ROOST_CORE_SECRET=" in (ROOT / ".env.example").read_text().splitlines()


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def nginx_check(tmp_path: Path, site: str) -> subprocess.CompletedProcess:
    """``nginx -t`` of a site config as the compose proxy loads it (conf.d, inside http {}),
    with the mounted /etc/nginx/roost/ and /etc/nginx/certs/ pointed at local directories."""
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian package nginx)")
    text = (ROOT / "deploy" / site).read_text().replace(
        "/etc/nginx/roost/", f"{ROOT / 'deploy' / 'nginx'}/").replace(
        "/etc/nginx/certs/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(text)
    wrapper = tmp_path / "nginx.conf"
    wrapper.write_text(
        f"error_log {tmp_path / 'error.log'};\npid {tmp_path / 'nginx.pid'};\nevents {{}}\n"
        "http {\n" + "".join(f"  {kind}_temp_path {tmp_path / kind};\n"
                             for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"  access_log off;\n  include {tmp_path / 'site.conf'};\n}}\n")
    return subprocess.run([NGINX, "-t", "-q", "-p", str(tmp_path), "-c", str(wrapper)],
                          capture_output=True, text=True, timeout=30)


def test_nginx_accepts_the_proxy_config(tmp_path):
    result = nginx_check(tmp_path, "nginx.conf")
    assert result.returncode == 0, result.stderr


def test_nginx_accepts_the_tls_config_with_certificates_from_a_volume(tmp_path):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=roost.example.org", "-keyout", str(tmp_path / "privkey.pem"),
                    "-out", str(tmp_path / "fullchain.pem")],
                   check=True, capture_output=True, timeout=60)
    result = nginx_check(tmp_path, "nginx-tls.conf")
    assert result.returncode == 0, result.stderr
    tls = (ROOT / "deploy" / "nginx-tls.conf").read_text()
    assert "return 301 https://" in tls and "include /etc/nginx/roost/proxy-front.conf" in tls
    override = yaml.safe_load((ROOT / "deploy" / "compose.tls.yaml").read_text())
    volumes = override["services"]["proxy"]["volumes"]
    assert any(v.endswith(":/etc/nginx/certs:ro") and v.startswith("${ROOST_TLS_CERT_DIR:?")
               for v in volumes)


# Values for compose's required variables, as .env would give them.
COMPOSE_ENV = {"POSTGRES_PASSWORD": "pg-secret", "MINIO_ROOT_USER": "minio-user",
               "MINIO_ROOT_PASSWORD": "minio-secret", "ROOST_CORE_SECRET": "core-secret",
               "ROOST_SIGNING_KEY": "signing-key", "ROOST_MINIO_PUBLIC_URL": "http://lab:9000",
               "ROOST_TLS_CERT_DIR": "/srv/certs"}


def docker_compose_config(*files: str, env: dict) -> subprocess.CompletedProcess:
    command = shutil.which("docker-compose")
    if command is None:
        pytest.skip("docker-compose is not installed (Debian package docker-compose)")
    arguments = [command, "--project-directory", str(ROOT)]
    for name in files:
        arguments += ["-f", str(ROOT / name)]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ROOST_", "POSTGRES_",
                                                                     "MINIO_"))}
    return subprocess.run(arguments + ["config"], capture_output=True, text=True, timeout=60,
                           env=clean | env, cwd=ROOT)


def test_docker_compose_accepts_the_deployment_and_its_tls_variant():
    plain = docker_compose_config("compose.yaml", env=COMPOSE_ENV)
    assert plain.returncode == 0, plain.stderr
    resolved = yaml.safe_load(plain.stdout)["services"]
    assert resolved["core"]["environment"]["ROOST_CORE_SECRET"] == "core-secret"
    assert resolved["core"]["environment"]["ROOST_LDAP_URL"] == ""  # shown, off by default
    tls = docker_compose_config("compose.yaml", "deploy/compose.tls.yaml", env=COMPOSE_ENV)
    assert tls.returncode == 0, tls.stderr
    proxy = yaml.safe_load(tls.stdout)["services"]["proxy"]
    assert any("/etc/nginx/certs" in str(volume) for volume in proxy["volumes"])


def test_docker_compose_refuses_to_start_without_the_secrets():
    missing = {k: v for k, v in COMPOSE_ENV.items() if k != "ROOST_CORE_SECRET"}
    result = docker_compose_config("compose.yaml", env=missing)
    assert result.returncode != 0 and "set ROOST_CORE_SECRET in .env" in result.stderr
