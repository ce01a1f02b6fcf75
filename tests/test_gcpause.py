"""negotiate.gcpause: the collector paused for bulk work, and resumed exactly as it was."""
import gc
import threading

import pytest

from negotiate import gcpause


@pytest.fixture(autouse=True)
def _collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_paused_and_resumed():
    with gcpause.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_resume_at_the_outermost():
    with gcpause.paused():
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    with gcpause.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_resumed_after_an_exception():
    @gcpause.bulk
    def fails():
        assert not gc.isenabled()
        raise ValueError("boom")
    with pytest.raises(ValueError):
        fails()
    assert gc.isenabled()


def test_threads_share_one_pause():
    inside, leave = threading.Event(), threading.Event()

    def worker():
        with gcpause.paused():
            inside.set()
            leave.wait(5)
    t = threading.Thread(target=worker)
    t.start()
    inside.wait(5)
    with gcpause.paused():
        pass
    assert not gc.isenabled()      # the worker's pause still holds
    leave.set()
    t.join(5)
    assert gc.isenabled()
