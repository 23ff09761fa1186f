"""A saved network's bioimage.io package: described by the spec's own classes (which validate it
as they write), with the preprocessing, sizes, halo and test tensors its record implies, and
applied without Keras (onnxruntime) to the same answer as the Keras network.  The field's own
library runs the packages of the built site in tests/takehome/test_bioimage_packages.py."""

from __future__ import annotations

import json
import warnings
import zipfile

import keras
import numpy as np
import pytest

from dlis_gallery.bioimage import FIXED_SIDE, PACKAGE_TOOLS, package_network, preprocessed
from dlis_gallery.inference import HowToApply, apply_network
from dlis_gallery.networks import flip_averaged, save_network
from dlis_gallery.run import SavedNetwork, unpackable

if keras.backend.backend() != "tensorflow":
    pytest.skip("packages are made on TensorFlow (Keras' ONNX export)", allow_module_level=True)
load_model_description = pytest.importorskip("bioimageio.spec").load_model_description


def _saved(tmp_path, model, how, name="tiny"):
    about = {"network": name, "learnt": "noise", "apply": how.record(), "profile": "smoke", "comparisons": []}
    return save_network(model, tmp_path / f"{name}.keras", about), about


def _pooling_network(outputs: int = 1) -> keras.Model:
    inputs = keras.Input((None, None, 1))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    down = keras.layers.MaxPooling2D()(x)
    up = keras.layers.UpSampling2D()(keras.layers.Conv2D(4, 3, padding="same")(down))
    x = keras.layers.Concatenate()([x, up])
    return keras.Model(inputs, keras.layers.Conv2D(outputs, 1)(x))


def _description(package):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_model_description(package, perform_io_checks=False)


def test_a_package_declares_the_scaling_sizes_and_halo_its_record_says(tmp_path):
    model = _pooling_network()
    how = HowToApply("denoise", (1.0, 99.0), (0.1, 0.8), (0.02, 0.2), (0.0, 1.0), halo=7, multiple=2)
    path, about = _saved(tmp_path, model, how)
    sample = np.random.default_rng(0).uniform(0, 4000, (67, 81)).astype("float32")
    package = package_network(model, how, about, path, sample)
    assert package.name == "tiny.bioimageio.zip"
    description = _description(package)
    assert type(description).__name__ == "ModelDescr", description
    (raw,) = description.inputs
    steps = {type(step).__name__: step for step in raw.preprocessing}  # the spec adds dtype steps
    ranged, linear = steps["ScaleRangeDescr"], steps["ScaleLinearDescr"]
    assert (ranged.kwargs.min_percentile, ranged.kwargs.max_percentile) == (1.0, 99.0)
    assert (round(linear.kwargs.gain, 6), linear.kwargs.offset) == (0.7, 0.1)
    y_axis = raw.axes[1]
    assert (y_axis.size.min, y_axis.size.step) == (16, 2)  # room for a halo of 7 on both sides
    assert description.outputs[0].axes[1].halo == 7
    assert set(description.weights.model_dump(exclude_none=True)) == {"onnx", "keras_v3"}
    with zipfile.ZipFile(package) as files:
        test_input = np.load(files.open("test_input.npy"))
        assert test_input.shape == (1, 66, 80, 1)  # cropped to the network's multiple
        assert HowToApply.from_record(json.loads(files.read("dlis.json"))["apply"]) == how
        test_output = np.load(files.open("test_output.npy"))
    expected = keras.ops.convert_to_numpy(model(preprocessed(test_input, how)))
    np.testing.assert_allclose(test_output, expected, atol=1e-6)


def test_a_network_that_learnt_images_scaled_to_0_and_1_gets_no_linear_step(tmp_path):
    model = _pooling_network()
    how = HowToApply("denoise", (1.0, 99.0), (0.0, 1.0), (0.02, 0.2), (0.0, 1.0), halo=7, multiple=2)
    path, about = _saved(tmp_path, model, how)
    sample = np.random.default_rng(3).uniform(0, 4000, (64, 64)).astype("float32")
    (raw,) = _description(package_network(model, how, about, path, sample)).inputs
    steps = [type(step).__name__ for step in raw.preprocessing]
    assert "ScaleRangeDescr" in steps and "ScaleLinearDescr" not in steps, steps


def _custom_loss(truth, answer):  # as the detection page's weighted loss: unknown to a loader
    return keras.ops.mean((truth - answer) ** 2 * (1 + truth))


def test_the_package_applied_without_keras_gives_the_networks_answer(tmp_path):
    model = _pooling_network(outputs=3)
    model.compile(optimizer="adam", loss=_custom_loss)
    model.fit(np.zeros((2, 16, 16, 1)), np.zeros((2, 16, 16, 3)), epochs=1, verbose=0)
    how = HowToApply(
        "segment", (1.0, 99.0), (0.1, 0.9), (0.0, 1.0), (-1.0, 2.0), halo=6, multiple=2, classes=3
    )
    path, about = _saved(tmp_path, model, how, name="phases")
    image = np.random.default_rng(1).integers(0, 60000, (90, 70)).astype("uint16")
    package = package_network(model, how, about, path, image[:64, :64])
    with zipfile.ZipFile(package) as files:
        scores = np.load(files.open("test_output.npy"))
    np.testing.assert_allclose(scores.sum(axis=-1), 1, atol=1e-5)  # as the declared softmax leaves them
    steps = [type(step).__name__ for step in _description(package).outputs[0].postprocessing]
    assert "SoftmaxDescr" in steps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        keras_labels = apply_network(path, image)
        onnx_labels = apply_network(package, image)
    assert onnx_labels.shape == (90, 70)
    assert np.mean(onnx_labels == keras_labels) > 0.999


