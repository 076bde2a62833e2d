import pytest
from sqlmodel import select

from apec_app.models import OutboxEmail
from apec_app.models.base import utcnow
from apec_app.services.accounts import auth
from apec_app.services.errors import NotFound
from apec_app.services.messaging import notifications
from tests.factories import PASSWORD, act, make_agent, make_enterprise


def principal(db, token):
    return auth.resolve_session(db, token, now=utcnow())


def test_message_goes_to_the_creating_account_only_and_email_to_both(db):
    ent = make_enterprise(db)
    agent = make_agent(db, ent)
    other_agent = make_agent(db, ent)
    notifications.notify_creator(
        db,
        enterprise_id=ent.id,
        creator_agent_id=agent.id,
        title="状态变更",
        body="申请单已受理",
        application_id=7,
        now=utcnow(),
    )
    as_agent = principal(db, act(auth.sign_in_agent, db, agent.username, PASSWORD).token)
    as_ent = principal(db, act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token)
    as_other = principal(db, act(auth.sign_in_agent, db, other_agent.username, PASSWORD).token)
    assert [m.title for m in act(notifications.list_messages, db, me=as_agent)[0]] == ["状态变更"]
    assert act(notifications.list_messages, db, me=as_ent)[0] == []
    assert act(notifications.list_messages, db, me=as_other)[0] == []
    recipients = sorted(e.to_address for e in db.exec(select(OutboxEmail)).all())
    assert recipients == sorted([ent.email, agent.email])
    assert "查看详情" in db.exec(select(OutboxEmail)).first().body


def test_enterprise_created_application_emails_only_the_enterprise(db):
    ent = make_enterprise(db)
    notifications.notify_creator(db, enterprise_id=ent.id, creator_agent_id=None, title="t", body="b", now=utcnow())
    assert [e.to_address for e in db.exec(select(OutboxEmail)).all()] == [ent.email]


def test_unread_count_and_mark_read(db):
    ent = make_enterprise(db)
    for i in range(3):
        notifications.notify_creator(
            db, enterprise_id=ent.id, creator_agent_id=None, title=f"t{i}", body="b", now=utcnow()
        )
    me = principal(db, act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token)
    assert act(notifications.unread_count, db, me=me) == 3
    first = act(notifications.list_messages, db, me=me)[0][0]
    act(notifications.mark_read, db, first.id, me=me)
    assert act(notifications.unread_count, db, me=me) == 2
    act(notifications.mark_all_read, db, me=me)
    assert act(notifications.unread_count, db, me=me) == 0


def test_nobody_else_can_mark_a_message(db):
    ent = make_enterprise(db)
    message = notifications.notify_creator(
        db, enterprise_id=ent.id, creator_agent_id=None, title="t", body="b", now=utcnow()
    )
    db.flush()
    other = make_enterprise(db)
    intruder = principal(db, act(auth.sign_in_enterprise, db, other.email, PASSWORD).token)
    with pytest.raises(NotFound):
        act(notifications.mark_read, db, message.id, me=intruder)
    assert message.read_at is None


def test_pagination_is_ten_per_page_newest_first(db):
    ent = make_enterprise(db)
    for i in range(12):
        notifications.notify_creator(
            db, enterprise_id=ent.id, creator_agent_id=None, title=f"t{i}", body="b", now=utcnow()
        )
    me = principal(db, act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token)
    page1, total = act(notifications.list_messages, db, 1, me=me)
    page2, _ = act(notifications.list_messages, db, 2, me=me)
    assert total == 12 and len(page1) == 10 and len(page2) == 2
    assert page1[0].title == "t11"


def test_the_kept_unread_count_follows_every_message_written_or_read(engine):
    """The header's count is kept between page loads, yet a message written or read (committed or not yet) shows
    at once: counted in the transaction that changed it, and again after it committed or rolled back."""
    from sqlmodel import Session

    from tests.factories import uow_for

    def count(session, me) -> int:
        return notifications.cached_unread_count(uow_for(session, me))

    def message(session, ent) -> None:
        notifications.notify_creator(session, enterprise_id=ent.id, creator_agent_id=None, title="t", body="b",
                                     now=utcnow())  # fmt: skip

    with Session(engine, expire_on_commit=False) as db:
        ent = make_enterprise(db)
        me = principal(db, act(auth.sign_in_enterprise, db, ent.email, PASSWORD).token)
        db.commit()
        assert count(db, me) == 0
        message(db, ent)
        assert count(db, me) == 1  # in the writing transaction
        db.commit()
    with Session(engine) as reader:
        assert count(reader, me) == 1
        with Session(engine) as writer:  # another event writes while the count is kept
            message(writer, ent)
            writer.commit()
        reader.rollback()
        assert count(reader, me) == 2
        with Session(engine) as writer:  # a write that is rolled back: counted again, still 2
            message(writer, ent)
            assert count(writer, me) == 3
            writer.rollback()
        assert count(reader, me) == 2
        act(notifications.mark_all_read, reader, me=me)
        reader.commit()
    with Session(engine) as db:
        assert count(db, me) == 0
