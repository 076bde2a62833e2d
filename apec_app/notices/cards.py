"""The email that gives a card's holder their virtual card (docs/rules.md §8): sent when the card is issued
(制卡完成 for pick-up, 已邮寄 for mail; for 提前制卡 and 换补卡 too), to the email the application gave for
the holder, once per card."""

from __future__ import annotations

from apec_app.domain.events import Event, StatusChanged
from apec_app.services.cards import holder_access
from apec_app.services.messaging import mail
from apec_app.services.unit_of_work import UnitOfWork

ISSUING_ACTIONS = ("card_ready", "mail", "picked_up")
SUBJECT = "【APEC商务旅行卡】您的虚拟APEC商务旅行卡"


def body(link: holder_access.IssuedLink) -> str:
    return (
        f"{link.holder}，您好：\n\n"
        "您的APEC商务旅行卡已制作完成。您可以在手机上出示虚拟卡（含可供边检核验的二维码），"
        "获批经济体有更新时虚拟卡随之更新。\n\n"
        f"打开虚拟卡：{link.url}\n\n"
        "打开时需输入发送到本邮箱的6位验证码。请勿将此链接转发他人。"
    )


def cards_issued(uow: UnitOfWork, events: list[Event]) -> None:
    for event in events:
        if isinstance(event, StatusChanged) and event.action in ISSUING_ACTIONS:
            for link in holder_access.issue_links_for(uow, event.application_id):
                mail.queue_email(uow.db, link.email, SUBJECT, body(link), now=uow.now())
