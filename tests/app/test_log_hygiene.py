"""What a client sends cannot fill the log or put a tab token or a cookie into it."""

import logging

from apec_app import log_hygiene


def failed_event_record(token: str, payload_size: int) -> logging.LogRecord:
    event = (
        f"Event(name='reflex___state____state.no_such_handler', router_data={{'headers': {{'cookie': "
        f"'apec_session=SECRETSESSIONVALUE'}}, 'token': '{token}'}}, payload={{'x': '{'A' * payload_size}'}})"
    )
    try:
        raise KeyError("No registered handler found for event: reflex___state____state.no_such_handler")
    except KeyError as exc:
        info = (type(exc), exc, exc.__traceback__)
    return logging.LogRecord("reflex_base.event.processor.event_processor", logging.ERROR, __file__, 1,
                             f"Error processing event queue entry for {event} [txid=1]:", None, info)  # fmt: skip


def test_a_failed_event_is_logged_by_its_handler_name_only():
    record = failed_event_record("a1612279-8e69-488e-9cb3-488758f50b22", 900_000)
    assert log_hygiene.EventErrorFilter().filter(record)
    assert record.getMessage() == "event reflex___state____state.no_such_handler failed (KeyError)"
    assert record.exc_info is None


def test_each_connection_gets_a_few_error_lines_a_minute():
    keep = log_hygiene.EventErrorFilter()
    mine = [keep.filter(failed_event_record("a1612279-8e69-488e-9cb3-488758f50b22", 10)) for _ in range(20)]
    assert mine.count(True) == log_hygiene.PER_CLIENT_PER_MINUTE
    assert keep.filter(failed_event_record("b2222222-8e69-488e-9cb3-488758f50b22", 10))  # another tab still logs


def test_every_record_is_bounded_and_masks_tokens_and_cookies():
    text = log_hygiene.scrub(
        "send delta to 'a1612279-8e69-488e-9cb3-488758f50b22' headers {'cookie': 'apec_session=SECRET'} " + "A" * 5000
    )
    assert "8e69-488e" not in text and "SECRET" not in text and "a1612279-…" in text
    assert len(text) < log_hygiene.MAX_MESSAGE + 100


def test_the_log_grows_little_for_huge_payloads(tmp_path):
    """Three 900 KB events through a real logger, handler and formatter: a few hundred bytes, not 2.7 MB."""
    log_hygiene.install()
    logger = logging.getLogger("reflex_base.event.processor.event_processor")
    path = tmp_path / "app.log"
    handler = logging.FileHandler(path)
    logger.addHandler(handler)
    try:
        for n in range(3):
            event = f"Event(name='x.h{n}', router_data={{'token': 'c{n}'}}, payload={{'x': '{'A' * 900_000}'}})"
            logger.error("Error processing event queue entry for %s [txid=1]:", event)
            logger.error("something else with %s", "B" * 900_000)
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert path.stat().st_size < 10_000
