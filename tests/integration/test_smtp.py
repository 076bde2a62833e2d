"""Email through a real SMTP server (aiosmtpd on 127.0.0.1), including an outage."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from apec_app.integrations.smtp import smtp_sender
from apec_app.models import OutboxEmail
from apec_app.models.base import utcnow
from apec_app.services.accounts import codes
from apec_app.services.messaging import mail
from apec_app.settings import get_settings
from tests.factories import act


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def smtp_server():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox, port
    try:
        controller.stop()
    except Exception:  # noqa: BLE001 - already stopped by the test
        pass


def body_text(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def test_verification_code_email_arrives_over_smtp(db, smtp_server):
    controller, inbox, port = smtp_server
    sender = smtp_sender(replace(get_settings(), smtp_host="127.0.0.1", smtp_port=port))
    act(codes.send_code, db, "register", "new@example.com")
    db.commit()
    assert mail.deliver_due(db, sender, now=utcnow()) == {"sent": 1, "failed": 0, "kept": 0}
    ((rcpts, message),) = inbox.messages
    assert rcpts == ["new@example.com"]
    assert str(make_header(decode_header(message["Subject"]))) == "【APEC商务旅行卡】企业账号注册验证码"
    assert "您的验证码是" in body_text(message)


def test_smtp_outage_delays_mail_and_loses_none(db, smtp_server):
    controller, inbox, port = smtp_server
    sender = smtp_sender(replace(get_settings(), smtp_host="127.0.0.1", smtp_port=port))
    controller.stop()
    mail.queue_email(db, "a@example.com", "状态变更", "您的申请单状态已变更", now=utcnow())
    db.commit()
    now = utcnow()
    assert mail.deliver_due(db, sender, now=now)["failed"] == 1
    row = db.exec(select(OutboxEmail)).one()
    assert row.sent_at is None and row.attempts == 1
    restarted = Controller(inbox, hostname="127.0.0.1", port=port)  # the server comes back
    restarted.start()
    try:
        assert mail.deliver_due(db, sender, now=now + timedelta(minutes=1))["sent"] == 1
        assert [r for r, _ in inbox.messages] == [["a@example.com"]]
    finally:
        restarted.stop()
