"""What the attack sweep got through at the session, replayed against the running app: a tab's state after
sign-out, a stolen tab token, the session cookie seen from script, and oversized or anonymous uploads."""

from __future__ import annotations

import socket
import time
import urllib.parse

import httpx
from playwright.sync_api import Page, expect

from apec_app.pages.detail import DetailState
from apec_app.services.operations.demo_data import DEMO_ENTERPRISE
from apec_app.states.login import LoginState
from apec_app.states.session import SessionState
from apec_app.states.staff import StaffLoginState
from apec_app.states.user_center import UserCenterState
from tests.e2e.helpers import sign_in
from tests.socket_client import Tab

ADMIN = {"username": "admin", "password": "Admin@2026pass"}


def signed_in_tab(base_url: str, **tab) -> Tab:
    t = Tab(base_url, path="/login", **tab).connect()
    form = {"identifier": DEMO_ENTERPRISE["email"], "password": DEMO_ENTERPRISE["password"]}
    t.send(LoginState, "sign_in", {"form": form})
    t.follow()
    t.wait_for(lambda s: t.var(SessionState, "signed_in"))
    return t


def open_detail(tab: Tab) -> dict:
    """An application of the list with people (a 新办/续办 one), opened: what its page holds of them and the unit."""
    tab.navigate("/user")
    rows = tab.wait_for(lambda s: tab.var(UserCenterState, "rows"))
    for row in rows:
        wanted = int(row["id"])
        tab.navigate(f"/user/applications/{wanted}")
        tab.wait_for(lambda s, wanted=wanted: tab.var(DetailState, "application_id") == wanted)
        people = tab.var(DetailState, "people")
        if people and people[0].get("id_number"):
            return {"id_number": people[0]["id_number"], "uscc": tab.var(DetailState, "unit")["uscc"]}
    raise AssertionError("the demo enterprise has no application with people")


def test_what_a_tab_loaded_is_not_sent_to_whoever_signs_in_next(base_url):
    """A opens a detail page, signs out; the admin signs in on the same tab: nothing of A's page comes."""
    tab = signed_in_tab(base_url)
    try:
        secret = open_detail(tab)
        tab.deltas.clear()
        tab.send(SessionState, "sign_out")
        tab.follow()  # /session/end clears the cookie, then /login on a new connection
        assert not tab.cookie("apec_session") and tab.var(SessionState, "signed_in") is False
        tab.send(StaffLoginState, "sign_in", {"form": ADMIN}, path="/staff/login")
        tab.follow()
        tab.wait_for(lambda s: tab.var(SessionState, "principal_kind") == "staff")
        tab.navigate("/user/applications/1")  # A's page as the admin's tab: refused, and empty
        tab.settle(1.5)
        seen = tab.received_text()
        assert secret["id_number"] not in seen and secret["uscc"] not in seen
        assert tab.var(DetailState, "people", []) == []
    finally:
        tab.close()


def test_a_stolen_tab_token_without_the_cookie_gets_nothing(base_url):
    """The tab token travels in the websocket URL (proxy logs have it): presented without A's cookie, the
    state it names is wiped before the hydrate answer is sent."""
    owner = signed_in_tab(base_url)
    try:
        secret = open_detail(owner)
        stolen = owner.token
    finally:
        owner.close()
    with Tab(base_url, token=stolen, path="/user").connect(wait_hydrated=False) as thief:
        thief.settle(2)
        seen = thief.received_text()
        assert secret["id_number"] not in seen and secret["uscc"] not in seen
        assert thief.var(SessionState, "signed_in") is not True


def test_another_users_cookie_with_a_stolen_tab_token_gets_only_its_own(base_url):
    owner = signed_in_tab(base_url)
    try:
        secret = open_detail(owner)
        stolen = owner.token
    finally:
        owner.close()
    with Tab(base_url, path="/staff/login").connect() as other:
        other.send(StaffLoginState, "sign_in", {"form": ADMIN})
        other.follow()
        admin_cookie = other.cookie("apec_session")
    with Tab(base_url, token=stolen, path="/staff", cookies={"apec_session": admin_cookie}).connect() as thief:
        thief.wait_for(lambda s: thief.var(SessionState, "principal_kind") == "staff")
        thief.settle(1)
        seen = thief.received_text()
        assert secret["id_number"] not in seen and secret["uscc"] not in seen


