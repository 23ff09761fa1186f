"""What the workflow steps share: where a step keeps what it made, and how a later
step gets it back.

A step saves its results (arrays, a Keras model) under a fingerprint of its own
source and of every earlier step's, plus the profile and the Keras backend.
A later step asks for a result by the step that makes it; when that result is
missing, or was made by older code, the making step is run again (quietly)
first.  So each page runs alone, and an edited step never leaves a later page
with stale results.

The steps' sources travel with this module (the readers' wheel holds a copy
of ``gallery/workflow`` as ``workflow_steps``; in the project they are read
from the gallery itself), so a step downloaded alone re-makes what it needs
from the earlier steps.  Pages that run at once and both find a result
missing re-make it once: the first takes a lock beside the result (a file,
so the lock holds between processes on any system), the other waits and
then finds the result made.  The
results are kept in ``.store`` under the working directory, or where
``DLIS_WORKFLOW_STORE`` says (a docs build keeps them with the generated
gallery, shared by every page that reuses them).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import runpy
from pathlib import Path

from filelock import FileLock


def _steps_folder() -> Path:
    packaged = Path(__file__).with_name("workflow_steps")
    return packaged if packaged.is_dir() else Path(__file__).parents[4] / "gallery" / "workflow"


STEPS = _steps_folder()
STORE_VARIABLE = "DLIS_WORKFLOW_STORE"


def store() -> Path:
    """The folder that holds every step's results (``DLIS_WORKFLOW_STORE``, or ``.store``).

    Examples
    --------
    >>> store().name in {".store", os.environ.get(STORE_VARIABLE, "").rstrip("/").split("/")[-1]}
    True
    """
    return Path(os.environ.get(STORE_VARIABLE, ".store"))


def _steps_up_to(step: str) -> list[Path]:
    return sorted(path for path in STEPS.glob("plot_*.py") if path.name <= step)


def sources_digest(paths: list[Path], *words: str) -> str:
    """A short hash of the files ``paths`` (names and contents) and ``words``.

    What decides whether results made from those sources are still good.

    Parameters
    ----------
    paths : list of pathlib.Path
        Source files, in any order.
    *words : str
        Anything else the results depend on (a profile, a backend).

    Returns
    -------
    str
        16 hexadecimal digits.

    Examples
    --------
    >>> _ = Path("step.py").write_text("a = 1")
    >>> first = sources_digest([Path("step.py")], "quick")
    >>> _ = Path("step.py").write_text("a = 2")
    >>> len(first), first != sources_digest([Path("step.py")], "quick")
    (16, True)
    """
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + path.read_bytes())
    digest.update(" ".join(words).encode())
    return digest.hexdigest()[:16]


def fingerprint(step: str) -> str:
    """A hash of ``step`` (a file name such as ``"plot_4_model_training.py"``), every
    earlier step, this file, the profile and the backend.

    Examples
    --------
    >>> len(fingerprint("plot_1_data_input.py"))
    16
    """
    import keras

    from .profile import select_profile

    return sources_digest([*_steps_up_to(step), Path(__file__)], select_profile(), keras.backend.backend())


def output(step: str, name: str) -> Path:
    """Where ``step`` saves its result ``name`` (a file name); the folder is made.

    Examples
    --------
    In step 4, after training: ``model.save(output("plot_4_model_training.py", "unet.keras"))``.
    """
    folder = store() / fingerprint(step)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def result(step: str, name: str) -> Path:
    """The path of the result ``name`` of ``step``, made again first when missing or stale.

    Parameters
    ----------
    step : str
        The step that makes it, as a file name (``"plot_4_model_training.py"``).
    name : str
        The result's file name (``"unet.keras"``).

    Returns
    -------
    pathlib.Path
        A file that exists.

    Examples
    --------
    In step 9: ``keras.saving.load_model(result("plot_4_model_training.py", "unet.keras"))``
    (trains the network of step 4 first, when no current one is saved; a page that
    asks meanwhile waits for it instead of training it too).
    """
    path = output(step, name)  # where the step saves it, its folder made for the lock
    with FileLock(path.with_name(f"{name}.lock")):
        if not path.exists():
            definitions(step)
    return path


def definitions(step: str) -> dict:
    """Run ``step`` quietly and return what it defined (its functions, its variables).

    Returns
    -------
    dict
        The step's global names.

    Examples
    --------
    In step 9: ``micrograph = definitions("plot_1_data_input.py")["micrograph"]`` (step 1's
    generator of synthetic micrographs, without its figures or its printed tables).
    """
    import matplotlib.pyplot as plt

    quiet = {**os.environ}
    os.environ.pop("DLIS_METRICS_DIR", None)  # its tables are not this page's
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            found = runpy.run_path(str(STEPS / step), run_name="workflow_step")
    finally:
        os.environ.clear()
        os.environ.update(quiet)
        plt.close("all")
    return found
