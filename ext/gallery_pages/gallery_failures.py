"""Every failing example of a build, named once each in one report at the end.

sphinx-gallery runs every example and collects the ones that raise
(``failing_examples``, with their tracebacks trimmed to the example's own
frames).  Its own summary at the end raises an error that Sphinx reports as
a crash of the build ("please report this bug") with every traceback; here
that summary is replaced by one line per failing example, in the form
editors and CI logs link::

    gallery/applications/plot_x.py:39: RuntimeError: the message

the count, and where the full tracebacks are (sphinx-gallery's JUnit
report).  The build then ends with a non-zero status; an example named in
``expected_failing_examples`` that fails is fine, and one that passes is
reported too.  sphinx-gallery's own warning with each failing example's
traceback is left out (:func:`leave_out_example_warnings`, in the build's
process and in each example worker): the report names each example once.
"""

from __future__ import annotations

import logging as python_logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
#: Where sphinx-gallery warns of each failing example (its type and subtype), left out for the report.
EXAMPLE_WARNING_LOGGER = "sphinx.sphinx-gallery"
EXAMPLE_WARNING = ("sphinx_gallery", "example_error")
FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)', re.M)
#: The last line of a formatted exception: ``Type: message`` (or a bare ``Type``).
EXCEPTION = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::\s?(?P<message>.*))?$")


@dataclass(frozen=True)
class Failure:
    """One failing example: where in its own code, and what it raised."""

    path: str
    line: int | None
    error: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.error}"


def failure_of(source: str, traceback: str) -> Failure:
    """The failure of ``source`` (a path) from sphinx-gallery's formatted ``traceback``:
    the deepest frame in the example's own file, and the exception's last line."""
    lines = [
        int(found["line"])
        for found in FRAME.finditer(traceback)
        if os.path.normpath(found["file"]) == os.path.normpath(source)
    ]
    last = next(
        (
            found
            for line in reversed(traceback.strip().splitlines())
            if (found := EXCEPTION.match(line.strip()))
        ),
        None,
    )
    if last is None:
        error = traceback.strip().splitlines()[-1].strip() if traceback.strip() else "failed"
    else:  # dlis_gallery.example_limit.ExampleTimeoutError: ... as ExampleTimeoutError: ...
        error = last["type"].rsplit(".", 1)[-1] + (f": {last['message']}" if last["message"] else "")
    return Failure(_shown_path(source), lines[-1] if lines else None, error)


def _shown_path(source: str) -> str:
    relative = os.path.relpath(source)
    return Path(relative if not relative.startswith("..") else source).as_posix()


def expected_failures(gallery_conf: dict) -> set[str]:
    """``expected_failing_examples`` as normalised paths (they are relative to conf.py)."""
    return {
        os.path.normpath(os.path.join(gallery_conf["src_dir"], path))
        for path in gallery_conf.get("expected_failing_examples", ())
    }


def report(gallery_conf: dict, tracebacks_at: str | None = None) -> list[str]:
    """The report's lines: one per unexpected failure, one per unexpected pass, the count;
    empty when nothing went wrong."""
    failing = {os.path.normpath(path): text for path, text in gallery_conf["failing_examples"].items()}
    expected = expected_failures(gallery_conf)
    lines = [str(failure_of(path, text)) for path, text in sorted(failing.items()) if path not in expected]
    lines += [
        f"{_shown_path(path)}: expected to fail (expected_failing_examples), but passed"
        for path in sorted(expected - set(failing))
    ]
    if not lines:
        return []
    count = len(lines)
    head = f"{count} gallery example{'s' if count != 1 else ''} went wrong:"
    tail = [f"Their tracebacks: {tracebacks_at}"] if tracebacks_at and failing else []
    return [head, *lines, *tail]


def report_failures(app: Sphinx, exception) -> None:
    """At the end of the build: the report, and a non-zero exit status."""
    conf = app.config.sphinx_gallery_conf
    if exception is not None or not conf.get("plot_gallery") or "failing_examples" not in conf:
        return
    junit = os.path.normpath(Path(app.builder.outdir, conf["junit"])) if conf.get("junit") else None
    lines = report(conf, os.path.relpath(junit) if junit else None)
    if lines:
        logger.error("\n".join(lines), type="dlis", subtype="example_failed")
        app.statuscode = 1


class _NotExampleWarnings(python_logging.Filter):
    def filter(self, record) -> bool:
        return (getattr(record, "type", None), getattr(record, "subtype", None)) != EXAMPLE_WARNING


def leave_out_example_warnings() -> None:
    """sphinx-gallery's warning with each failing example's traceback, left out in this
    process (the build's, or a worker's, where Sphinx's own settings do not reach)."""
    found = python_logging.getLogger(EXAMPLE_WARNING_LOGGER)
    if not any(isinstance(existing, _NotExampleWarnings) for existing in found.filters):
        found.addFilter(_NotExampleWarnings())


def replace_gallery_summary(app: Sphinx) -> None:
    """Drop sphinx-gallery's end-of-build summary (ours replaces it) and its warning per
    failing example (the report names each once)."""
    from sphinx_gallery.gen_gallery import summarize_failing_examples

    for listener in list(app.events.listeners.get("build-finished", [])):
        if listener.handler is summarize_failing_examples:
            app.disconnect(listener.id)
    leave_out_example_warnings()


def setup_gallery_failures(app: Sphinx) -> None:
    app.connect("builder-inited", replace_gallery_summary, priority=400)
    app.connect("build-finished", report_failures)
