"""The gallery's side of the Sphinx build: quiet start-up and a clean slate per example.

Listed in ``extensions``, it imports Keras once without TensorFlow's start-up
noise, logs the profile the gallery runs with, makes sure a change of
profile re-runs the examples, tells the examples that their tables are shown
as HTML, words and repairs what sphinx-gallery writes itself (its measured
sentences in the build's language, thumbnails, no CDN scripts so the site works
offline: ``gallery_words.py``), words the measured results (``page_results.py``),
shows what each example cost (``costs.py``), and
gives readers what they take home (``take_home.py``) and each application page's
answer first (``answer_box.py``).  ``conf.py`` names
:func:`reset_example` in sphinx-gallery's ``reset_modules``, so every example
starts with a cleared Keras session, fresh seeds and no open figures, whatever
ran before it, and under a time limit (``example_limit.py``); every example
that fails is named in one report at the end (``gallery_failures.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

from dlis_gallery import workflow
from dlis_gallery.profile import PROFILE_VARIABLE, device_name, gpu_count, select_profile, visible_gpu_count
from dlis_gallery.quiet import quiet_keras
from dlis_gallery.run import DISPLAY_VARIABLE, SEED, example_seed, make_deterministic

from . import example_limit, gallery_failures
from .advice import setup_advice
from .answer_box import setup_answer_box
from .costs import setup_costs
from .gallery_failures import setup_gallery_failures
from .gallery_words import setup_gallery_words
from .page_results import setup_page_results
from .reference import setup_reference
from .scoreboard import setup_scoreboard
from .take_home import gallery_output, setup_take_home

PROFILE_STAMP = ".dlis-profile"


def reset_example(gallery_conf, fname, when) -> None:
    """sphinx-gallery's reset hook: before each example, clear Keras state, reseed and
    start the example's clock (and end with the build, in a worker); after it, stop the clock."""
    if when == "after":
        example_limit.disarm()
        return
    keras = quiet_keras()
    keras.utils.clear_session(free_memory=True)
    gpus = gpu_count()
    make_deterministic(SEED + example_seed(), kernels=gpus == 0)
    example_limit.end_with_the_build()
    gallery_failures.leave_out_example_warnings()
    limit = example_limit.example_timeout(select_profile(gpus=lambda: gpus))  # the build set both
    example_limit.arm(Path(fname).name, limit)


def prepare_gallery(app) -> None:
    """Before sphinx-gallery runs: log the profile, and make sphinx-gallery re-run
    every example when the profile changed.  Keras is imported (quietly) by the
    first example that runs, so a build with nothing to run never imports it.

    sphinx-gallery skips an example whose source has not changed since its last
    run (an ``.md5`` file beside its output), which would show the numbers of
    the previous profile: a smoke preview would leave smoke tables in the next
    build.  A stamp of the profile beside the outputs drops those files when it
    differs.
    """
    gpus = visible_gpu_count()
    profile = select_profile(gpus=lambda: gpus)
    print(f"Gallery: {device_name(gpus)}, {profile} profile")
    app.env.dlis_gallery_profile = profile  # pages of the full profile need no recorded full-profile box
    os.environ[PROFILE_VARIABLE] = profile  # decided once: every example, in any worker, runs this one
    timeout = example_limit.example_timeout(profile)
    os.environ[example_limit.TIMEOUT_VARIABLE] = f"{timeout:g}"  # and under this limit
    os.environ[example_limit.BUILD_PID_VARIABLE] = str(os.getpid())  # which its workers outlive never
    print(f"Gallery: each example may run {timeout:g} s ({example_limit.TIMEOUT_VARIABLE})")
    app.env.dlis_gallery_gpus = gpus  # the machine the examples ran on, for dlis-costs
    os.environ[DISPLAY_VARIABLE] = "html"  # sphinx-gallery shows a cell's last value's _repr_html_
    conf = app.config.sphinx_gallery_conf
    # the workflow's results, shared by every page that reuses them, kept with the generated gallery
    shared = gallery_output(app.srcdir, app.config) / ".workflow-store"
    os.environ.setdefault(workflow.STORE_VARIABLE, str(shared))
    for examples, folder in zip(conf.get("examples_dirs", []), conf.get("gallery_dirs", []), strict=False):
        forget_other_profiles(Path(app.srcdir, folder), profile)
        for chained in app.config.dlis_chained_gallery_dirs:
            if Path(chained).parent == Path(folder):
                own = Path(app.srcdir, examples, Path(chained).name).glob("*.py")
                sources = [*own, *workflow.STEPS.glob("*.py"), Path(workflow.__file__)]
                made_by = f"{profile} {workflow.sources_digest(sources)}"
                forget_other_profiles(Path(app.srcdir, chained), made_by)


def forget_other_profiles(outputs: Path, profile: str) -> None:
    """Drop sphinx-gallery's checksums in ``outputs`` unless they were made by ``profile``
    (a profile name, possibly with a digest of the sources)."""
    stamp = outputs / PROFILE_STAMP
    if stamp.is_file() and stamp.read_text().strip() == profile:
        return
    for checksum in outputs.rglob("*.md5"):
        checksum.unlink()
    outputs.mkdir(parents=True, exist_ok=True)
    stamp.write_text(profile + "\n")


def setup(app) -> dict:
    app.add_config_value("dlis_chained_gallery_dirs", [], "env")
    app.connect("builder-inited", prepare_gallery, priority=400)
    setup_gallery_failures(app)
    setup_gallery_words(app)
    setup_page_results(app)
    setup_reference(app)
    setup_scoreboard(app)
    setup_advice(app)
    setup_take_home(app)
    setup_answer_box(app)
    setup_costs(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
