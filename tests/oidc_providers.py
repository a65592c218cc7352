"""OpenID providers on 127.0.0.1 for the OIDC tests.

- ``MockProvider``: the real ``oidc-provider-mock`` server (PyPI) as a process of its own:
  discovery, JWKS, authorization (a page with a button per predefined user), token, userinfo
  and end_session. A user's claims change between sign-ins with ``set_claims``.
- ``RiggedProvider``: a tiny provider in this process whose token endpoint answers what a test
  asks for (an ID token signed by another key, expired, with another nonce, ...), signed with
  joserfc as a real provider would. Its authorization endpoint sends the browser straight
  back with a code.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness import free_port, stop_process_group


class MockProvider:
    def __init__(self, users: list[dict], log_path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = [sys.executable, "-m", "oidc_provider_mock", "--port", str(self.port),
                "--require-nonce", "true"]
        for claims in users:
            argv += ["--user-claims", json.dumps(claims)]
        self._log = open(log_path, "ab")
        self.process = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/.well-known/openid-configuration",
                                            timeout=2):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"oidc-provider-mock did not start; see {log_path}")
                time.sleep(0.2)

    def set_claims(self, sub: str, claims: dict) -> None:
        request = urllib.request.Request(f"{self.url}/users/{sub}", method="PUT",
                                         data=json.dumps(claims).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 204

    def stop(self) -> None:
        stop_process_group(self.process)
        self._log.close()


class RiggedProvider:
    """Answers the token request with ``self.next_token(claims, nonce)``'s ID token."""

    def __init__(self, client_id: str):
        from joserfc.jwk import RSAKey

        self.client_id = client_id
        self.key = RSAKey.generate_key(2048, parameters={"kid": "good", "use": "sig"})
        self.other_key = RSAKey.generate_key(2048, parameters={"kid": "good", "use": "sig"})
        self.mode = "good"
        self.claims = {"sub": "rig-1", "email": "rig@example.org", "name": "Rig Person",
                       "preferred_username": "rig"}
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def id_token(self, nonce: str) -> str:
        from joserfc import jwt

        now = int(time.time())
        claims = {"iss": self.url, "aud": self.client_id, "iat": now, "exp": now + 300,
                  "nonce": nonce, **self.claims}
        key = self.key
        if self.mode == "other-key":
            key = self.other_key  # same kid, another key: the signature must not verify
        elif self.mode == "expired":
            claims.update(iat=now - 7200, exp=now - 3600)
        elif self.mode == "wrong-nonce":
            claims["nonce"] = "not-the-nonce-roost-sent"
        elif self.mode == "wrong-audience":
            claims["aud"] = "another-client"
        elif self.mode == "wrong-issuer":
            claims["iss"] = "https://evil.example.org"
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body: dict, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                parsed = urllib.parse.urlparse(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query))
                if parsed.path == "/.well-known/openid-configuration":
                    return self._json({
                        "issuer": provider.url,
                        "authorization_endpoint": provider.url + "/authorize",
                        "token_endpoint": provider.url + "/token",
                        "jwks_uri": provider.url + "/jwks",
                        "response_types_supported": ["code"],
                        "id_token_signing_alg_values_supported": ["RS256"],
                        "token_endpoint_auth_methods_supported": ["client_secret_basic"]})
                if parsed.path == "/jwks":
                    return self._json({"keys": [provider.key.as_dict(private=False)]})
                if parsed.path == "/authorize":
                    code = f"code-{len(provider.codes)}"
                    provider.codes[code] = query
                    target = query["redirect_uri"] + "?" + urllib.parse.urlencode(
                        {"code": code, "state": query.get("state", "")})
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                    return None
                self._json({"error": "not_found"}, 404)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                provider.token_requests.append(form)
                asked = provider.codes.pop(form.get("code", ""), None)
                if asked is None:
                    return self._json({"error": "invalid_grant"}, 400)
                return self._json({"access_token": "at-" + form["code"], "token_type": "Bearer",
                                   "expires_in": 300,
                                   "id_token": provider.id_token(asked.get("nonce", ""))})

        return Handler

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
