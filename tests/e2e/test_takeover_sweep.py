"""The two account takeovers an outside attack sweep performed against the demo run command, replayed against
the running app over its real websocket and HTTP routes: both now fail."""

from __future__ import annotations

import socket
import urllib.parse

import httpx
import pytest

from apec_app.services.operations.demo_data import DEMO_ENTERPRISE
from apec_app.states.forgot import ForgotState
from apec_app.states.login import LoginState
from apec_app.states.mailbox import MailboxState
from apec_app.states.session import SessionState
from apec_app.states.staff import StaffLoginState
from tests.socket_client import Tab

VICTIM = DEMO_ENTERPRISE


def qr_link(tab: Tab, state) -> str:
    return tab.wait_for(lambda s: tab.var(state, "qr_link"))


def post_authorisation(link: str, **fields) -> httpx.Response:
    """What the sweep did: a POST to the QR code's URL with form fields of its choosing."""
    parts = urllib.parse.urlsplit(link)
    nonce = urllib.parse.parse_qs(parts.query)["nonce"][0]
    return httpx.post(f"{parts.scheme}://{parts.netloc}{parts.path}?nonce={nonce}", data=fields, timeout=20)


def test_qr_sign_in_with_only_the_victims_credit_code_is_refused(base_url):
    with Tab(base_url, path="/login").connect() as tab:
        tab.send(LoginState, "toggle_qr")
        answer = post_authorisation(qr_link(tab, LoginState), name="随便", uscc=VICTIM["uscc"], legal_rep="随便")
        assert answer.status_code == 403 and "授权成功" not in answer.text
        assert tab.wait_for(lambda s: tab.var(LoginState, "qr_status") == "refused")
        tab.settle(1.5)
        assert tab.var(SessionState, "signed_in") is False
        assert not tab.cookie("apec_session") and "session/start" not in tab.received_text()
        assert "不一致" in tab.var(LoginState, "qr_error")


def test_qr_recovery_with_only_the_victims_credit_code_reaches_no_account(base_url):
    """The platform's answer and 安全验证 are the same for any licence (no enumeration); the code step is where
    it ends: no code for the victim's address, and none verifies."""
    with Tab(base_url, path="/forgot-password").connect() as tab:
        answer = post_authorisation(qr_link(tab, ForgotState), name="随便", uscc=VICTIM["uscc"], legal_rep="随便")
        assert answer.status_code == 200
        tab.wait_for(lambda s: tab.var(ForgotState, "step") == 2)
        tab.send(ForgotState, "send_code")
        tab.send(ForgotState, "verify_code", {"form": {"code": "123456"}})
        errors = tab.wait_for(lambda s: tab.var(ForgotState, "errors"))
        assert "验证码错误" in errors.get("code", "") and tab.var(ForgotState, "step") == 2


def test_the_mailbox_gives_an_anonymous_socket_and_an_enterprise_nothing(base_url):
    with Tab(base_url, path="/dev/mailbox").connect() as tab:
        tab.send(MailboxState, "load")
        tab.wait_for(lambda s: tab.var(MailboxState, "refused") == "admin")
        assert tab.var(MailboxState, "rows") == []
        tab.send(LoginState, "sign_in", {"form": {"identifier": "demo@example.com", "password": "Demo@2026pass"}},
                 path="/login")  # fmt: skip
        tab.follow()
        tab.wait_for(lambda s: tab.var(SessionState, "signed_in"))
        tab.send(MailboxState, "load", path="/dev/mailbox")
        tab.settle(1)
        assert tab.var(MailboxState, "rows") == [] and tab.var(MailboxState, "refused") == "admin"
        assert "验证码" not in tab.received_text()


def sign_in_admin(tab: Tab) -> None:
    tab.send(StaffLoginState, "sign_in", {"form": {"username": "admin", "password": "Admin@2026pass"}},
             path="/staff/login")  # fmt: skip
    tab.follow()
    tab.wait_for(lambda s: tab.var(SessionState, "signed_in"))


def test_the_mailbox_answers_a_local_admin_but_not_a_remote_one(base_url):
    with Tab(base_url, path="/staff/login").connect() as tab:
        sign_in_admin(tab)
        tab.send(MailboxState, "load", path="/dev/mailbox")
        assert tab.wait_for(lambda s: tab.var(MailboxState, "rows"))
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to connect from")
    port = urllib.parse.urlsplit(base_url).port
    # Connected to the machine's own network address, so the server sees a non-loopback client.
    with Tab(f"http://{address}:{port}", path="/staff/login", headers={"Origin": base_url}).connect() as tab:
        sign_in_admin(tab)
        tab.send(MailboxState, "load", path="/dev/mailbox")
        tab.wait_for(lambda s: tab.var(MailboxState, "refused") == "remote")
        assert tab.var(MailboxState, "rows") == []


def test_the_recovery_takeover_fails_at_the_code_step(base_url):
    """忘记密码 → 手动输入信息 with the public 三要素 → 发送验证码 → read the code from the mailbox: no code comes."""
    with Tab(base_url, path="/forgot-password").connect() as tab:
        tab.send(ForgotState, "set_mode", {"mode": "manual"})
        form = {"name": VICTIM["name"], "uscc": VICTIM["uscc"], "legal_rep": VICTIM["legal_rep"]}
        tab.send(ForgotState, "confirm_identity", {"form": form})
        tab.wait_for(lambda s: tab.var(ForgotState, "step") == 2)
        tab.send(ForgotState, "send_code")
        tab.send(MailboxState, "load", path="/dev/mailbox")
        tab.wait_for(lambda s: tab.var(MailboxState, "refused") == "admin")
        assert tab.var(MailboxState, "rows") == [] and "验证码是" not in tab.received_text()
        tab.send(ForgotState, "verify_code", {"form": {"code": "123456"}}, path="/forgot-password")
        tab.wait_for(lambda s: tab.var(ForgotState, "errors"))
        assert tab.var(ForgotState, "step") == 2


def _non_loopback_address() -> str | None:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            address = s.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address
