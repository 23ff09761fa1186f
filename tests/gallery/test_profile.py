"""Unit tests of profile selection and the per-run helpers."""

import json

import numpy as np
import pytest

from dlis_gallery.profile import ProfileError, device_name, select_profile, steps_per_call
from dlis_gallery.quiet import quiet_keras
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


def test_several_steps_per_call_train_the_same_weights():
    """The claim behind steps_per_call: the same batches in the same order, the same training."""
    keras = quiet_keras()
    if steps_per_call(10) == 1:
        pytest.skip(f"Keras' {keras.backend.backend()} backend runs one step per call")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(320, 4)).astype("float32")
    y = (x @ rng.normal(size=(4, 1))).astype("float32")

    def trained(steps):
        keras.utils.set_random_seed(1)
        hidden = keras.layers.Dense(8, activation="tanh")
        model = keras.Sequential([keras.Input((4,)), hidden, keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", steps_per_execution=steps)
        before = [keras.ops.convert_to_numpy(weight) for weight in model.weights]
        model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)
        return before, [keras.ops.convert_to_numpy(weight) for weight in model.weights]

    (start, one_by_one), (same_start, ten_at_once) = trained(1), trained(10)
    assert all(np.array_equal(a, b) for a, b in zip(start, same_start, strict=True))
    assert not np.allclose(start[0], one_by_one[0], atol=1e-3)  # 30 steps moved the weights
    assert all(np.allclose(a, b, atol=1e-6) for a, b in zip(one_by_one, ten_at_once, strict=True))
