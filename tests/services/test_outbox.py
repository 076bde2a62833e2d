from datetime import timedelta

from sqlmodel import Session, select

from apec_app.models import OutboxEmail
from apec_app.models.base import utcnow
from apec_app.services.messaging import mail


def test_without_smtp_mail_is_kept_for_the_development_mailbox(db):
    mail.queue_email(db, "a@example.com", "主题", "正文", now=utcnow())
    db.commit()
    assert mail.deliver_due(db, None, now=utcnow()) == {"sent": 0, "failed": 0, "kept": 1}
    row = db.exec(select(OutboxEmail)).one()
    assert row.kept and row.sent_at is None


def test_failed_delivery_is_retried_later_and_then_sent(db):
    mail.queue_email(db, "a@example.com", "主题", "正文", now=utcnow())
    db.commit()
    calls = []

    def broken(to, subject, body):
        calls.append(to)
        raise ConnectionRefusedError("smtp down")

    now = utcnow()
    assert mail.deliver_due(db, broken, now=now)["failed"] == 1
    row = db.exec(select(OutboxEmail)).one()
    assert row.sent_at is None and row.attempts == 1 and "smtp down" in row.last_error
    assert mail.deliver_due(db, broken, now=now + timedelta(seconds=1))["failed"] == 0  # not due yet
    sent = []
    assert mail.deliver_due(db, lambda *a: sent.append(a), now=now + timedelta(seconds=20))["sent"] == 1
    assert sent == [("a@example.com", "主题", "正文")]
    assert db.exec(select(OutboxEmail)).one().sent_at is not None


def test_a_claimed_row_is_not_sent_by_a_second_worker(engine):
    with Session(engine) as db:
        mail.queue_email(db, "a@example.com", "主题", "正文", now=utcnow())
        db.commit()
        email_id = db.exec(select(OutboxEmail.id)).one()
    now = utcnow()
    with Session(engine) as worker_a, Session(engine) as worker_b:
        assert mail._claim(worker_a, email_id, now)
        assert not mail._claim(worker_b, email_id, now)
        sent = []
        assert mail.deliver_due(worker_b, lambda *a: sent.append(a), now=now)["sent"] == 0
        assert sent == []


def test_backoff_grows_and_is_capped():
    assert mail.backoff(1) < mail.backoff(2) < mail.backoff(3)
    assert mail.backoff(30) == mail.MAX_BACKOFF
