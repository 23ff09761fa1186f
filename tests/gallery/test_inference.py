"""A saved network applied to a reader's image: scaled as it learnt, tiled with its reach, its
answer turned into the right kind of result, and a warning when the image does not fit."""

from __future__ import annotations

import warnings

import keras
import numpy as np
import pytest

from dlis_gallery.image_files import read_image, write_image
from dlis_gallery.inference import (
    FitWarning,
    HowToApply,
    ImageShapeError,
    NetworkFileError,
    Spots,
    apply_network,
    how_to_apply,
    loaded,
    measured_reach,
)
from dlis_gallery.networks import answered, load_network, normalised, save_network


def _network(outputs: int = 1, scale: int = 1) -> keras.Model:
    inputs = keras.Input((None, None, 1))
    # tanh, not relu: four relu filters can all start dead on a positive image (one draw in
    # sixteen, seen on the JAX backend), and then no input pixel changes the output
    x = keras.layers.Conv2D(4, 3, padding="same", activation="tanh")(inputs)
    x = keras.layers.Conv2D(4, 3, padding="same", dilation_rate=2)(x)
    if scale > 1:
        x = keras.layers.Conv2DTranspose(4, scale, strides=scale)(x)
    return keras.Model(inputs, keras.layers.Conv2D(outputs, 1)(x))


def _learnt(rng, count=6, sigma=0.1):
    return [0.5 + rng.normal(0, sigma, (48, 48)).astype("float32") for _ in range(count)]


def test_the_reach_is_measured_from_the_network_itself():
    assert measured_reach(_network(), size=64) == 1 + 2  # a 3x3 conv, then a 3x3 conv dilated by 2
    assert measured_reach(_network(scale=2), scale=2, size=64) == 3


def test_the_record_measures_the_scale_and_noise_of_what_the_network_learnt():
    how = how_to_apply(_network(), "denoise", _learnt(np.random.default_rng(0)), multiple=4)
    assert how.halo == 3 and how.multiple == 4 and how.scale == 1
    assert how.scaled_to[0] == pytest.approx(0.5 - 2.33 * 0.1, abs=0.03)
    assert 0.08 < how.noise[0] <= how.noise[1] < 0.12
    with pytest.raises(ValueError, match="kind="):
        how_to_apply(_network(), "colourise", _learnt(np.random.default_rng(0)))


def test_normalised_puts_an_images_percentiles_on_0_and_1_and_its_target_beside_it():
    rng = np.random.default_rng(6)
    image = rng.normal(300, 40, (60, 70))
    scaled, target = normalised(image, image[:10] * 2)
    np.testing.assert_allclose(np.percentile(scaled, [1, 99]), [0, 1], atol=1e-6)
    low, high = np.percentile(image, [1, 99])
    np.testing.assert_allclose(target, (image[:10] * 2 - low) / (high - low), rtol=1e-5)
    assert scaled.dtype == target.dtype == np.float32


def test_a_readers_image_reaches_the_network_as_the_normalised_images_it_learnt_did():
    rng = np.random.default_rng(7)
    model = _network()
    field = rng.uniform(0.02, 0.7, (64, 64)).astype("float32")
    how = how_to_apply(model, "denoise", [normalised(field + rng.normal(0, 0.1, field.shape))[0]])
    assert how.scaled_to == pytest.approx((0.0, 1.0), abs=1e-6), "nothing is moved after normalising"
    counts = 40 * field + 100  # the same field as a camera's counts: gain 40, offset 100
    low, high = np.percentile(counts, [1, 99])
    as_learnt = low + (high - low) * answered(model, normalised(counts)[0][None, ..., None])[0, ..., 0]
    inside = (slice(how.halo, -how.halo),) * 2  # the edges see the mirror image instead of zeros
    applied = apply_network((model, how), counts)
    np.testing.assert_allclose(applied[inside], as_learnt[inside], rtol=1e-4)
    np.testing.assert_allclose(applied, 40 * apply_network((model, how), field) + 100, rtol=1e-4)


