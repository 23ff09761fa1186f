"""Every developer and CI entry point: ``nox -s docs``, ``nox -s tests`` and friends.

Each session installs what it needs into its own virtual environment, so the
commands work on a fresh machine with nothing but Python and nox.  Every
session installs through the lock (``constraints.txt``: the versions CI
tested); ``nox -s lock`` refreshes it and ``nox -s tests-latest`` runs the
tests on the newest releases instead, to learn of upstream breakage on purpose.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nox

nox.options.reuse_venv = "yes"
nox.options.sessions = ["lint", "tests", "backends", "docs"]

DOCS_OUT = "docs/_build/html"
GETTEXT_OUT = "docs/_build/gettext"
EXTENSION_POT = "docs/_build/extension-pot"  # not beside the pages' templates: sphinx-intl reads those
#: The languages the site is translated into: one folder each in docs/locales (the one list).
TRANSLATIONS = sorted(folder.name for folder in Path("docs/locales").iterdir() if folder.is_dir())
#: Catalogs of words our extensions write themselves ("Play video", "Run it"): the package
#: that holds each, then any other source whose words it translates (the library's verdicts).
EXTENSION_CATALOGS = {
    "videoguide": ["ext/videoguide"],
    "gallery_pages": [
        "ext/gallery_pages",
        "ext/dlis-gallery/src/dlis_gallery/results.py",
        "ext/dlis-gallery/src/dlis_gallery/sweeps.py",
    ],
    "editions": ["ext/editions"],
}
QUIET_BACKENDS = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # TensorFlow's cuInit/oneDNN/absl start-up noise
    # oneDNN's CPU kernels even on CPUs without AVX-512 (notebooks set it too): 1.5x faster on
    # one 2-core machine; segmentation training 82 against 220 s on a 2-core AMD EPYC with AVX2
    "TF_ENABLE_ONEDNN_OPTS": "1",
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
}


#: The lock: one version of every package any session installs (CPython 3.11, Linux x86-64).
LOCK = "constraints.txt"
#: The readers' library: its own package, which the site's extensions (the project) import.
LIBRARY = "ext/dlis-gallery"
#: What the bioimage.io packages' test installs, alone, to validate them.
BIOIMAGE_VALIDATOR = "tests/takehome/bioimage-validator.txt"


def both_packages(extras: str) -> list[str]:
    """This repository's two packages, editable: the library, then the project with ``extras``."""
    return ["-e", LIBRARY, "-e", f".[{extras}]"]


def install(session: nox.Session, *packages: str) -> None:
    """``pip install`` within the lock."""
    session.install("-c", LOCK, *packages)


def install_project(session: nox.Session, extras: str, *packages: str) -> None:
    """The readers' library and the site's extensions (with ``extras``), editable, within the lock."""
    install(session, *both_packages(extras), *packages)


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


def build_site(session: nox.Session) -> None:
    """Every edition (en/, zh-CN/) and the root page into docs/_build/html.

    The gallery runs once, in the English build; the others reuse its pages.
    """
    command = ["python", "-m", "editions", "docs", DOCS_OUT, "-W", "--keep-going", *session.posargs]
    session.run(*command, env=QUIET_BACKENDS)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site, both editions, into docs/_build/html (warnings are errors)."""
    install_project(session, "docs")
    build_site(session)


@nox.session(name="docs-gpu")
def docs_gpu(session: nox.Session) -> None:
    """The same build with TensorFlow's CUDA packages, for a GPU machine (full profile)."""
    install_project(session, "gpu")
    build_site(session)


