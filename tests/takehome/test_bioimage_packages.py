"""The built site's bioimage.io packages, validated and test-run by the field's own library
(``bioimageio.core``) in a fresh environment that has only it and onnxruntime: no project code,
no Keras, no network (the packages hold no URLs, and the validator is told not to fetch).

The validator reruns each package's test input through its declared preprocessing, ONNX weights
and postprocessing, compares the answer with its test output within the spec's tolerance, and
runs it at other sizes and batch sizes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow
APPLICATIONS = ["denoising", "segmentation", "volume_segmentation", "object_detection", "super_resolution"]
VALIDATE = """
import json, sys, warnings
warnings.simplefilter("ignore")
from bioimageio.core import test_model
summary = test_model(sys.argv[1], weight_format="onnx")
failed = [(d.name, [e.msg for e in d.errors]) for d in summary.details if d.status == "failed"]
print(json.dumps({"status": summary.status, "checks": len(summary.details), "failed": failed}))
"""


@pytest.fixture(scope="session")
def validator(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bioimage-validator")
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    python = folder / "venv" / "bin" / "python"
    requirements = [
        "-r",
        str(ROOT / "tests/takehome/bioimage-validator.txt"),
        "-c",
        str(ROOT / "constraints.txt"),
    ]
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *requirements],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return python


def _package(site: Path, name: str) -> Path:
    (found,) = (site / "en" / "_downloads").glob(f"*/{name}.bioimageio.zip")
    return found


@pytest.mark.parametrize("name", APPLICATIONS)
def test_the_field_s_library_validates_and_test_runs_each_package_offline(site, validator, tmp_path, name):
    package = _package(site, name)
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL", "DLIS_"))
    }
    env |= {"BIOIMAGEIO_PERFORM_IO_CHECKS": "0", "BIOIMAGEIO_CACHE_PATH": str(tmp_path / "cache")}
    done = subprocess.run(
        [str(validator), "-c", VALIDATE, str(package)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == "passed", result["failed"]
    assert result["checks"] >= 3
    assert package.stat().st_size < 10e6