def test_a_16_bit_image_comes_back_in_its_own_units_and_shape(tmp_path):
    rng = np.random.default_rng(1)
    how = how_to_apply(_network(), "denoise", _learnt(rng))
    identity = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Identity()])
    counts = (rng.normal(20000, 2000, (70, 90))).clip(0, 65535).astype("uint16")
    result = apply_network((identity, how), counts)
    assert result.shape == (70, 90) and result.dtype == np.float32
    np.testing.assert_allclose(result, counts, rtol=1e-4), "scaled in, scaled back out"


def test_each_kind_gives_its_own_kind_of_result_for_images_and_stacks():
    rng = np.random.default_rng(2)
    learnt = _learnt(rng)
    stack = (rng.normal(1000, 100, (3, 40, 52))).astype("uint16")
    labels = apply_network(
        (_network(3), how_to_apply(_network(3), "segment", learnt, multiple=4, classes=3)), stack
    )
    assert labels.shape == (3, 40, 52) and labels.dtype == np.uint8 and labels.max() <= 2
    upscale = _network(scale=2)
    enlarged = apply_network((upscale, how_to_apply(upscale, "upscale", learnt, scale=2)), stack[0])
    assert enlarged.shape == (80, 104)
    heat = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Identity()])
    peaks = {"threshold": 0.9, "min_distance": 2}
    image = np.zeros((40, 40), "float32")
    image[[10, 30], [12, 25]] = 1.0
    how = HowToApply("detect", (0, 100), (0.0, 1.0), (0.0, 1.0), (0.0, 1.0), halo=0, peaks=peaks)
    spots = apply_network((heat, how), np.stack([image, image]))
    assert isinstance(spots, Spots) and len(spots) == 4
    assert sorted(map(tuple, spots.centres.astype(int).tolist())) == [
        (0, 10, 12),
        (0, 30, 25),
        (1, 10, 12),
        (1, 30, 25),
    ]


def test_an_image_much_cleaner_than_what_the_denoiser_learnt_gets_a_warning():
    rng = np.random.default_rng(3)
    how = how_to_apply(_network(), "denoise", _learnt(rng, sigma=0.1))
    clean = np.tile(np.linspace(0, 1, 64, dtype="float32"), (64, 1))
    with pytest.warns(FitWarning, match=r"noise level \(0\.0\d\d\) is below what the network learnt"):
        apply_network((_network(), how), (clean * 60000).astype("uint16"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FitWarning)
        apply_network((_network(), how), (clean * 60000).astype("uint16"), warn=False)  # on purpose
    matching = 0.5 + rng.normal(0, 0.1, (64, 64))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FitWarning)
        apply_network((_network(), how), (matching * 30000).clip(0, 65535).astype("uint16"))


def test_colour_stacks_of_other_axes_and_tiny_images_are_refused_in_a_sentence():
    how = how_to_apply(_network(), "denoise", _learnt(np.random.default_rng(4)), multiple=8)
    with pytest.raises(ImageShapeError, match="colour image"):
        apply_network((_network(), how), np.zeros((50, 60, 3), "uint8"))
    with pytest.raises(ImageShapeError, match="axes 'TZYX'"):
        apply_network((_network(), how), np.zeros((2, 3, 20, 20)), axes="TZYX")
    with pytest.raises(ImageShapeError, match="needs 8 a side or more"):
        apply_network((_network(), how), np.zeros((5, 40)))


def test_a_file_that_is_not_a_network_with_its_record_is_refused(tmp_path):
    with pytest.raises(NetworkFileError, match="no such file"):
        loaded(tmp_path / "missing.keras")
    (tmp_path / "notes.keras").write_text("not a network")
    with pytest.raises(NetworkFileError, match="not a Keras network file"):
        loaded(tmp_path / "notes.keras")
    save_network(_network(), tmp_path / "bare.keras", {"network": "bare"})
    with pytest.raises(NetworkFileError, match="does not say how to apply it"):
        loaded(tmp_path / "bare.keras")


def test_the_record_travels_inside_the_network_file(tmp_path):
    how = how_to_apply(_network(), "denoise", _learnt(np.random.default_rng(5)), multiple=4)
    path = save_network(_network(), tmp_path / "denoiser.keras", {"apply": how.record()})
    assert HowToApply.from_record(load_network(path)[1]["apply"]) == how
    assert loaded(path)[1] == how


