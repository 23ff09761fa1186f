"""Trained networks taken home: tiled prediction equals the whole image's, and a saved network
loads with what it expects."""

from __future__ import annotations

import numpy as np
import pytest

from dlis_gallery.inference import HowToApply, apply_network
from dlis_gallery.networks import (
    answered,
    flip_averaged,
    load_network,
    percentile_normalise,
    predict_tiled,
    save_network,
)
from dlis_gallery.quiet import quiet_keras

keras = quiet_keras()


def _smoothing(kernel_size: int = 3, channels: int = 1):
    """A fully convolutional network with fixed weights: each channel a box blur, scaled by its number."""
    inputs = keras.Input(shape=(None, None, 1))
    layer = keras.layers.Conv2D(channels, kernel_size, padding="same", use_bias=False)
    model = keras.Model(inputs, layer(inputs))
    weights = np.ones((kernel_size, kernel_size, 1, channels), "float32") / kernel_size**2
    layer.set_weights([weights * np.arange(1, channels + 1, dtype="float32")])
    return model


@pytest.mark.parametrize("shape", [(37, 53), (130, 70), (5, 300)])
def test_with_a_margin_as_wide_as_the_reach_tiles_give_the_whole_image_answer(shape):
    model = _smoothing(kernel_size=5)  # reach: 2 pixels
    image = np.random.default_rng(0).random(shape, dtype="float32")
    whole = keras.ops.convert_to_numpy(model(image[None, ..., None]))[0, ..., 0]
    tiled = predict_tiled(model, image, tile=16, margin=2, batch=3)
    assert tiled.shape == shape
    np.testing.assert_allclose(tiled[2:-2, 2:-2], whole[2:-2, 2:-2], atol=1e-6)


def test_without_a_margin_the_tiles_show_seams():
    model = _smoothing(kernel_size=5)
    image = np.random.default_rng(1).random((64, 64), dtype="float32")
    whole = keras.ops.convert_to_numpy(model(image[None, ..., None]))[0, ..., 0]
    seamed = predict_tiled(model, image, tile=16, margin=0)
    assert np.abs(seamed - whole)[2:-2, 2:-2].max() > 0.01


def test_beyond_the_image_edge_a_tile_sees_its_mirror_image_edge_pixel_first():
    inputs = keras.Input(shape=(None, None, 1))
    layer = keras.layers.Conv2D(1, (1, 3), padding="same", use_bias=False)
    model = keras.Model(inputs, layer(inputs))
    layer.set_weights([np.array([1, 0, 0], "float32").reshape(1, 3, 1, 1)])  # each pixel's left neighbour
    image = np.random.default_rng(3).random((20, 30), dtype="float32")
    answer = predict_tiled(model, image, tile=16, margin=2)
    np.testing.assert_allclose(answer[:, 1:], image[:, :-1], atol=1e-6)
    np.testing.assert_allclose(answer[:, 0], image[:, 0], atol=1e-6)  # "symmetric"; "reflect" gave column 1


def test_a_network_that_enlarges_is_stitched_at_its_scale_and_channels_are_kept():
    inputs = keras.Input(shape=(None, None, 1))
    enlarged = keras.layers.UpSampling2D(2)(inputs)
    model = keras.Model(inputs, keras.layers.Concatenate()([enlarged, 2 * enlarged]))
    image = np.random.default_rng(2).random((21, 34), dtype="float32")
    answer = predict_tiled(model, image, tile=8, margin=3, scale=2)
    assert answer.shape == (42, 68, 2)
    np.testing.assert_allclose(answer[..., 0], np.kron(image, np.ones((2, 2))), atol=1e-6)
    np.testing.assert_allclose(answer[..., 1], 2 * answer[..., 0], atol=1e-6)


def test_percentile_normalisation_puts_the_percentiles_at_zero_and_one():
    image = np.arange(10000, dtype="uint16").reshape(100, 100) * 6
    scaled = percentile_normalise(image, 1, 99)
    assert scaled.dtype == np.float32
    assert np.percentile(scaled, 1) == pytest.approx(0, abs=1e-6)
    assert np.percentile(scaled, 99) == pytest.approx(1, abs=1e-6)


