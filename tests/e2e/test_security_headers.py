"""Security headers on every kind of HTTP response the single-port server gives: pages, static assets, the
private file route and the simulated e-licence page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import APIRequestContext

EXPECTED = {"x-content-type-options": "nosniff", "x-frame-options": "DENY"}
# A route may set a stricter policy of its own (the e-licence page sends none at all).
REFERRER = {"same-origin", "no-referrer"}


@pytest.fixture()
def http(playwright, base_url) -> APIRequestContext:
    context = playwright.request.new_context(base_url=base_url)
    yield context
    context.dispose()


PATHS = ["/", "/login", "/user", "/staff/login", "/files/not-a-token", "/elicense-sim/authorize"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(http, path):
    response = http.get(path, max_redirects=0)
    headers = response.headers
    for name, value in EXPECTED.items():
        assert headers.get(name) == value, (path, name)
    assert headers.get("referrer-policy") in REFERRER
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy and "default-src 'self'" in policy


def test_static_assets_too(http):
    html = http.get("/login").text()
    asset = re.search(r"/assets/[\w.-]+\.js", html)
    assert asset, "the page links no script asset"
    response = http.get(asset.group(0))
    assert response.ok and response.headers.get("x-content-type-options") == "nosniff"
