"""The passport reading's threads yield the CPU to the event loop: they run 10 nice steps lower, the loop not."""

import asyncio
import os
import threading

import pytest

from apec_app.integrations import low_priority, passport_visual


def _nice() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="Linux scheduling priorities")
def test_work_runs_at_a_lower_priority_and_the_calling_thread_keeps_its_own():
    before = _nice()
    inside = asyncio.run(low_priority.run(_nice))
    assert inside == min(19, before + low_priority.NICE)
    assert _nice() == before


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="Linux scheduling priorities")
def test_the_visual_zone_lines_are_read_at_the_lower_priority_too():
    before = _nice()
    assert passport_visual._POOL.submit(_nice).result() == min(19, before + low_priority.NICE)
