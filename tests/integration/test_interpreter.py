"""The worker's interpreter: the objects of its start-up are frozen out of the collector's sight, so a full
collection no longer walks them (and stops the event loop for hundreds of milliseconds); what is made later
is still collected."""

import asyncio
import gc
import sys
import weakref

from apec_app import interpreter


def _tracked(obj) -> bool:
    return any(o is obj for o in gc.get_objects())


class _Node:
    pass


def test_start_up_objects_are_frozen_and_later_garbage_is_still_collected():
    from_start_up = [object()]
    assert _tracked(from_start_up)
    try:
        asyncio.run(interpreter.freeze_startup_objects(delay=0))
        assert gc.get_freeze_count() > 0
        assert not _tracked(from_start_up)  # out of every generation a collection walks

        later = _Node()
        later.me = later  # a cycle: only the collector frees it
        gone = weakref.ref(later)
        del later
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()


def test_the_app_freezes_after_start_up_and_switches_threads_each_millisecond():
    from apec_app.apec_app import app

    assert interpreter.freeze_startup_objects in app.get_lifespan_tasks()
    assert sys.getswitchinterval() == interpreter.SWITCH_INTERVAL_SECONDS