def test_a_saved_network_loads_with_what_it_expects_and_with_plain_keras(tmp_path):
    inputs = keras.Input(shape=(None, None, 1))
    features = keras.layers.Conv2D(4, 3, padding="same")(inputs)
    outputs = keras.layers.Conv2DTranspose(1, 2, strides=2)(features)  # the sub-pixel step, built in
    model = keras.Model(inputs, outputs)
    about = {"expects": {"input": "grey, [0, 1]"}, "profile": "smoke"}
    path = save_network(model, tmp_path / "enlarger.keras", about)
    loaded, found = load_network(path)
    assert found == about
    image = np.random.default_rng(3).random((1, 9, 13, 1), dtype="float32")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loaded(image)), keras.ops.convert_to_numpy(model(image)), atol=1e-6
    )
    assert loaded(image).shape == (1, 18, 26, 1)
    plain = keras.saving.load_model(path, compile=False)  # no helper needed to read it back
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(plain(image)), keras.ops.convert_to_numpy(model(image)), atol=1e-6
    )


def test_a_network_trained_several_steps_per_call_saves_as_one_step_per_call(tmp_path):
    """Keras' PyTorch backend refuses several steps per call: the file must not carry them."""
    model = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Conv2D(1, 3, padding="same")])
    model.compile(optimizer="adam", loss="mse", steps_per_execution=5)
    path = save_network(model, tmp_path / "trained.keras", {})
    loaded = keras.saving.load_model(path)  # compiled, as a reader who retrains it loads it
    assert loaded.get_compile_config()["steps_per_execution"] == 1
    assert loaded.get_compile_config()["loss"] == "mse"  # the rest of the settings kept
    assert model.get_compile_config()["steps_per_execution"] == 5  # the page's network untouched
    image = np.zeros((2, 8, 8, 1), dtype="float32")
    loaded.fit(image, image, epochs=1, verbose=0)  # retrains on any backend, PyTorch included


def test_a_volume_is_tiled_in_3d_and_gives_the_whole_volume_answer():
    inputs = keras.Input(shape=(None, None, None, 1))
    layer = keras.layers.Conv3D(2, 3, padding="same", use_bias=False)
    model = keras.Model(inputs, layer(inputs))
    layer.set_weights([np.ones((3, 3, 3, 1, 2), "float32") * np.array([1.0, -1.0], "float32") / 27])
    volume = np.random.default_rng(3).random((11, 40, 29), dtype="float32")
    whole = keras.ops.convert_to_numpy(model(volume[None, ..., None]))[0]
    tiled = predict_tiled(model, volume, tile=(4, 16, 8), margin=1, batch=5)
    assert tiled.shape == (11, 40, 29, 2)
    np.testing.assert_allclose(tiled[1:-1, 1:-1, 1:-1], whole[1:-1, 1:-1, 1:-1], atol=1e-6)
    seamed = predict_tiled(model, volume, tile=(4, 16, 8), margin=0)
    assert np.abs(seamed - whole)[1:-1, 1:-1, 1:-1].max() > 0.01, "without the margin, seams"


def _eight_views_mean(model, batch: np.ndarray) -> np.ndarray:
    """What a flip-averaged ``model`` should answer, worked out with NumPy: turn and flip the
    last two spatial axes, ask, undo, average."""
    rows, columns = batch.ndim - 3, batch.ndim - 2
    answers = []
    for turns in range(4):
        for flip in (False, True):
            view = np.rot90(batch, turns, axes=(rows, columns))
            view = np.flip(view, columns) if flip else view
            answer = keras.ops.convert_to_numpy(model(np.ascontiguousarray(view)))
            answer = np.flip(answer, columns) if flip else answer
            answers.append(np.rot90(answer, -turns, axes=(rows, columns)))
    return np.mean(answers, axis=0)


@pytest.mark.parametrize("dims", [2, 3])
def test_a_flip_averaged_network_answers_the_mean_of_the_eight_views_and_saves_as_plain_keras(dims, tmp_path):
    rng = np.random.default_rng(5)
    convolution = (keras.layers.Conv2D if dims == 2 else keras.layers.Conv3D)(3, 3, padding="same")
    inputs = keras.Input(shape=(None,) * dims + (1,))
    model = keras.Model(inputs, convolution(inputs))  # random weights: no symmetry of its own
    batch = rng.random((2, *((5,) if dims == 3 else ()), 9, 14, 1), dtype="float32")  # not square
    averaged = flip_averaged(model)
    answer = keras.ops.convert_to_numpy(averaged(batch))
    assert answer.shape == (*batch.shape[:-1], 3)
    np.testing.assert_allclose(answer, _eight_views_mean(model, batch), atol=1e-5)
    one_view = keras.ops.convert_to_numpy(model(batch))
    assert np.abs(answer - one_view).max() > 1e-3, "the views must differ for this test to mean anything"
    path = save_network(averaged, tmp_path / "averaged.keras", {"profile": "smoke"})
    plain = keras.saving.load_model(path, compile=False)  # an ordinary Keras file
    np.testing.assert_allclose(keras.ops.convert_to_numpy(plain(batch)), answer, atol=1e-6)


