"""The disk store of a worker without Redis: its write loop is paced (states written together, the folder swept
once a minute) and still writes every changed state and deletes the expired files."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
import types

import pytest
from reflex.istate.manager.disk import StateManagerDisk
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken, StateToken
from reflex.utils import prerequisites

from apec_app import state_store


@dataclasses.dataclass
class _Saved:
    text: str


@pytest.fixture
def states_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(prerequisites, "get_states_dir", lambda: tmp_path)
    return tmp_path


def _expired_file(folder, name: str):
    path = folder / f"{name}.pkl"
    path.write_bytes(b"x")
    old = time.time() - 2 * 3600
    os.utime(path, (old, old))
    return path


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


def test_the_folder_is_swept_at_start_then_at_most_once_a_minute(states_dir, monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(state_store, "time", clock)
    first = _expired_file(states_dir, "closed-tab-1")
    manager = state_store.PacedDiskStateManager(token_expiration=3600)
    assert not first.exists()  # the start's sweep ran

    second = _expired_file(states_dir, "closed-tab-2")
    fresh = states_dir / "open-tab.pkl"
    fresh.write_bytes(b"x")
    clock.now += state_store.SWEEP_SECONDS - 1
    manager._purge_expired_states()
    assert second.exists()  # within the minute: no listing of the folder

    clock.now += 2
    manager._purge_expired_states()
    assert not second.exists()
    assert fresh.exists()  # a live tab's file stays


def test_a_pass_of_the_write_loop_waits_at_least_its_interval(states_dir, monkeypatch):
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr(state_store, "asyncio", types.SimpleNamespace(sleep=sleep))
    manager = state_store.PacedDiskStateManager()
    manager._write_debounce_seconds = 0.0  # Reflex's own wait would then be until the next expiry
    manager.token_expiration = 0
    asyncio.run(manager._process_write_queue_delay())
    assert slept == [state_store.PASS_SECONDS]


def test_a_changed_state_is_still_written_to_disk(states_dir, monkeypatch):
    monkeypatch.setattr(state_store, "PASS_SECONDS", 0.05)
    token = StateToken(ident="tab-1", cls=_Saved)

    async def change_and_wait():
        manager = state_store.PacedDiskStateManager()
        manager._write_debounce_seconds = 0.05
        await manager.set_state(token, _Saved("已填写的内容"))
        path = manager.token_path(token)
        for _ in range(100):
            if path.exists():
                break
            await asyncio.sleep(0.02)
        await manager.close()
        return path

    path = asyncio.run(change_and_wait())
    assert StateToken.deserialize(data=path.read_bytes()) == _Saved("已填写的内容")


def test_only_the_disk_store_is_replaced(states_dir):
    memory = StateManagerMemory()
    assert state_store.paced(memory) is memory
    assert type(state_store.paced(StateManagerDisk())) is state_store.PacedDiskStateManager


def test_the_app_without_redis_uses_the_paced_store():
    from apec_app.apec_app import app
    from apec_app.settings import get_settings

    if get_settings().redis_url:
        pytest.skip("this run keeps the states in Redis")
    assert type(app.state_manager) is state_store.PacedDiskStateManager


def _written(manager, token) -> bool:
    return token.cache_key not in {queued.cache_key for queued in manager._write_queue}


async def _tab_with_a_change(manager, ident: str):
    """A tab of the app's real state tree whose session state (a sent var and a backend one) was changed."""
    from reflex.state import State

    from apec_app.states.session import SessionState

    token = BaseStateToken(ident=ident, cls=State)
    async with manager.modify_state(token) as root:
        session = await root.get_state(SessionState)
        session.display_name = "演示企业有限公司"
        session._bound_session = "bound-to-this-cookie"
    return token


def test_an_idle_tab_leaves_memory_and_comes_back_from_disk_as_it_was(states_dir, monkeypatch):
    import apec_app.apec_app  # noqa: F401 - every state registered
    from apec_app.states.session import SessionState

    monkeypatch.setattr(state_store, "PASS_SECONDS", 0.01)

    async def scenario():
        manager = state_store.PacedDiskStateManager()
        manager._write_debounce_seconds = 0.01
        token = await _tab_with_a_change(manager, "idle-tab")
        for _ in range(200):
            if _written(manager, token):
                break
            await asyncio.sleep(0.02)
        manager._evict_idle(time.time() + state_store.IDLE_SECONDS - 5)
        kept_while_recent = token.cache_key in manager.states
        manager._evict_idle(time.time() + state_store.IDLE_SECONDS + 1)
        evicted = token.cache_key not in manager.states
        root = await manager.get_state(token)
        session = await root.get_state(SessionState)
        await manager.close()
        return kept_while_recent, evicted, session.display_name, session._bound_session

    kept_while_recent, evicted, name, bound = asyncio.run(scenario())
    assert kept_while_recent
    assert evicted
    assert (name, bound) == ("演示企业有限公司", "bound-to-this-cookie")


def test_an_idle_tab_stays_in_memory_while_its_change_is_unwritten_or_an_event_holds_it(states_dir):
    import apec_app.apec_app  # noqa: F401 - every state registered

    async def scenario():
        manager = state_store.PacedDiskStateManager()
        manager._write_debounce_seconds = 3600  # nothing is written during the test
        unwritten = await _tab_with_a_change(manager, "unwritten-tab")
        busy = BaseStateToken(ident="busy-tab", cls=unwritten.cls)
        await manager.get_state(busy)
        later = time.time() + state_store.IDLE_SECONDS + 1
        async with manager.modify_state(busy):  # an event is running (its state comes back when it ends)
            manager._evict_idle(later)
            kept = [token.cache_key in manager.states for token in (unwritten, busy)]
        manager._write_queue.clear()
        return kept

    assert asyncio.run(scenario()) == [True, True]
