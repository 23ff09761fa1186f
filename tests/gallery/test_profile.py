"""Unit tests of profile selection and the per-run helpers."""

import json

import pytest

from dlis_gallery.profile import ProfileError, device_name, select_profile
from dlis_gallery.run import ExampleRun


def test_a_gpu_means_full_and_a_cpu_quick():
    assert select_profile(environ={}, gpus=lambda: 1) == "full"
    assert select_profile(environ={}, gpus=lambda: 0) == "quick"


@pytest.mark.parametrize("name", ["smoke", "quick", "full", " FULL "])
def test_the_environment_overrides_the_hardware(name):
    def no_hardware_probe():
        raise AssertionError("the override must not probe the hardware")

    assert select_profile(environ={"DLIS_PROFILE": name}, gpus=no_hardware_probe) == name.strip().lower()


def test_an_unknown_profile_is_an_error():
    with pytest.raises(ProfileError, match="choose one of smoke, quick, full"):
        select_profile(environ={"DLIS_PROFILE": "fast"})


def test_device_names():
    assert device_name(2) == "2 GPUs"
    assert device_name(1) == "1 GPU"
    assert device_name(0).startswith("CPU (")


def _run(profile="quick"):
    return ExampleRun(name="x", profile=profile, backend="tensorflow", device="CPU")


def test_pick_follows_the_profile():
    assert _run("smoke").pick(smoke=1, quick=2, full=3) == 1
    assert _run("full").pick(smoke=1, quick=2, full=3) == 3


def test_table_prints_every_row_and_saves_json(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DLIS_METRICS_DIR", str(tmp_path))
    run = _run()
    rows = [{"method": "TV", "PSNR": 27.512}, {"method": "Network", "PSNR": 28.25}]
    run.table("Held-out", rows)
    printed = capsys.readouterr().out
    assert "TV" in printed and "27.512" in printed and "28.250" in printed
    saved = json.loads((tmp_path / "x.json").read_text())
    assert saved["tables"]["Held-out"] == rows
    assert saved["profile"] == "quick"


def test_tiny_values_are_printed_in_scientific_notation(capsys):
    _run().table("t", [{"method": "a", "difference": 3.2e-8, "PSNR": 27.5123, "zero": 0.0}])
    printed = capsys.readouterr().out
    assert "3.20e-08" in printed and "27.512" in printed and "0.000" in printed
