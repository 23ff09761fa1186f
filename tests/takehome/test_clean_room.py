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
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import tifffile
from bs4 import BeautifulSoup

from gallery_pages.readers_wheel import install_line
from tests.conftest import ROOT

pytestmark = pytest.mark.slow
EDITION = "en"
SCRIPTS = ["plot_segmentation.py", "plot_volume_segmentation.py", "plot_2_perceptron.py"]
SCRIPTS += ["plot_9_application.py"]
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


def test_every_module_of_the_readers_package_imports_where_there_is_no_sphinx(clean_python, tmp_path):
    modules = sorted(path.stem for path in (ROOT / "ext/dlis-gallery/src/dlis_gallery").glob("[a-z]*.py"))
    check = (
        "import importlib, importlib.util\n"
        "assert importlib.util.find_spec('sphinx') is None, 'Sphinx is installed'\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('dlis_gallery.' + name)\n"
        f"print('imported', len({modules!r}))\n"
    )
    work = tmp_path / "empty"
    work.mkdir()
    command = [str(clean_python), "-c", check]
    done = subprocess.run(command, cwd=work, env=_clean_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"imported {len(modules)}" in done.stdout


APPLICATIONS = ["plot_denoising", "plot_segmentation", "plot_object_detection", "plot_super_resolution"]
#: What each page's block is given: a 16-bit TIFF of 97x83 pixels of 0.2 µm, or for the
#: volume page a 16-bit OME-TIFF of 20x50x44 voxels of 2 x 1 x 1 µm; and what it then prints.
READERS_FILES = {page: ((97, 83), (1.0, 0.2, 0.2), "97x83 (0.2 x 0.2 µm pixels)") for page in APPLICATIONS}
READERS_FILES["plot_volume_segmentation"] = ((20, 50, 44), (2.0, 1.0, 1.0), "20x50x44 (2 x 1 x 1 µm voxels)")
IMAGE_FILE = re.compile(r'read_image\("(?P<name>[^"]+)"\)')
NETWORK_FILE = re.compile(r'apply_network\("(?P<name>[^"]+\.keras)"')


def _use_it_block(site: Path, page: str) -> str:
    """The code block of an application page that applies its network to a file, as shown."""
    soup = BeautifulSoup(
        (site / EDITION / f"auto_examples/applications/{page}.html").read_text("utf-8"), "html.parser"
    )
    (block,) = [
        pre.get_text()
        for pre in soup.select("div.highlight-Python pre")
        if "read_image(" in pre.get_text() and "apply_network(" in pre.get_text()
    ]  # the one that reads the reader's file (the Keras-free block below it reuses the image)
    return block


@pytest.mark.parametrize("page", READERS_FILES)
def test_each_pages_use_it_block_runs_as_pasted_on_a_16_bit_tiff(site, clean_python, tmp_path, page):
    block = _use_it_block(site, page)
    image_name, network_name = IMAGE_FILE.search(block)["name"], NETWORK_FILE.search(block)["name"]
    work = tmp_path / "empty"
    work.mkdir()
    shutil.copy(_download(site, network_name), work)
    shape, (depth, height, width), said = READERS_FILES[page]
    counts = np.random.default_rng(0).normal(20000, 3000, shape).clip(0, 65535).astype("uint16")
    if len(shape) == 3:  # a scanner's volume, as OME-TIFF with its voxel size
        sizes = {"PhysicalSizeZ": depth, "PhysicalSizeY": height, "PhysicalSizeX": width}
        tifffile.imwrite(work / image_name, counts, ome=True, metadata={"axes": "ZYX", **sizes})
    else:
        scale = {"resolution": (1 / width, 1 / height), "metadata": {"unit": "micron"}}
        tifffile.imwrite(work / image_name, counts, imagej=True, **scale)
    done = subprocess.run(
        [str(clean_python), "-c", block],
        cwd=work,
        env=_clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"{page}:\n{block}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert said in done.stdout