def test_a_tiff_keeps_its_axes_and_pixel_size(tmp_path):
    write_image(tmp_path / "stack.tif", np.zeros((4, 20, 30), "uint16"), "ZYX", (2.0, 0.1, 0.1))
    image = read_image(tmp_path / "stack.tif")
    assert image.axes == "ZYX" and image.data.shape == (4, 20, 30)
    assert image.pixel_size == pytest.approx((2.0, 0.1, 0.1)) and image.unit == "µm"


def _volume_network(classes: int = 3) -> keras.Model:
    inputs = keras.Input((None, None, None, 1))
    x = keras.layers.Conv3D(4, 3, padding="same", activation="tanh")(inputs)
    x = keras.layers.MaxPooling3D(2)(x)
    x = keras.layers.UpSampling3D(2)(keras.layers.Conv3D(4, 3, padding="same")(x))
    return keras.Model(inputs, keras.layers.Conv3D(classes, 1)(x))


def test_a_network_of_volumes_labels_a_volume_whole_tiled_as_untiled():
    rng = np.random.default_rng(8)
    model = _volume_network()
    learnt = [0.5 + rng.normal(0, 0.1, (16, 32, 32)).astype("float32") for _ in range(3)]
    how = how_to_apply(model, "segment", learnt, multiple=2, classes=3)
    assert how.dims == 3 and 2 <= how.halo <= 8, "the reach is measured in 3-D"
    volume = (rng.normal(20000, 2000, (20, 50, 38))).clip(0, 65535).astype("uint16")
    tiled = apply_network((model, how), volume, "ZYX", tile=8)
    whole = apply_network((model, how), volume, "ZYX", tile=64)
    assert tiled.shape == volume.shape and tiled.dtype == np.uint8
    assert np.mean(tiled != whole) < 1e-3, "blocks overlapping by the reach agree with the whole"
    with pytest.raises(ImageShapeError, match="takes volumes"):
        apply_network((model, how), volume[0], "YX")
    assert HowToApply.from_record({**how.record(), "dims": 2}).dims == 2
    old = {key: value for key, value in how.record().items() if key != "dims"}
    assert HowToApply.from_record(old).dims == 2, "records written before volumes apply plane by plane"


def test_an_ome_tiff_keeps_the_voxel_size_in_its_metadata(tmp_path):
    import tifffile

    labels = np.random.default_rng(9).integers(0, 3, (6, 20, 4)).astype("uint8")  # 4 wide: not RGBA
    write_image(tmp_path / "phases.ome.tif", labels, "ZYX", (2.0, 0.5, 0.5))
    with tifffile.TiffFile(tmp_path / "phases.ome.tif") as tiff:
        assert tiff.is_ome
        pixels = tiff.ome_metadata.split("<Pixels ")[1].split(">")[0]
    for axis, size in zip("ZYX", ("2.0", "0.5", "0.5"), strict=True):
        assert f'PhysicalSize{axis}="{size}"' in pixels and f'PhysicalSize{axis}Unit="µm"' in pixels
    assert 'SizeZ="6"' in pixels and 'SizeC="1"' in pixels
    found = read_image(tmp_path / "phases.ome.tif")
    assert found.axes == "ZYX" and found.pixel_size == pytest.approx((2.0, 0.5, 0.5))
    np.testing.assert_array_equal(found.data, labels)


def test_dlis_apply_labels_a_volume_and_writes_an_ome_tiff_with_its_voxel_size(tmp_path):
    from dlis_gallery.cli import main

    rng = np.random.default_rng(10)
    model = _volume_network()
    learnt = [0.5 + rng.normal(0, 0.1, (16, 32, 32)).astype("float32") for _ in range(3)]
    how = how_to_apply(model, "segment", learnt, multiple=2, classes=3)
    network = save_network(model, tmp_path / "volumes.keras", {"apply": how.record()})
    counts = rng.normal(20000, 2000, (12, 40, 36)).clip(0, 65535).astype("uint16")
    write_image(tmp_path / "scan.ome.tif", counts, "ZYX", (2.0, 1.0, 1.0))
    assert main([str(network), str(tmp_path / "scan.ome.tif"), "-o", str(tmp_path / "labels.ome.tif")]) == 0
    labels = read_image(tmp_path / "labels.ome.tif")
    assert labels.data.shape == counts.shape and labels.pixel_size == pytest.approx((2.0, 1.0, 1.0))
