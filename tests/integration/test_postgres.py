"""The same migrations and services on a real PostgreSQL server (127.0.0.1:5432, see scripts/services.sh)."""

from __future__ import annotations

from sqlmodel import Session, select

from apec_app.db import make_engine
from apec_app.models import Enterprise
from apec_app.models.base import utcnow
from apec_app.services.accounts import auth, elicense
from apec_app.services.messaging import mail
from apec_app.settings import database_url
from tests.factories import PASSWORD, act, make_enterprise, new_uscc, platform_answer, register, uow_for


def test_registration_and_sign_in_on_postgres(pg_engine):
    with Session(pg_engine, expire_on_commit=False) as db:
        nonce = act(elicense.start, db, "register")
        number = new_uscc()
        platform_answer(db, nonce, "PG测试有限公司", number, "张三")
        db.commit()
        ent = register(db, nonce, email="pg@example.com")
        db.commit()
        assert db.exec(select(Enterprise).where(Enterprise.uscc == number)).one().id == ent.id
        result = act(auth.sign_in_enterprise, db, "pg@example.com", "New#Pass2026x")
        db.commit()
        assert result.ok and auth.resolve_session(db, result.token, now=utcnow()) is not None
        created = db.exec(select(Enterprise.created_at).where(Enterprise.id == ent.id)).one()
        assert created.tzinfo is not None


def test_outbox_claim_is_exclusive_on_postgres(pg_engine):
    with Session(pg_engine) as db:
        make_enterprise(db)
        row = mail.queue_email(db, "a@example.com", "主题", "正文", now=utcnow())
        db.commit()
        email_id = row.id
    now = utcnow()
    with Session(pg_engine) as a, Session(pg_engine) as b:
        assert mail._claim(a, email_id, now)
        assert not mail._claim(b, email_id, now)


def test_lockout_counts_on_postgres(pg_engine):
    with Session(pg_engine) as db:
        ent = make_enterprise(db)
        codes = [act(auth.sign_in_enterprise, db, ent.email, "Wrong#Pass1").code for _ in range(5)]
        db.commit()
        assert codes[-1] == "account_locked"
        assert act(auth.sign_in_enterprise, db, ent.email, PASSWORD).code == "account_locked"


def test_dashboard_months_are_beijing_months_on_postgres(pg_engine):
    """statistics.per_month groups in SQL by the Asia/Shanghai month (to_char of the zone's local time)."""
    from datetime import datetime, timezone

    from apec_app.models import Application
    from apec_app.services.review import statistics
    from tests.factories import make_enterprise, make_institution, staff_principal

    with Session(pg_engine) as db:
        js = make_institution(db, "PMONTH")  # the module's database is shared: an institution of our own
        ent = make_enterprise(db)
        # 31 October 17:00 UTC is 1 November 01:00 in Beijing.
        for i, at in enumerate((datetime(2026, 10, 31, 17, 0, tzinfo=timezone.utc),
                                datetime(2026, 10, 31, 15, 0, tzinfo=timezone.utc))):  # fmt: skip
            db.add(Application(business_type="new_renew", enterprise_id=ent.id, institution_id=js.id,
                               channel="local", status="fao_review", submitted_at=at,
                               number=f"APEC20261101{i:06d}"))  # fmt: skip
        db.commit()
        now = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
        reviewer = staff_principal(db, "month_reviewer", "reviewer", "PMONTH")
        months = statistics.per_month(uow_for(db, reviewer, at=now), months=2)
    assert months == [{"month": "2026-10", "count": 1}, {"month": "2026-11", "count": 1}]


def test_dashboard_stage_medians_on_postgres(pg_engine):
    """The window function and the per-database day arithmetic of statistics.days_per_stage."""
    from datetime import timedelta

    from apec_app.services.review import statistics
    from tests.factories import staff_principal, three_reviews

    def admin(db):
        return staff_principal(db, "stat_admin", "admin")

    with Session(pg_engine) as db:
        t0 = three_reviews(db)
        uow = uow_for(db, admin(db), at=t0 + timedelta(days=30))
        stages = {s["stage"]: s for s in statistics.days_per_stage(uow)}
    assert stages["外办审核"]["days"] == 4 and stages["外办审核"]["count"] == 3


def test_an_earlier_deployments_url_reaches_postgres_through_psycopg_3(pg_engine):
    earlier = pg_engine.url.set(drivername="postgresql+psycopg2").render_as_string(hide_password=False)
    engine = make_engine(database_url(earlier))
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("select count(*) from enterprise").scalar() is not None
        assert engine.dialect.driver == "psycopg"
    finally:
        engine.dispose()


def test_the_apps_connections_compile_no_query(pg_engine):
    with pg_engine.connect() as connection:
        assert connection.exec_driver_sql("show jit").scalar() == "off"


def _server_transaction(db: Session) -> int:
    """libpq's transaction status of the session's connection: 0 idle, 2 in a transaction."""
    return db.connection().connection.dbapi_connection.pgconn.transaction_status


def test_only_a_write_opens_a_transaction_and_it_commits_or_rolls_back_whole(pg_engine):
    with Session(pg_engine) as db:
        enterprise_id = make_enterprise(db).id  # committed
    with Session(pg_engine) as db:
        enterprise = db.get(Enterprise, enterprise_id)
        assert _server_transaction(db) == 0  # a read alone: no BEGIN, nothing to commit
        enterprise.name = "改名有限公司"
        db.flush()
        assert _server_transaction(db) == 2
        with db.begin_nested():  # a savepoint inside the opened transaction
            enterprise.phone = "010-87654321"
        db.rollback()
    with Session(pg_engine) as db:
        kept = db.get(Enterprise, enterprise_id)
        assert kept.name != "改名有限公司" and kept.phone != "010-87654321"
        kept.name = "改名有限公司"
        db.commit()
    with Session(pg_engine) as db:
        assert db.get(Enterprise, enterprise_id).name == "改名有限公司"
