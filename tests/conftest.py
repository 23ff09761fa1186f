"""Shared fixtures: a small Sphinx site built from files written by the test, or the real site, served."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "docs" / "guides" / "dragonfly-daily-15.md"
SHIPPED_STATIC = ROOT / "docs" / "_static"


def pytest_addoption(parser):
    parser.addoption(
        "--snapshot-update",
        action="store_true",
        help="rewrite the snapshots in tests/ext/snapshots/ from this run (after an intended change)",
    )
    parser.addoption(
        "--examples-from",
        choices=("site", "scripts"),
        default="site",
        help="where the gallery's smoke runs come from: the smoke site's build (one run of every "
        "example, shared with the site's tests), or each example run as a script, two at once "
        "(no Sphinx needed: the backends session)",
    )


SITE_CONF = """
extensions = ["myst_parser", "videoguide"]
html_theme = "basic"
html_static_path = ["_static"]
"""


#: What a build writes into docs/ and gallery/: left out of a fresh copy of the sources.
BUILD_OUTPUTS = {
    "docs/_build",
    "docs/auto_examples",
    "docs/api",
    "docs/sg_execution_times.rst",
    "gallery/workflow/.store",
}


def copy_site_sources(destination: Path) -> None:
    """Copy docs/, gallery/ and the readers' library into ``destination``, as a fresh clone has them."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        here = Path(folder).relative_to(ROOT)
        return [name for name in names if (here / name).as_posix() in BUILD_OUTPUTS or name == "__pycache__"]

    for part in ("docs", "gallery", "ext/dlis-gallery"):
        shutil.copytree(ROOT / part, destination / part, ignore=ignore, symlinks=True)


@dataclass
class Site:
    outdir: Path
    warnings: str

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.outdir / f"{name}.html").read_text("utf-8"), "html.parser")

    def html(self, name: str) -> str:
        return (self.outdir / f"{name}.html").read_text("utf-8")

    def warning_lines(self) -> list[str]:
        """Each warning without terminal colours, one per entry."""
        plain = re.sub(r"\x1b\[[0-9;]*m", "", self.warnings)
        return [line for line in plain.splitlines() if "WARNING" in line or "ERROR" in line]


def raw_comparison(scores: dict, items: str, verdict_on: list[str]) -> str:
    """A comparison of ``scores`` (network: ``Network``) as a page's raw HTML block."""
    from dlis_gallery.results import Comparison

    comparison = Comparison(scores, network="Network", items=items, verdict_on=verdict_on)
    return ".. raw:: html\n\n" + textwrap.indent(comparison._repr_html_(), "    ") + "\n"


@pytest.fixture
def build_site(tmp_path):
    """Write ``files`` (path -> text) into a fresh project and build it as HTML."""
    from sphinx.testing.util import SphinxTestApp

    def build(files: dict[str, str], conf: str = SITE_CONF, builder: str = "html") -> Site:
        src = tmp_path / "src"
        (src / "_static" / "series").mkdir(parents=True, exist_ok=True)
        (src / "_static" / "series" / "look.css").write_text("/* series look */\n")
        (src / "_static" / "series" / "play.js").write_text("/* series behaviour */\n")
        if not (src / "conf.py").exists():
            (src / "conf.py").write_text(conf)
        for name, text in files.items():
            path = src / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text("utf-8") != text:  # unchanged files keep their mtime
                path.write_text(text, "utf-8")
        if "index.md" not in files and "index.rst" not in files:
            pages = [Path(name) for name in files if name.endswith((".md", ".rst"))]
            toctree = "\n".join(page.with_suffix("").as_posix() for page in pages)
            index = f"Site\n====\n\n.. toctree::\n\n{_indent(toctree)}\n"
            if not (src / "index.rst").exists() or (src / "index.rst").read_text() != index:
                (src / "index.rst").write_text(index)
        warnings = StringIO()
        app = SphinxTestApp(
            builder, srcdir=src, builddir=tmp_path / "build", status=StringIO(), warning=warnings
        )
        try:
            app.build()
        finally:
            app.cleanup()
        return Site(outdir=Path(app.outdir), warnings=warnings.getvalue())

    return build


def _indent(text: str) -> str:
    return "\n".join(f"   {line}" for line in text.splitlines())


