"""The passport reading runs in a process of its own, 10 nice steps lower than the web worker: it shares no GIL
with the event loop, and the loop keeps its priority."""

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from apec_app.integrations import low_priority, ocr
from tests.ocr_samples import make_passport_image

pytestmark = pytest.mark.skipif(not hasattr(os, "getpriority"), reason="Linux scheduling priorities")


def _where() -> tuple[int, int]:
    """The calling process and the nice value of the calling thread."""
    return os.getpid(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def _thread_nice() -> int:
    """The nice value of a thread started inside the process (as the visual zone's line readers are)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id())).result()


def test_work_runs_in_another_process_at_a_lower_priority_and_the_caller_keeps_its_own():
    pid, before = _where()
    other, inside = asyncio.run(low_priority.run(_where))
    assert other != pid
    assert inside == min(19, before + low_priority.NICE)
    assert _where() == (pid, before)
    assert low_priority.call(_thread_nice) == inside


def test_a_passport_page_is_read_in_that_process():
    image, expected = make_passport_image(3)
    outcome = low_priority.call(ocr.read_passport, image)
    assert outcome.result is not None
    assert outcome.result.number == expected["number"]


def test_a_process_that_died_is_replaced_by_the_next_call():
    first, _ = low_priority.call(_where)
    os.kill(first, 9)
    with pytest.raises(Exception):  # noqa: B017,PT011 - the call in flight when it died fails, whichever way
        low_priority.call(_where)
    assert low_priority.call(_where)[0] not in (first, os.getpid())