@nox.session
def offline(session: nox.Session) -> None:
    """Build the site and pack it as one zip a reader unpacks and opens from disk."""
    install_project(session, "docs")
    build_site(session)
    archive = shutil.make_archive("dist/deep-learning-for-imaging-scientists-html", "zip", DOCS_OUT)
    size = os.path.getsize(archive)
    session.log(f"Offline site: {archive} ({size / 2**20:.1f} MiB); unpack it and open index.html")


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every external link (needs a network: for authors, not CI)."""
    install_project(session, "docs")
    sphinx_build(session, "linkcheck", "docs/_build/linkcheck", "-D", "plot_gallery=0")


@nox.session
def i18n(session: nox.Session) -> None:
    """Refresh every translation catalog from the sources; then translate what is new or fuzzy.

    The pages' catalogs (docs/locales/<lang>/LC_MESSAGES/**.po) come from Sphinx's
    gettext builder; sphinx.po holds the theme's words; our extensions' catalogs
    are refreshed and compiled in place (their .mo files are shipped).
    """
    install_project(session, "docs,i18n")
    # -E: every page read again (a module's summary in the API table changes with no page changing)
    sphinx_build(session, "gettext", GETTEXT_OUT, "-E", "-D", "plot_gallery=0")
    furo = session.run("python", "-c", "import furo, os; print(os.path.dirname(furo.__file__))", silent=True)
    session.run(  # the theme's words and our templates' (switcher, furo copies) replace sphinx.pot
        "pybabel", "extract", "-F", "docs/locales/theme-babel.cfg", "-o", f"{GETTEXT_OUT}/sphinx.pot",
        os.path.join(furo.strip(), "theme"), "ext/editions/templates",
    )  # fmt: skip
    shutil.rmtree(f"{GETTEXT_OUT}/api", ignore_errors=True)  # the API reference's docstrings stay English
    languages = [arg for language in TRANSLATIONS for arg in ("-l", language)]
    session.run("sphinx-intl", "update", "-p", GETTEXT_OUT, "-d", "docs/locales", *languages)
    os.makedirs(EXTENSION_POT, exist_ok=True)
    for domain, (package, *more) in EXTENSION_CATALOGS.items():
        pot, locale = f"{EXTENSION_POT}/{domain}.pot", f"{package}/locale"
        session.run("pybabel", "extract", "-o", pot, package, *more)
        for language in TRANSLATIONS:
            exists = os.path.exists(f"{locale}/{language}/LC_MESSAGES/{domain}.po")
            command = "update" if exists else "init"
            session.run("pybabel", command, "-D", domain, "-i", pot, "-d", locale, "-l", language)
        session.run("pybabel", "compile", "-D", domain, "-d", locale)


@nox.session(name="docs-live")
def docs_live(session: nox.Session) -> None:
    """Serve the site locally and rebuild it on every change (for authors)."""
    install_project(session, "docs,live")
    session.run(
        "sphinx-autobuild",
        "docs",
        "docs/_build/live",  # one edition, English (add -D language=zh_CN for the other)
        "--watch",
        "ext",
        "--watch",
        "gallery",
        *session.posargs,
        env=QUIET_BACKENDS,
    )


@nox.session
def tests(session: nox.Session) -> None:
    """Unit tests, Sphinx build tests, the gallery smoke runs and the browser tests.

    The browser tests need Debian's chromium (skipped without it); the
    accessibility test injects axe-core, installed here from npm when npm exists.
    """
    install_project(session, "docs,tests")
    run_tests(session)


@nox.session(name="tests-latest")
def tests_latest(session: nox.Session) -> None:
    """The same tests on the newest release of every package, outside the lock.

    Not part of CI's default run: start it on purpose (say, weekly) to learn what
    an upstream release breaks before ``nox -s lock`` takes it in.
    """
    session.install("--upgrade", "--upgrade-strategy", "eager", *both_packages("docs,tests"))
    run_tests(session)


def run_tests(session: nox.Session) -> None:
    env = dict(QUIET_BACKENDS)
    if shutil.which("npm"):
        axe = os.path.join(session.virtualenv.location, "axe")
        session.run("npm", "install", "--silent", "--no-save", "--prefix", axe, "axe-core@4", external=True)
        env["AXE_CORE_JS"] = os.path.join(axe, "node_modules", "axe-core", "axe.min.js")
    # two at once (the smoke site is built once for both); a file's tests share a worker (one clean room)
    session.run("pytest", "-n", "2", "--dist", "loadfile", *session.posargs, env=env)


@nox.session(reuse_venv=False)
def lock(session: nox.Session) -> None:
    """Resolve every session's packages together in a fresh environment and pin them in the lock."""
    backends = [package for packages in BACKEND_PACKAGES.values() for package in packages]
    session.install(*both_packages("docs,tests,i18n,live"), "ruff", *backends, "-r", BIOIMAGE_VALIDATOR)
    frozen = session.run("python", "-m", "pip", "freeze", "--exclude-editable", silent=True)
    Path(LOCK).write_text(lock_text(frozen))
    session.log(f"{LOCK}: {len(frozen.splitlines())} packages pinned")