def test_an_answer_keeps_nothing_for_training():
    """On PyTorch an eager call would keep every activation for the gradients (8x the memory
    for a flip-averaged network): the answer is computed with gradients off."""
    if keras.backend.backend() != "torch":
        pytest.skip("only PyTorch's eager calls keep activations for gradients")
    import torch

    seen = []

    class GradientSpy(keras.layers.Layer):
        def call(self, x):
            seen.append(torch.is_grad_enabled())
            return x

    model = keras.Sequential([keras.Input((None, None, 1)), GradientSpy()])
    np.testing.assert_array_equal(answered(model, np.ones((1, 4, 4, 1), "float32")), 1.0)
    assert seen[-1] is False


def test_answered_is_the_networks_answer_in_inference_mode_whatever_the_input_size():
    rng = np.random.default_rng(11)
    inputs = keras.Input((None, None, 1))
    x = keras.layers.BatchNormalization()(keras.layers.Conv2D(4, 3, padding="same")(inputs))
    model = keras.Model(inputs, keras.layers.Conv2D(2, 1)(keras.layers.Dropout(0.5)(x)))
    for shape in ((1, 8, 8, 1), (3, 12, 20, 1), (1, 8, 8, 1), (2, 16, 4, 1)):
        batch = rng.normal(5, 2, shape).astype("float32")  # far from BatchNorm's starting statistics
        expected = keras.ops.convert_to_numpy(model(batch, training=False))
        np.testing.assert_allclose(answered(model, batch), expected, rtol=1e-5, atol=1e-5)
        assert not np.allclose(expected, keras.ops.convert_to_numpy(model(batch, training=True)))


def _noting_batch_sizes(seen: list) -> keras.Model:
    """A one-filter network that notes each batch size it is given in ``seen`` (once per
    trace where the backend traces)."""

    class Noting(keras.layers.Layer):
        def call(self, x):
            seen.append(x.shape[0])
            return x

    inputs = keras.Input(shape=(None, None, 1))
    return keras.Model(inputs, Noting()(keras.layers.Conv2D(1, 3, padding="same")(inputs)))


def test_a_flip_averaged_network_asks_its_network_once_per_orientation():
    """The four mirror images of an orientation share one shape and go through the network
    as one batch: two calls, so an exported graph holds the network twice, not eight times."""
    seen = []
    averaged = flip_averaged(_noting_batch_sizes(seen))
    seen.clear()  # building it traced the network
    answered(averaged, np.ones((3, 6, 10, 1), "float32"))
    assert seen == [12, 12]  # 3 images, 4 mirror images each, twice


@pytest.mark.parametrize("averaged", [False, True])
def test_apply_network_gives_the_network_one_tile_at_a_time(averaged):
    """A tile's activations are what a reader's memory holds: one tile per call (four
    mirror images of it for a flip-averaged network), however many tiles the image has."""
    seen = []
    model = _noting_batch_sizes(seen)
    model = flip_averaged(model) if averaged else model
    seen.clear()
    how = HowToApply("denoise", (1, 99), (0.1, 0.9), (0.0, 1.0), (-1.0, 2.0), halo=1)
    image = np.random.default_rng(0).random((100, 90), dtype="float32")
    answer = apply_network((model, how), image, tile=32, warn=False)  # 4 x 3 tiles
    assert answer.shape == image.shape and seen
    assert set(seen) == {4 if averaged else 1}


def test_flip_averaging_refuses_a_network_of_two_outputs():
    inputs = keras.Input(shape=(None, None, 1))
    two = keras.Model(inputs, [keras.layers.Conv2D(1, 3, padding="same")(inputs), inputs])
    with pytest.raises(ValueError, match="2 outputs"):
        flip_averaged(two)
