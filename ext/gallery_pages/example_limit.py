"""A time limit for each gallery example, and no example outliving its build.

sphinx-gallery has no per-example time limit: an example stuck in a loop
holds the whole build until CI's own limit kills it, and nothing lands.
Before each example, sphinx-gallery's reset hook (:func:`arm`) sets an alarm
of ``DLIS_EXAMPLE_TIMEOUT`` seconds (by default :data:`DEFAULT_TIMEOUT_S` for
the profile); when it rings while the example's own code is running,
:class:`ExampleTimeoutError` is raised there, and sphinx-gallery records it as that
example's failure, as it records any exception, and goes on with the others.
An alarm that rings while sphinx-gallery itself is busy (writing the page
after the last cell) waits a second and tries again; the hook after the
example (:func:`disarm`) stops it.  An example blocked inside compiled code
that never returns to Python is not stopped: only CI's limit ends it.

A parallel build runs examples in worker processes.  When the build is
killed (``kill -9``), a worker would go on with its example and write its
page and network into a gallery the next build is already using; each
worker watches its parent instead and ends as soon as the build is gone.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

TIMEOUT_VARIABLE = "DLIS_EXAMPLE_TIMEOUT"
#: Seconds an example may run, by profile: generous for the slowest example on a slow
#: 2-core machine running two examples at once.
DEFAULT_TIMEOUT_S = {"smoke": 300.0, "quick": 900.0, "full": 1800.0}
#: Set by the build in its own process: the pid its example workers watch.
BUILD_PID_VARIABLE = "DLIS_BUILD_PID"
_watching = threading.Event()


class ExampleTimeoutError(Exception):
    """An example ran past its time limit."""


class TimeoutSettingError(ValueError):
    """``DLIS_EXAMPLE_TIMEOUT`` is not a positive number of seconds."""


def example_timeout(profile: str, environ=os.environ) -> float:
    """The limit in seconds: ``DLIS_EXAMPLE_TIMEOUT`` when set, else the profile's default."""
    given = environ.get(TIMEOUT_VARIABLE, "").strip()
    if not given:
        return DEFAULT_TIMEOUT_S[profile]
    try:
        seconds = float(given)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise TimeoutSettingError(f"{TIMEOUT_VARIABLE}={given!r}: give the limit in seconds, above 0")
    return seconds


def arm(example: str, seconds: float) -> None:
    """Raise :class:`ExampleTimeoutError` in ``example`` (a file name) after ``seconds``."""
    if threading.current_thread() is not threading.main_thread():
        return  # signals reach only the main thread: no limit there

    def ring(signum, frame) -> None:
        while frame is not None:
            if Path(frame.f_code.co_filename).name == example:
                raise ExampleTimeoutError(f"ran past its limit of {seconds:g} s ({TIMEOUT_VARIABLE})")
            frame = frame.f_back
        signal.setitimer(signal.ITIMER_REAL, 1.0)  # sphinx-gallery's own work: ask again soon

    signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)


def disarm() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.setitimer(signal.ITIMER_REAL, 0)


def end_with_the_build(environ=os.environ, poll_s: float = 0.5) -> None:
    """In an example worker (not the build's own process): end this process as soon
    as the build that started it is gone.  Once per process."""
    build = environ.get(BUILD_PID_VARIABLE)
    if not build or int(build) == os.getpid() or os.getppid() != int(build) or _watching.is_set():
        return
    _watching.set()

    def watch() -> None:
        while os.getppid() == int(build):
            time.sleep(poll_s)
        os._exit(70)

    threading.Thread(target=watch, name="dlis-end-with-the-build", daemon=True).start()
