"""Every developer and CI entry point: ``nox -s docs``, ``nox -s tests`` and friends.

Each session installs what it needs into its own virtual environment, so the
commands work on a fresh machine with nothing but Python and nox.
"""

from __future__ import annotations

import os

import nox

nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests", "docs"]

DOCS_OUT = "docs/_build/html"
QUIET_BACKENDS = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # TensorFlow's cuInit/oneDNN/absl start-up noise
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
}


def sphinx_build(session: nox.Session, builder: str, out: str, *extra: str) -> None:
    session.run(
        "sphinx-build",
        "-W",
        "--keep-going",
        "-b",
        builder,
        "docs",
        out,
        *extra,
        *session.posargs,
        env=QUIET_BACKENDS,
    )


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site as HTML into docs/_build/html (warnings are errors)."""
    session.install("-e", ".[docs]")
    sphinx_build(session, "html", DOCS_OUT)
    session.log(f"Site written to {os.path.abspath(DOCS_OUT)}/index.html")


@nox.session(name="docs-live")
def docs_live(session: nox.Session) -> None:
    """Serve the site locally and rebuild it on every change (for authors)."""
    session.install("-e", ".[docs,live]")
    session.run(
        "sphinx-autobuild",
        "docs",
        DOCS_OUT,
        "--watch",
        "ext",
        "--watch",
        "gallery",
        *session.posargs,
        env=QUIET_BACKENDS,
    )


@nox.session
def tests(session: nox.Session) -> None:
    """Unit tests, Sphinx build tests and the gallery smoke runs."""
    session.install("-e", ".[docs,tests]")
    session.run("pytest", *session.posargs, env=QUIET_BACKENDS)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