def test_the_session_cookie_is_httponly_and_script_cannot_read_it(page: Page, base_url: str):
    sign_in(page, base_url, DEMO_ENTERPRISE["email"], DEMO_ENTERPRISE["password"])
    cookie = next(c for c in page.context.cookies() if c["name"] == "apec_session")
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict" and len(cookie["value"]) >= 40
    assert "apec_session" not in page.evaluate("document.cookie")
    page.goto(f"{base_url}/user")
    expect(page.get_by_role("heading", name="我的申请单")).to_be_visible(timeout=15000)  # the websocket has it


def test_a_handoff_code_is_good_once_and_the_next_page_stays_on_this_site(base_url):
    tab = Tab(base_url, path="/login").connect()
    try:
        form = {"identifier": DEMO_ENTERPRISE["email"], "password": DEMO_ENTERPRISE["password"]}
        tab.send(LoginState, "sign_in", {"form": form})
        url = tab.navigation()
    finally:
        tab.close()
    forged = url.replace("next=%2F", "next=%2F%2Fevil.example%2F")
    first = httpx.get(forged, follow_redirects=False, timeout=20)
    assert first.status_code == 303 and "apec_session" in first.headers["set-cookie"]
    assert "HttpOnly" in first.headers["set-cookie"] and "SameSite=strict" in first.headers["set-cookie"]
    assert urllib.parse.urlsplit(first.headers["location"]).netloc == urllib.parse.urlsplit(base_url).netloc
    again = httpx.get(url, follow_redirects=False, timeout=20)
    assert again.status_code == 303 and again.headers["location"].endswith("/login")
    assert "apec_session=" not in again.headers.get("set-cookie", "")


def _raw_upload(base_url: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, float]:
    """Send the request line and headers (and `body`), then read the status line: (status, seconds)."""
    parts = urllib.parse.urlsplit(base_url)
    start = time.monotonic()
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as conn:
        lines = ["POST /_upload HTTP/1.1", f"Host: {parts.netloc}", *(f"{k}: {v}" for k, v in headers.items())]
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status_line = conn.makefile("rb").readline().decode()
    return int(status_line.split()[1]), time.monotonic() - start


def test_a_50mb_upload_is_refused_before_its_body_is_read(base_url):
    """Only the headers are sent: the answer comes without the server waiting for the 50 MB."""
    status, seconds = _raw_upload(base_url, {"Content-Length": str(50 * 1024 * 1024),
                                             "Content-Type": "multipart/form-data; boundary=x"})  # fmt: skip
    assert status == 413 and seconds < 5


def test_an_upload_without_a_session_is_refused(base_url):
    body = b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.jpg"\r\n\r\n\xff\xd8\xff\r\n--x--\r\n'
    headers = {"Content-Length": str(len(body)), "Content-Type": "multipart/form-data; boundary=x"}
    assert _raw_upload(base_url, headers, body)[0] == 401
    assert _raw_upload(base_url, {**headers, "Cookie": "apec_session=made-up"}, body)[0] == 401


def test_a_chunked_upload_is_cut_off_past_the_limit(base_url):
    """No declared length (Transfer-Encoding: chunked), a signed-in client, 10 MB sent: 413 once it passes the limit."""
    with Tab(base_url, path="/login").connect() as tab:
        form = {"identifier": DEMO_ENTERPRISE["email"], "password": DEMO_ENTERPRISE["password"]}
        tab.send(LoginState, "sign_in", {"form": form})
        tab.follow()
        cookie = tab.cookie("apec_session")
    parts = urllib.parse.urlsplit(base_url)
    head = "\r\n".join([
        "POST /_upload HTTP/1.1", f"Host: {parts.netloc}", "Transfer-Encoding: chunked",
        "Content-Type: multipart/form-data; boundary=x", f"Cookie: apec_session={cookie}",
        "Reflex-Client-Token: x", "Reflex-Event-Handler: x",
    ])  # fmt: skip
    chunk = b"\0" * (256 * 1024)
    with socket.create_connection((parts.hostname, parts.port), timeout=20) as conn:
        conn.sendall(head.encode() + b"\r\n\r\n")
        try:
            for _ in range(40):
                conn.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: its answer is waiting
        status_line = conn.makefile("rb").readline().decode()
    assert status_line.split()[1] == "413"
