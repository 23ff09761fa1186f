"""``dlis-apply`` on each network the site offers: a 16-bit TIFF in, the right kind of result out
(with the pixel size kept), a warning when the image is unlike what the network learnt, and one
line and exit status 2 for each kind of input it cannot use."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import tifffile

from dlis_gallery.image_files import read_image, write_image

pytestmark = pytest.mark.slow
COMMAND = Path(sys.executable).with_name("dlis-apply")


def _networks(site: Path) -> Path:
    return site.parent / "docs" / "auto_examples" / "networks"


def _apply(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return subprocess.run(
        [str(COMMAND), *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def _tiff(path: Path, shape, rng, axes="YX", noise=2000.0) -> Path:
    counts = (20000 + 8000 * rng.random(shape) + rng.normal(0, noise, shape)).clip(0, 65535)
    write_image(path, counts.astype("uint16"), axes, (1.5, 0.2, 0.2))
    return path


@pytest.mark.parametrize(
    ("network", "kind", "shape", "axes", "output", "expected"),
    [
        ("denoising.keras", "denoise", (61, 77), "YX", "out.tif", ((61, 77), "float32")),
        ("segmentation.keras", "segment", (3, 61, 77), "ZYX", "out.tif", ((3, 61, 77), "uint8")),
        ("super_resolution.keras", "upscale", (31, 39), "YX", "out.tif", ((62, 78), "float32")),
        ("object_detection.keras", "detect", (61, 77), "YX", "out.csv", None),
    ],
)
def test_each_network_turns_a_16_bit_tiff_into_its_kind_of_result(
    site, tmp_path, network, kind, shape, axes, output, expected
):
    source = _tiff(tmp_path / "in.tif", shape, np.random.default_rng(0), axes)
    done = _apply(_networks(site) / network, source, "-o", tmp_path / output, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    said = done.stdout.strip().splitlines()
    assert len(said) == 1 and said[0].startswith(f"{kind}: {source}"), said
    assert "Traceback" not in done.stderr
    if expected is None:
        rows = list(csv.DictReader((tmp_path / output).open()))
        assert rows == [] or set(rows[0]) == {"plane", "row", "column", "score"}
        assert f"{len(rows)} spots" in said[0]
        return
    result = read_image(tmp_path / output)
    assert (result.data.shape, str(result.data.dtype)) == expected
    scale = 2 if network.startswith("super") else 1
    assert result.pixel_size[1:] == pytest.approx((0.2 / scale, 0.2 / scale)), (
        "the pixel size is carried over"
    )


def test_a_denoiser_warns_about_an_image_much_cleaner_than_it_learnt_and_not_about_a_noisy_one(
    site, tmp_path
):
    network = _networks(site) / "denoising.keras"
    clean = np.tile(np.linspace(10000, 50000, 96), (96, 1)).astype("uint16")
    tifffile.imwrite(tmp_path / "clean.tif", clean)
    warned = _apply(network, tmp_path / "clean.tif", "-o", tmp_path / "a.tif", cwd=tmp_path)
    assert warned.returncode == 0 and "dlis-apply: warning: Its noise level" in warned.stderr
    assert "is below what the network learnt" in warned.stderr
    noisy = _tiff(tmp_path / "noisy.tif", (96, 96), np.random.default_rng(1), noise=9000.0)
    quiet = _apply(network, noisy, "-o", tmp_path / "b.tif", cwd=tmp_path)
    assert quiet.returncode == 0 and "warning" not in quiet.stderr, quiet.stderr


def test_each_kind_of_bad_input_gets_one_line_and_status_2(site, tmp_path):
    network = _networks(site) / "segmentation.keras"
    rng = np.random.default_rng(2)
    (tmp_path / "notes.keras").write_text("these are notes")
    tifffile.imwrite(
        tmp_path / "colour.tif", (rng.random((40, 50, 3)) * 255).astype("uint8"), photometric="rgb"
    )
    tifffile.imwrite(
        tmp_path / "movie.tif", np.zeros((2, 3, 40, 50), "uint16"), imagej=True, metadata={"axes": "TCYX"}
    )
    tifffile.imwrite(tmp_path / "tiny.tif", np.zeros((4, 5), "uint16"))
    good = _tiff(tmp_path / "good.tif", (40, 50), rng)
    cases = {
        "missing network": ([tmp_path / "missing.keras", good], "no such file"),
        "not a network": ([tmp_path / "notes.keras", good], "not a Keras network file"),
        "missing image": ([network, tmp_path / "missing.tif"], "no such file"),
        "colour image": ([network, tmp_path / "colour.tif"], "colour or multichannel image"),
        "unexpected axes": ([network, tmp_path / "movie.tif"], "TCYX"),
        "too small": ([network, tmp_path / "tiny.tif"], "needs 8 a side or more"),
    }
    for case, (args, words) in cases.items():
        done = _apply(*args, "-o", tmp_path / "out.tif", cwd=tmp_path)
        lines = done.stderr.strip().splitlines()
        assert done.returncode == 2, (case, done.stderr)
        assert len(lines) == 1 and lines[0].startswith("dlis-apply: error: ") and words in lines[0], (
            case,
            lines,
        )