GUIDE_TEMPLATE = """---
title: "{title}"
header: "{header}"
intro_text: "{intro}"
css_path: /series/look.css
js_path: /series/play.js
video_url: {video_url}
footer:
  author: Ada
  social_link: https://example.org/ada
  social_text: Ada's page
  copyright_year: "2024"
  copyright_text: all rights reserved
---

---- Tutorial Content Start ----
## Part one

### First idea [00:01:05]

Text.

1. **Step one [01:02:03]** Do it.
2. **Step two** No time here.

---- Information Source Start ----

Channel : <a href="https://example.org/channel" target="_blank">example.org/channel</a>
"""


def guide(
    title="A Guide",
    header="A Guide Header",
    intro="An intro.",
    video_url="https://www.youtube.com/watch?v=abcdefghijk",
) -> str:
    """A small guide in the seed's format, with the given front matter values."""
    return GUIDE_TEMPLATE.format(title=title, header=header, intro=intro, video_url=video_url)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole site, every edition, built from a copy of docs/ and gallery/ in the smoke profile.

    Built once per test run: with tests running two at once (pytest-xdist), the
    first worker that needs it builds it and the other waits for it.  Its examples
    also write what they measured (``metrics/`` beside the site), so
    :func:`smoke_runs` needs no second run of them.
    """
    from filelock import FileLock

    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # every worker's folder sits in the run's own
    work, outcome = shared / "site", shared / "site.json"
    with FileLock(str(shared / "site.lock")):
        if not outcome.exists():
            outcome.write_text(json.dumps(_build_smoke_site(work)))
    built = json.loads(outcome.read_text())
    assert built["returncode"] == 0, built["output"]
    return work / "html"


def _build_smoke_site(work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    copy_site_sources(work)
    env = {**os.environ, "DLIS_PROFILE": "smoke", "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3"}
    env["DLIS_BASE_URL"] = "http://127.0.0.1/"  # served from the root, as the test server does
    env["DLIS_METRICS_DIR"] = str(work / "metrics")
    command = [sys.executable, "-m", "editions", "docs", "html", "-W", "--keep-going", "-q"]
    done = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=1200)
    return {"returncode": done.returncode, "output": done.stdout[-3000:] + done.stderr[-3000:]}


@pytest.fixture(scope="session")
def server(site):
    """The site served over http from 127.0.0.1 (a hosted site, as readers meet it)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@dataclass
class SmokeRuns:
    """Every gallery example's smoke run: its record by ``group/plot_x.py``, and where the
    trained networks are."""

    records: dict[str, dict]
    networks: Path


@pytest.fixture(scope="session")
def smoke_runs(request, tmp_path_factory) -> SmokeRuns:
    """Every example run once in the smoke profile: in the smoke site's build (``--examples-from
    site``) or as scripts, two at once, by the gallery runner (``--examples-from scripts``)."""
    if request.config.getoption("--examples-from") == "site":
        built = request.getfixturevalue("site")
        records = {}
        for saved in sorted((built.parent / "metrics").glob("*.json")):
            record = json.loads(saved.read_text("utf-8"))
            records[record["script"]] = record
        examples = sorted((ROOT / "gallery").glob("*/plot_*.py"))
        keyed = {f"{path.parent.name}/{path.name}": records.get(path.name) for path in examples}
        return SmokeRuns(keyed, built.parent / "docs" / "auto_examples" / "networks")
    out = tmp_path_factory.mktemp("smoke-runs")
    env = {**os.environ, "DLIS_NETWORKS_DIR": str(out / "networks"), "TF_CPP_MIN_LOG_LEVEL": "3"}
    runner = [sys.executable, str(ROOT / "benchmarks" / "gpu_gallery.py"), str(out), "--profile", "smoke"]
    done = subprocess.run(
        [*runner, "--jobs", "2", "--timeout", "600"], env=env, capture_output=True, text=True, timeout=3000
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    examples = json.loads((out / "results.json").read_text())["examples"]
    failed = {key: entry["output_tail"] for key, entry in examples.items() if entry["state"] != "ok"}
    assert not failed, "\n\n".join(f"{key}:\n{tail}" for key, tail in failed.items())
    return SmokeRuns({key: entry["record"] for key, entry in examples.items()}, out / "networks")
