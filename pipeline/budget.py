"""A time budget for one unit of work (one page's extraction and annotation).

A pathological page (megabytes of nested markup, a text built to make a rule
backtrack) must cost its own processing, never the whole run's. Signals
(``SIGALRM``) only reach the main thread, and Prefect runs tasks in worker
threads, so the budget is enforced by a watchdog timer that raises
:class:`BudgetExceeded` asynchronously in the thread doing the work
(``PyThreadState_SetAsyncExc``). Like a signal, it lands at the next Python
bytecode: a single long call into C (one regex match, one lxml parse) finishes
first, which is why every text scan must be linear as well.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class BudgetExceeded(Exception):
    """The work ran past its time budget and was interrupted."""


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> int:
    return int(ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                                          ctypes.py_object(exc) if exc else None))


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Run the block; past ``seconds`` it is interrupted with :class:`BudgetExceeded`. None or <= 0: no budget."""
    if not seconds or seconds <= 0:
        yield
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(thread_id, BudgetExceeded)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except BudgetExceeded:
        raise BudgetExceeded(f"over the time budget of {seconds:g} s") from None
    finally:
        with lock:
            state["done"] = True
            fired = state["fired"]
        timer.cancel()
        if fired:
            # The exception may still be pending if the block ended just as the timer fired: clear it,
            # so it cannot surface later in unrelated code.
            _set_async_exc(thread_id, None)
    if fired:
        raise BudgetExceeded(f"over the time budget of {seconds:g} s")
