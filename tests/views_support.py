"""What the saved views and reports tests share: a signed-in browser session for the JSON
endpoints (cookie + CSRF header, as the pages send them) and wandb-workspaces scripts."""

from __future__ import annotations

import re

import requests

CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
# wandb-workspaces needs wandb >= 0.28.2: it runs under the newest SDK only.
WORKSPACES_SDK = "0.31.0"


class WebSession:
    """A person signed in through /login, sending JSON with the page's CSRF token."""

    def __init__(self, server, username: str, password: str):
        self.url = server.url
        self.session = requests.Session()
        token = CSRF_INPUT.search(self.session.get(self.url + "/login", timeout=30).text)
        response = self.session.post(self.url + "/login", timeout=30, data={
            "csrf_token": token.group(1), "username": username, "password": password})
        assert response.status_code == 200 and "/login" not in response.url, response.text[-500:]
        self.csrf = CSRF_META.search(self.session.get(self.url + "/", timeout=30).text).group(1)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.url + path, timeout=30, **kwargs)

    def send(self, method: str, path: str, body=None, csrf: bool = True) -> requests.Response:
        headers = {"X-CSRFToken": self.csrf} if csrf else {}
        return self.session.request(method, self.url + path, json=body, headers=headers,
                                    timeout=60)
