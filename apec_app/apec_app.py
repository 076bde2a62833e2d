"""The Reflex app: its pages (apec_app/routes.py), the HTTP routes beside them, and the background jobs."""

from __future__ import annotations

import asyncio
import logging
import os
import socket

import reflex as rx
from starlette.applications import Starlette

from apec_app import bootstrap, interpreter, log_hygiene, startup, state_store
from apec_app.api import routes_for, security_headers, upload_guard
from apec_app.db import session_scope
from apec_app.domain.clock import SYSTEM_CLOCK
from apec_app.integrations.smtp import smtp_sender
from apec_app.routes import PAGES
from apec_app.services import passport_ocr
from apec_app.services.messaging import mail, reminders
from apec_app.services.operations import retention
from apec_app.services.review import prechecks, waiting_times
from apec_app.services.unit_of_work import UnitOfWork, unit_of_work
from apec_app.settings import get_settings
from apec_app.states.binding import SessionBinding

logger = logging.getLogger("apec.app")
REMINDER_INTERVAL_SECONDS = 3600
# How often a worker asks for the retention job's daily lease: the job itself runs once a day in one worker.
RETENTION_CHECK_SECONDS = 3600
OUTBOX_INTERVAL_SECONDS = 2.0
PRECHECK_INTERVAL_SECONDS = 2.0
OCR_START_SECONDS = 5.0
WAITS_AHEAD_SECONDS = 2.0


async def outbox_sender() -> None:
    """Deliver queued mail every few seconds; each row is claimed, so several workers never send twice."""
    sender = smtp_sender(get_settings())
    while True:
        try:
            with session_scope() as db:
                await asyncio.to_thread(lambda: mail.deliver_due(db, sender, now=SYSTEM_CLOCK.now()))
        except Exception:  # noqa: BLE001 - keep the loop alive; the row stays queued
            logger.exception("outbox delivery failed")
        await asyncio.sleep(OUTBOX_INTERVAL_SECONDS)


def _send_reminders() -> int:
    with unit_of_work() as uow:
        return reminders.send_due(uow)


async def reminder_job() -> None:
    """Card reminders once an hour; the Reminder table's unique key keeps parallel workers from doubling them."""
    while True:
        try:
            sent = await asyncio.to_thread(_send_reminders)
            if sent:
                logger.info("sent %d card reminders", sent)
        except Exception:  # noqa: BLE001 - keep the loop alive; the next run catches up
            logger.exception("card reminders failed")
        await asyncio.sleep(REMINDER_INTERVAL_SECONDS)


def _purge_documents() -> retention.Purged | None:
    return retention.run_job(UnitOfWork(None), holder=f"{socket.gethostname()}:{os.getpid()}")


async def retention_job() -> None:
    """Delete the documents whose retention period ended, once a day across all workers (the job lease), in a
    thread: a large purge must not hold up the event loop."""
    while True:
        try:
            purged = await asyncio.to_thread(_purge_documents)
            if purged is not None:
                logger.info("retention: %d documents, %d files purged", purged.documents, purged.files)
        except Exception:  # noqa: BLE001 - keep the loop alive; the next period retries
            logger.exception("document retention failed")
        await asyncio.sleep(RETENTION_CHECK_SECONDS)


async def precheck_job() -> None:
    """The automatic pre-checks asked for at each 【提交】, one application at a time in a worker thread (OCR and
    face detection take a while); each run is claimed, so several workers never run one twice."""
    while True:
        try:
            while await asyncio.to_thread(prechecks.run_next) is not None:
                pass
        except Exception:  # noqa: BLE001 - keep the loop alive; the claim expires and the run is taken up again
            logger.exception("pre-checks failed")
        await asyncio.sleep(PRECHECK_INTERVAL_SECONDS)


def _count_waits_ahead() -> None:
    with unit_of_work() as uow:
        waiting_times.count_ahead(uow.db, uow.today())


async def waits_ahead() -> None:
    """The economies' waiting times counted once at start, in a thread, before the first page asks for them."""
    await asyncio.sleep(WAITS_AHEAD_SECONDS)
    try:
        await asyncio.to_thread(_count_waits_ahead)
    except Exception:  # noqa: BLE001 - the first page view counts instead
        logger.exception("counting the waiting times ahead failed")


async def ocr_reader() -> None:
    """Start the passport reader's process a little after the worker, when nothing else is starting."""
    await asyncio.sleep(OCR_START_SECONDS)
    try:
        await passport_ocr.start_reader()
    except Exception:  # noqa: BLE001 - the first reading starts it instead
        logger.exception("starting the passport reader failed")


# The database, its WAL, uploaded documents and Reflex's state files hold personal data: owner-only files.
os.umask(0o077)
interpreter.tune()  # the GIL's switch interval (and, below, the collector's view of the start-up's objects)
log_hygiene.install()
bootstrap.wire()
startup.check(get_settings())
api = Starlette(routes=routes_for(get_settings()))

app = rx.App(
    stylesheets=["/app.css"],
    html_lang="zh-CN",
    theme=rx.theme(accent_color="red", radius="medium"),
    # Applied in order, each around the last: the upload guard answers before Reflex reads a body, and the
    # security headers go on every answer, the guard's included.
    api_transformer=[api, upload_guard.with_upload_guard, security_headers.with_security_headers],
)
app._state_manager = state_store.paced(app._state_manager)  # without Redis: the disk store's loop paced
# Before Reflex's own hydrate middleware: a tab's state is wiped when the session behind it is another one.
app.add_middleware(SessionBinding(), index=0)
app.register_lifespan_task(outbox_sender)
app.register_lifespan_task(reminder_job)
app.register_lifespan_task(retention_job)
app.register_lifespan_task(precheck_job)
app.register_lifespan_task(ocr_reader)
app.register_lifespan_task(waits_ahead)
app.register_lifespan_task(interpreter.freeze_startup_objects)

for page in PAGES:
    app.add_page(page.component, route=page.path, title=page.title, on_load=page.on_load)
