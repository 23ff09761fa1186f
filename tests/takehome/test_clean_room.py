"""Downloads that run: a script and a notebook of each gallery group, taken from the built site
into an empty folder, run in a fresh virtual environment that has only what the pages say to
install (the site's wheel, its requirements, TensorFlow) and a notebook runner; and a downloaded
trained network applied to an image of a size it never saw.  The environment is made with the
site's own install line, pointed at the site served from this machine.

The environment installs from the package index (pip's cache makes a second run quick); it never
sees this repository: it is created without the project's editable install, and every command
runs outside the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dlis_gallery.reader_wheel import install_line
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
EDITION = "en"
SCRIPTS = ["plot_segmentation.py", "plot_2_perceptron.py", "plot_9_application.py"]
NOTEBOOKS = ["plot_super_resolution.ipynb", "plot_6_autoencoder.ipynb", "plot_4_model_training.ipynb"]


def _download(site: Path, name: str) -> Path:
    (found,) = (site / EDITION / "_downloads").glob(f"*/{name}")
    return found


def _clean_env() -> dict:
    ours = ("DLIS_", "PYTHON", "VIRTUAL")
    env = {key: value for key, value in os.environ.items() if not key.startswith(ours)}
    env.pop("KERAS_BACKEND", None)  # the page's line installs TensorFlow, Keras' default backend
    return {**env, "DLIS_PROFILE": "smoke", "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3"}


@pytest.fixture(scope="session")
def clean_python(site, server, tmp_path_factory) -> Path:
    """A fresh virtual environment made with the run-it-yourself page's line (the site served
    over http, as readers meet it), plus a notebook runner."""
    folder = tmp_path_factory.mktemp("clean-room")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    python = folder / "venv" / "bin" / "python"
    line = install_line(f"{server}{EDITION}/").split()
    assert line[:2] == ["pip", "install"]
    install = [str(python), "-m", *line, "--quiet", "nbclient", "ipykernel"]
    done = subprocess.run(install, cwd=folder, env=_clean_env(), capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    where = subprocess.run(
        [str(python), "-c", "import dlis_gallery; print(dlis_gallery.__file__)"],
        cwd=folder,
        env=_clean_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(folder / "venv") in where and str(ROOT) not in where, where
    return python


def _run_in_empty_folder(python: Path, downloaded: Path, tmp_path: Path, command: list[str]) -> str:
    work = tmp_path / "empty"
    work.mkdir()
    shutil.copy(downloaded, work)
    done = subprocess.run(
        [str(python), *command], cwd=work, env=_clean_env(), capture_output=True, text=True, timeout=1200
    )
    assert done.returncode == 0, f"{downloaded.name}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.mark.parametrize("name", SCRIPTS)
def test_a_downloaded_script_runs_from_an_empty_folder(site, clean_python, tmp_path, name):
    output = _run_in_empty_folder(clean_python, _download(site, name), tmp_path, [name])
    assert "profile smoke" in output


NOTEBOOK_RUNNER = """
import sys, nbclient, nbformat
notebook = nbformat.read(sys.argv[1], as_version=4)
assert notebook.cells[0].source.splitlines()[-1].startswith("%pip install"), notebook.cells[0].source
nbclient.NotebookClient(notebook, timeout=1200, kernel_name="python3").execute()
print("".join(out.get("text", "") for cell in notebook.cells for out in cell.get("outputs", [])))
"""


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_downloaded_notebook_runs_from_an_empty_folder(site, clean_python, tmp_path, name):
    notebook = _download(site, name)
    output = _run_in_empty_folder(clean_python, notebook, tmp_path, ["-c", NOTEBOOK_RUNNER, name])
    assert "profile smoke" in output


def test_a_downloaded_network_cleans_an_image_of_a_size_it_never_saw(site, clean_python, tmp_path):
    apply = textwrap.dedent("""
        import numpy as np
        from skimage import data, img_as_float
        from dlis_gallery.networks import load_network, predict_tiled

        network, about = load_network("denoising.keras")
        assert about["network"] == "denoising" and about["expects"]["input"], about
        image = img_as_float(data.camera())[:123, :157]
        noisy = image + np.random.default_rng(0).normal(0, 0.1, image.shape)
        restored = predict_tiled(network, noisy, tile=64, margin=16)
        assert restored.shape == image.shape and np.isfinite(restored).all()
        print("applied", restored.shape)
    """)
    output = _run_in_empty_folder(clean_python, _download(site, "denoising.keras"), tmp_path, ["-c", apply])
    assert "applied (123, 157)" in output
