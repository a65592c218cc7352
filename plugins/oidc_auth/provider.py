"""One OpenID provider as Roost sees it: its discovery document, its signing keys (JWKS), the
code exchange (authorization code with PKCE) and the verification of ID tokens.

Discovery is read from ``<issuer>/.well-known/openid-configuration`` and kept for an hour;
the JWKS is kept until a token names a key it does not hold (the provider rotated its keys),
then fetched again, at most once every ``REFETCH_SECONDS`` so a stream of forged key ids
cannot make Roost hammer the provider.
"""

from __future__ import annotations

import threading
import time

import requests
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

DISCOVERY_SECONDS = 3600
REFETCH_SECONDS = 5
# Clock difference tolerated between Roost and the provider.
LEEWAY_SECONDS = 60
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
              "EdDSA"]


class ProviderError(Exception):
    """The provider could not be reached or answered something unusable."""


class TokenRejected(Exception):
    """An ID token that must not sign anyone in; the message says why."""


class Provider:
    def __init__(self, issuer: str, client_id: str, client_secret: str, timeout: float = 10):
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = timeout
        self._lock = threading.Lock()
        self._discovery: dict | None = None
        self._discovered_at = 0.0
        self._keys: KeySet | None = None
        self._keys_at = 0.0

    # -- documents ---------------------------------------------------------------------------
    def _get_json(self, url: str) -> dict:
        try:
            response = requests.get(url, timeout=self.timeout)
        except requests.RequestException as exc:
            raise ProviderError(f"{url} did not answer: {exc}") from None
        if response.status_code != 200:
            raise ProviderError(f"{url} answered HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise ProviderError(f"{url} did not answer JSON") from None

    def discovery(self) -> dict:
        with self._lock:
            if self._discovery is None or time.time() - self._discovered_at > DISCOVERY_SECONDS:
                document = self._get_json(self.issuer + "/.well-known/openid-configuration")
                if str(document.get("issuer", "")).rstrip("/") != self.issuer:
                    raise ProviderError(f"the discovery document names issuer "
                                        f"{document.get('issuer')!r}, not {self.issuer!r}")
                for field in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                    if not document.get(field):
                        raise ProviderError(f"the discovery document has no {field}")
                self._discovery, self._discovered_at = document, time.time()
            return self._discovery

    def _key_set(self, refresh: bool = False) -> KeySet:
        with self._lock:
            if self._keys is not None and (
                    not refresh or time.time() - self._keys_at <= REFETCH_SECONDS):
                return self._keys
        url = self.discovery()["jwks_uri"]
        try:
            keys = KeySet.import_key_set(self._get_json(url))
        except (ValueError, JoseError, KeyError, TypeError) as exc:
            raise ProviderError(f"the provider's JWKS ({url}) is unusable: {exc}") from None
        with self._lock:
            self._keys, self._keys_at = keys, time.time()
        return keys

    # -- the code exchange -------------------------------------------------------------------
    def exchange_code(self, code: str, code_verifier: str, redirect_uri: str) -> dict:
        """The token response for an authorization code (``id_token``, ``access_token``)."""
        from authlib.integrations.requests_client import OAuth2Session
        from authlib.integrations.base_client.errors import OAuthError

        endpoint = self.discovery()["token_endpoint"]
        methods = self.discovery().get("token_endpoint_auth_methods_supported") or [
            "client_secret_basic"]
        auth_method = ("client_secret_basic" if "client_secret_basic" in methods
                       else "client_secret_post")
        with OAuth2Session(self.client_id, self.client_secret, redirect_uri=redirect_uri,
                           token_endpoint_auth_method=auth_method) as client:
            try:
                token = client.fetch_token(endpoint, grant_type="authorization_code", code=code,
                                           code_verifier=code_verifier, timeout=self.timeout)
            except OAuthError as exc:
                raise TokenRejected(f"the provider refused the code: {exc.description or exc.error}"
                                    ) from None
            except requests.RequestException as exc:
                raise ProviderError(f"the token endpoint did not answer: {exc}") from None
            except ValueError as exc:
                raise ProviderError(f"the token endpoint answered something unusable: {exc}"
                                    ) from None
        if not token.get("id_token"):
            raise TokenRejected("the provider's answer has no ID token (is 'openid' in the "
                                "scopes?)")
        return dict(token)

    def userinfo(self, access_token: str) -> dict:
        endpoint = self.discovery().get("userinfo_endpoint")
        if not endpoint or not access_token:
            return {}
        try:
            response = requests.get(endpoint, timeout=self.timeout,
                                    headers={"Authorization": f"Bearer {access_token}"})
        except requests.RequestException as exc:
            raise ProviderError(f"the userinfo endpoint did not answer: {exc}") from None
        if response.status_code != 200:
            return {}
        try:
            return response.json()
        except ValueError:
            return {}

    # -- ID tokens ---------------------------------------------------------------------------
    def verify_id_token(self, id_token: str, nonce: str) -> dict:
        """The token's claims once its signature (the provider's JWKS), issuer, audience,
        expiry and nonce hold; TokenRejected says which did not."""
        try:
            token = jwt.decode(id_token, self._key_set(), algorithms=ALGORITHMS)
        except JoseError as exc:
            if exc.error not in ("invalid_key_id", "bad_signature"):
                raise TokenRejected(f"the ID token cannot be read: {exc}") from None
            # A key id we do not hold: the provider may have rotated its keys. Fetch again.
            try:
                token = jwt.decode(id_token, self._key_set(refresh=True), algorithms=ALGORITHMS)
            except JoseError as again:
                raise TokenRejected(f"the ID token's signature does not verify against the "
                                    f"provider's keys ({again})") from None
        except ValueError as exc:
            raise TokenRejected(f"the ID token cannot be read: {exc}") from None
        claims = dict(token.claims)
        now = time.time()
        if str(claims.get("iss", "")).rstrip("/") != self.issuer:
            raise TokenRejected(f"the ID token comes from issuer {claims.get('iss')!r}, not "
                                f"{self.issuer!r}")
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.client_id not in audiences:
            raise TokenRejected("the ID token was issued for another client (audience "
                                f"{audience!r})")
        if len(audiences) > 1 and claims.get("azp") not in (None, self.client_id):
            raise TokenRejected("the ID token's authorized party is another client")
        if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] + LEEWAY_SECONDS < now:
            raise TokenRejected("the ID token has expired; sign in again")
        if isinstance(claims.get("iat"), (int, float)) and claims["iat"] - LEEWAY_SECONDS > now:
            raise TokenRejected("the ID token was issued in the future (check the clocks)")
        if not nonce or claims.get("nonce") != nonce:
            raise TokenRejected("the ID token's nonce does not match this sign-in (a replayed "
                                "or forged response)")
        if not claims.get("sub"):
            raise TokenRejected("the ID token names no subject")
        return claims
