"""A build that fails well: every failing or hung example named once, the last good
site kept, and a killed build resumed where it stopped.

Each test builds a tiny gallery (a few examples of a few lines, run by
sphinx-gallery with the site's hooks, two at once as the site runs them) with
``python -m editions``, the command ``nox -s docs`` runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from gallery_pages.gallery_failures import failure_of

CONF = """
extensions = ["gallery_pages", "sphinx_gallery.gen_gallery"]
html_theme = "basic"
project = "Faults"
sphinx_gallery_conf = {
    "examples_dirs": ["../gallery"],
    "gallery_dirs": ["auto_examples"],
    "abort_on_example_error": False,
    "reset_modules": ("matplotlib", "gallery_pages.reset_example"),
    "reset_modules_order": "both",
    "junit": "../../gallery-junit.xml",
    "parallel": 2,
}
"""
INDEX = "Faults\n======\n\n.. toctree::\n\n   auto_examples/index\n"
#: An example that notes each run of it in ``$RUN_LOG``, then does ``body``.
EXAMPLE = '''"""
Example {name}
====================
"""

import os

with open(os.environ["RUN_LOG"], "a") as log:
    log.write("{name} " + str(os.getpid()) + "\\n")
{body}
'''


def write_example(root: Path, name: str, body: str) -> Path:
    path = root / "gallery" / "demo" / f"plot_{name}.py"
    path.write_text(EXAMPLE.format(name=name, body=textwrap.dedent(body).strip()), "utf-8")
    return path


def project(tmp_path: Path, examples: dict[str, str]) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "gallery" / "demo").mkdir(parents=True)
    (root / "docs" / "conf.py").write_text(CONF, "utf-8")
    (root / "docs" / "index.rst").write_text(INDEX, "utf-8")
    (root / "gallery" / "README.rst").write_text("Gallery\n=======\n", "utf-8")
    (root / "gallery" / "demo" / "README.rst").write_text("Demo\n====\n", "utf-8")
    for name, body in examples.items():
        write_example(root, name, body)
    return root


def environment(root: Path, **extra: str) -> dict:
    env = {**os.environ, "DLIS_PROFILE": "smoke", "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3"}
    return {**env, "RUN_LOG": str(root / "runs.log"), **extra}


def build_command() -> list[str]:
    return [sys.executable, "-m", "editions", "docs", "html", "-q"]


def build(root: Path, **extra: str) -> subprocess.CompletedProcess:
    env = environment(root, **extra)
    return subprocess.run(build_command(), cwd=root, env=env, capture_output=True, text=True, timeout=600)


def runs(root: Path) -> list[str]:
    log = root / "runs.log"
    names = [line.split()[0] for line in log.read_text().splitlines()] if log.exists() else []
    log.unlink(missing_ok=True)
    return sorted(names)


def pages(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*.html"))}


def test_the_failure_of_an_example_is_named_by_its_own_line():
    traceback = (
        "Traceback (most recent call last):\n"
        '  File "/p/gallery/demo/plot_x.py", line 12, in <module>\n    fit()\n'
        '  File "/p/gallery/demo/plot_x.py", line 7, in fit\n    raise ValueError("no")\n'
        '  File "/venv/keras/trainer.py", line 99, in fit\n    step()\n'
        "ValueError: the loss is NaN\n"
    )
    failure = failure_of("/p/gallery/demo/plot_x.py", traceback)
    assert (failure.line, failure.error) == (7, "ValueError: the loss is NaN")
    assert str(failure).endswith("plot_x.py:7: ValueError: the loss is NaN")


@pytest.mark.slow
def test_failing_and_hung_examples_are_reported_together_and_the_last_good_site_stays(tmp_path):
    root = project(tmp_path, {name: "print('fine')" for name in ("good", "boom", "bad", "hang")})
    first = build(root)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    good_site = pages(root / "html")
    assert runs(root) == ["bad", "boom", "good", "hang"]

    write_example(root, "boom", "raise RuntimeError('the first failure')")
    write_example(root, "bad", "def fit():\n    return 1 / 0\n\nfit()")
    write_example(root, "hang", "import time\n\nwhile True:\n    time.sleep(0.1)")
    second = build(root, DLIS_EXAMPLE_TIMEOUT="5")
    said = second.stdout + second.stderr

    assert second.returncode != 0
    assert "3 gallery examples went wrong:" in said
    lines = [line.strip() for line in said.splitlines() if line.strip().startswith("gallery/demo/")]
    assert lines == [
        "gallery/demo/plot_bad.py:11: ZeroDivisionError: division by zero",
        "gallery/demo/plot_boom.py:10: RuntimeError: the first failure",
        "gallery/demo/plot_hang.py:13: ExampleTimeoutError: ran past its limit of 5 s (DLIS_EXAMPLE_TIMEOUT)",
    ], said[-3000:]
    assert "Traceback" not in said and "report this error" not in said and "Extension error" not in said
    assert "gallery-junit.xml" in said, "the report says where the tracebacks are"
    assert runs(root) == ["bad", "boom", "hang"], "the unchanged example is not run again"
    assert pages(root / "html") == good_site, "the last good site is untouched"


@pytest.mark.slow
def test_a_killed_build_resumes_with_the_examples_that_did_not_finish(tmp_path):
    waits = "import time\n\ntime.sleep(float(os.environ.get('WAIT', '0')))"
    root = project(tmp_path, {"quick": "print('version 1')", "slow": f"{waits}\nprint('version 1')"})
    first = build(root)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    good_site = pages(root / "html")
    runs(root)

    write_example(root, "quick", "print('version 2')")
    write_example(root, "slow", f"{waits}\nprint('version 2')")
    env = environment(root, WAIT="120")
    killed = subprocess.Popen(
        build_command(), cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and sorted(runs_seen(root)) != ["quick", "slow"]:
        time.sleep(0.5)
    time.sleep(3)  # the quick one has finished; the slow one is waiting
    os.kill(killed.pid, signal.SIGKILL)  # the build's own process, as the kernel's OOM killer would
    killed.wait()
    worker = int(
        next(line.split()[1] for line in (root / "runs.log").read_text().splitlines() if "slow" in line)
    )
    assert gone_within(worker, 10), "the example's worker ends with its build"
    assert pages(root / "html") == good_site, "nothing of the killed build is published"
    runs(root)

    resumed = build(root)
    assert resumed.returncode == 0, resumed.stdout[-3000:] + resumed.stderr[-3000:]
    assert runs(root) == ["slow"], "only the example that did not finish runs again"
    for name in ("quick", "slow"):
        assert "version 2" in (root / f"html/en/auto_examples/demo/plot_{name}.html").read_text("utf-8")


def runs_seen(root: Path) -> list[str]:
    log = root / "runs.log"
    return [line.split()[0] for line in log.read_text().splitlines()] if log.exists() else []


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False
