"""Keep the log small and free of secrets whatever a client sends.

Reflex logs a failed event with the whole event: its payload (any size a client chooses), the request headers
(cookies) and the tab's client token, which is enough to read that tab's state. Three events of 900 KB from an
anonymous socket grew the log by 2.7 MB. Here every record is cut to a bounded length with client tokens and
cookies masked, a failed event is logged by its handler name only, and each connection gets a small budget of
error lines per minute (and all connections together a larger one).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import traceback

MAX_MESSAGE = 2000
MAX_TRACEBACK = 8000
PER_CLIENT_PER_MINUTE = 5
ALL_CLIENTS_PER_MINUTE = 120
TOKEN = re.compile(r"\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
COOKIE = re.compile(r"""(['"]?cookie['"]?\s*[:=]\s*)(['"]).*?\2""", re.IGNORECASE)
FAILED_EVENT = re.compile(r"Error processing event queue entry for\s+Event\(name='([^']{0,200})")
EVENT_TOKEN = re.compile(r"'token':\s*'([^']{1,80})'")
# Reflex's loggers that write what a client sent.
NOISY_LOGGERS = (
    "reflex.app",
    "reflex_base.event.processor.event_processor",
    "reflex_base.event.processor.base_state_processor",
    "reflex.istate.manager",
    "reflex.state",
)


def scrub(text: str, limit: int = MAX_MESSAGE) -> str:
    """Mask client tokens and cookies, and cut to `limit` characters."""
    text = COOKIE.sub(r"\1\2***\2", text)
    text = TOKEN.sub(lambda m: f"{m.group(1)}-…", text)
    if len(text) > limit:
        text = f"{text[:limit]}… [{len(text) - limit} more characters cut]"
    return text


class _Budget:
    """Sliding one-minute budgets of error lines: per client and for everyone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._window = 0
        self._counts: dict[str, int] = {}

    def allow(self, client: str) -> bool:
        with self._lock:
            window = int(time.monotonic() // 60)
            if window != self._window:
                self._window, self._counts = window, {}
            total = self._counts.get("", 0)
            mine = self._counts.get(client, 0)
            if total >= ALL_CLIENTS_PER_MINUTE or mine >= PER_CLIENT_PER_MINUTE:
                return False
            self._counts[""] = total + 1
            self._counts[client] = mine + 1
            return True


class EventErrorFilter(logging.Filter):
    """On Reflex's own loggers: a failed event becomes one short line, within the connection's budget."""

    def __init__(self) -> None:
        super().__init__()
        self.budget = _Budget()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logged as it is
            return True
        token = EVENT_TOKEN.search(message)
        if not self.budget.allow(token.group(1) if token else "?"):
            return False
        failed = FAILED_EVENT.search(message)
        if failed:
            exc = record.exc_info[1] if record.exc_info else None
            reason = f"{type(exc).__name__}" if exc is not None else "error"
            record.msg, record.args = "event %s failed (%s)", (failed.group(1)[:200], reason)
            if isinstance(exc, KeyError):  # an unknown handler: the traceback says nothing more
                record.exc_info, record.exc_text = None, None
        if record.exc_info and not record.exc_text:
            # An exception's text can carry what the client sent: bounded and masked like the message.
            record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)).rstrip(), MAX_TRACEBACK)
        return True


class _ScrubbedRecord(logging.LogRecord):
    def getMessage(self) -> str:  # noqa: N802 - logging's name
        return scrub(super().getMessage())


_installed = False


def install() -> None:
    """Once per process: bounded, masked records everywhere, and the event-error budget on Reflex's loggers."""
    global _installed
    if _installed:
        return
    _installed = True
    logging.setLogRecordFactory(_ScrubbedRecord)
    event_filter = EventErrorFilter()
    for name in NOISY_LOGGERS:
        logging.getLogger(name).addFilter(event_filter)