@pytest.mark.parametrize("averaged", [False, True], ids=["one view", "flip-averaged"])
def test_an_interpolating_upsampler_gets_a_package_of_fixed_tiles_that_still_takes_any_image(
    tmp_path, averaged
):
    inputs = keras.Input((None, None, 1))
    smooth = keras.layers.UpSampling2D(2, interpolation="bicubic")(inputs)
    detail = keras.layers.Conv2DTranspose(1, 2, strides=2)(keras.layers.Conv2D(4, 3, padding="same")(inputs))
    model = keras.Model(inputs, keras.layers.Add()([smooth, detail]))
    model = flip_averaged(model) if averaged else model  # the upsampler one layer down
    how = HowToApply("upscale", (1.0, 99.0), (0.1, 0.9), (0.0, 1.0), (-1.0, 2.0), halo=2, scale=2)
    path, about = _saved(tmp_path, model, how, name="twice")
    sample = np.random.default_rng(2).uniform(0, 1, (200, 150)).astype("float32")
    package = package_network(model, how, about, path, sample)
    (raw,) = _description(package).inputs
    assert [axis.size for axis in raw.axes[1:3]] == [FIXED_SIDE, FIXED_SIDE]
    image = np.random.default_rng(3).uniform(0, 1, (75, 61)).astype("float32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        onnx_answer, keras_answer = apply_network(package, image), apply_network(path, image)
    assert onnx_answer.shape == (150, 122)
    np.testing.assert_allclose(onnx_answer, keras_answer, atol=1e-3)


def test_a_flip_averaged_network_packs_and_gives_its_answer_without_keras(tmp_path):
    """The denoising page packs the mean over eight views: the turns and flips export to ONNX
    (transposes and reversals) and run in onnxruntime as in Keras, on a non-square image."""
    model = flip_averaged(_pooling_network())
    how = HowToApply("denoise", (1.0, 99.0), (0.1, 0.8), (0.02, 0.2), (0.0, 1.0), halo=7, multiple=2)
    path, about = _saved(tmp_path, model, how, name="averaged")
    package = package_network(model, how, about, path, np.random.default_rng(5).random((48, 64)))
    image = np.random.default_rng(6).uniform(0, 4000, (90, 53)).astype("float32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        onnx_answer, keras_answer = apply_network(package, image), apply_network(path, image)
    assert onnx_answer.shape == (90, 53)
    np.testing.assert_allclose(onnx_answer, keras_answer, atol=0.05)  # counts, of 0 to 4000


def test_a_saved_network_says_which_tools_open_its_package_or_why_it_has_none(tmp_path):
    keras_file = tmp_path / "net.keras"
    package = tmp_path / "net.bioimageio.zip"
    keras_file.write_bytes(b"1" * 1000)
    package.write_bytes(b"1" * 2_000_000)
    saved = SavedNetwork(keras_file, package)
    assert str(saved).splitlines()[1] == f"Saved {package} (2.0 MB), its bioimage.io package: {PACKAGE_TOOLS}"
    assert saved._repr_html_().count("data-dlis-network=") == 2
    assert "TensorFlow" in unpackable("torch")
    assert unpackable("tensorflow") == ""


def test_without_the_bioimage_extra_a_saved_network_says_what_is_missing(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec

    def without_bioimageio(name, *args):
        if name.startswith("bioimageio"):
            raise ModuleNotFoundError(f"No module named {name.split('.')[0]!r}")  # as for a dotted name
        return real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_bioimageio)
    assert unpackable("tensorflow").startswith("No bioimage.io package: bioimageio.spec missing")


@pytest.mark.parametrize("name", ["missing.bioimageio.zip"])
def test_a_missing_package_is_named(name):
    from dlis_gallery.inference import NetworkFileError

    with pytest.raises(NetworkFileError, match=name):
        apply_network(name, np.zeros((32, 32)))


def test_an_export_with_axes_too_many_at_its_output_is_squeezed_back(tmp_path):
    """tf2onnx now and then leaves a convolution's last Squeeze out at the graph's output;
    an output that needs squeezing twice gets two names that clash with nothing."""
    import onnx
    from onnx import helper, numpy_helper

    from dlis_gallery.bioimage import OnnxNetwork, _squeeze_output

    model = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Conv2D(1, 3, padding="same")])
    batch = np.random.default_rng(4).uniform(0, 1, (1, 24, 20, 1)).astype("float32")
    model(batch)  # Keras exports only a network that has been called
    model.export(str(tmp_path / "good.onnx"), format="onnx", verbose=False)
    graph = onnx.load(str(tmp_path / "good.onnx"))
    good = OnnxNetwork(graph.SerializeToString())(batch)
    if good.ndim == 5:  # this export came out with the extra axis already
        _squeeze_output(graph)
        good = OnnxNetwork(graph.SerializeToString())(batch)
    (output,) = graph.graph.output
    for extra in (1, 2):
        inner, axis = f"inner{extra}", f"axis{extra}"
        for node in graph.graph.node:
            node.output[:] = [inner if name == output.name else name for name in node.output]
        graph.graph.initializer.append(numpy_helper.from_array(np.array([0], np.int64), axis))
        graph.graph.node.append(helper.make_node("Unsqueeze", [inner, axis], [output.name]))
        output.type.tensor_type.shape.dim.insert(0, onnx.TensorShapeProto.Dimension(dim_value=1))
    assert OnnxNetwork(graph.SerializeToString())(batch).shape == (1, 1, *good.shape)
    _squeeze_output(graph)
    _squeeze_output(graph)
    np.testing.assert_array_equal(OnnxNetwork(graph.SerializeToString())(batch), good)