def lock_text(frozen: str) -> str:
    """``pip freeze``'s output as the lock: a local build label dropped (``torch==2.13.0+cpu``
    pins ``torch==2.13.0``, which that build satisfies), with a header saying how it was made."""
    pins = sorted(re.sub(r"\+[\w.]+$", "", line) for line in frozen.splitlines() if "==" in line)
    header = "# The lock: written by `nox -s lock` (do not edit); every nox session installs within it.\n"
    return header + "\n".join(pins) + "\n"


@nox.session
def bench(session: nox.Session) -> None:
    """The gallery's budgets: per-example time, memory and metrics; docs build times.

    ``nox -s bench -- --repeat 3`` reports medians of three runs; ``--profile full``
    on a GPU machine; ``--no-docs`` skips the two docs builds.
    """
    install_project(session, "docs")
    session.run("python", "benchmarks/gallery_budget.py", *session.posargs, env=QUIET_BACKENDS)


#: CAREamics, the field's reference implementation of CARE (0.3.5 allows the lock's torch,
#: 2.13.0).  It is installed without its requirements, which follow within the lock less
#: three: torchvision (every release on the registry is built for CUDA's torch and fails to
#: import beside the CPU one; CAREamics needs it only for its LVAE models and model-zoo
#: export, and the script stands in for it), PyYAML (capped below the lock's) and microssim
#: (a metric of its LVAE models, which caps torch at 2.11).
CAREAMICS = "careamics==0.3.5"
CAREAMICS_SKIPPED = ("torchvision", "pyyaml", "microssim")


@nox.session
def care(session: nox.Session) -> None:
    """The denoising page's network against CARE (CAREamics) trained the same way, and BM3D.

    ``nox -s care -- --network denoising.keras --seconds 59`` (the page's network
    file and its training seconds); the table goes to ``bench/care.md``.
    """
    install_project(session, "docs")
    install(session, "--no-deps", CAREAMICS)  # the lock has no CAREamics: pinned here
    requires = session.run(
        "python", "-c",
        "from importlib.metadata import requires; "
        "print('\\n'.join(r for r in requires('careamics') if 'extra ==' not in r))",
        silent=True,
    )  # fmt: skip
    wanted = [line for line in requires.splitlines() if not line.lower().startswith(CAREAMICS_SKIPPED)]
    install(session, *BACKEND_PACKAGES["torch"], *wanted)
    session.run("python", "benchmarks/care_reference.py", *session.posargs, env=QUIET_BACKENDS)


#: What a GPU machine with Python 3.12 and PyTorch but no Keras lacks to run the gallery.
GPU_WHEELS = ["keras==3.15.1", "namex", "optree", "PyWavelets", "bm3d", "bm4d"]
GPU_PLATFORMS = [f"manylinux_2_{n}_x86_64" for n in (28, 27, 17)] + ["manylinux2014_x86_64"]


@nox.session(name="gpu-wheels")
def gpu_wheels(session: nox.Session) -> None:
    """Download into .whl/ the wheels benchmarks/gpu-gallery.sh installs on a GPU machine."""
    platforms = [arg for platform in GPU_PLATFORMS for arg in ("--platform", platform)]
    session.run(
        "python", "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--python-version", "3.12",
        "--implementation", "cp", *platforms, "-d", ".whl", *GPU_WHEELS,
    )  # fmt: skip


#: What each non-default Keras backend needs, on the CPU (torch 2.13.0 is the
#: CPU build this project's machines keep on disk).
BACKEND_PACKAGES = {"jax": ["jax"], "torch": ["torch==2.13.0"]}


@nox.session
def backends(session: nox.Session) -> None:
    """The gallery's smoke runs on JAX, then PyTorch (the examples use only Keras 3), in one
    environment; each example runs as a script, two at once."""
    # sphinx-gallery's source parser: a test checks every measured table ends its code cell
    packages = [package for packages in BACKEND_PACKAGES.values() for package in packages]
    install_project(session, "gallery,tests", "sphinx-gallery>=0.17", *packages)
    for backend in BACKEND_PACKAGES:
        env = {**QUIET_BACKENDS, "KERAS_BACKEND": backend}
        session.run("pytest", "tests/gallery", "--examples-from", "scripts", *session.posargs, env=env)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    install(session, "ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
