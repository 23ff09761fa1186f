"""
Can a network restore detail lost to 2x2 binning better than deconvolution?
============================================================================

Binning 2x2 pixels on the detector quadruples the signal per pixel and the
frame rate, and halves the resolution. Interpolation (bicubic, Lanczos) brings
the pixel count back but not the detail. The blur of binning is known exactly,
so classical deconvolution (Wiener, Richardson-Lucy) or a tuned unsharp mask
can undo part of it after upsampling. A network that has seen both
resolutions of the same kind of sample learns the whole correction. The guide
introduces super-resolution at :timestamp:`00:00:15 </guides/dragonfly-daily-15>`.

A scientist who bins wants the detail of their own sample back, and can
record a few fields of it at full resolution to learn from. So do we: a
network learns to undo 2x2 binning (and the detector's noise on the binned
image) on synthetic three-phase microstructures, every classical method is
tuned on the same kind of microstructure, and all are scored on fields none
of them saw. A sweep of the noise shows where the network pays off; binned
photographs, unlike anything it learnt, what a change of sample costs.
"""

# %%
# Setup
# -----
import os
from functools import partial

import keras
import numpy as np
import tifffile
from keras import layers
from PIL import Image
from scipy import fft
from skimage.filters import unsharp_mask
from skimage.restoration import richardson_lucy, wiener
from skimage.transform import resize

from dlis_gallery import start_run
from dlis_gallery.figures import (
    busiest_region,
    error_maps,
    score_chart,
    sweep_chart,
    training_curve,
    zoomed_panels,
)
from dlis_gallery.images import bundled_gray, random_patches
from dlis_gallery.inference import apply_network, how_to_apply
from dlis_gallery.metrics import psnr, ssim
from dlis_gallery.networks import normalised

run = start_run("super_resolution")
SCALE = 2
STEPS, BATCH = run.pick(smoke=(20, 8), quick=(800, 16), full=(8000, 32))
WIDTH = run.pick(smoke=8, quick=32, full=64)
CROPS, TUNING = run.pick(smoke=(2, 2), quick=(12, 8), full=(32, 16))
NOISE = 0.05  # the main case: noise on the binned image (a short exposure)
LEVELS = [0.0, 0.01, 0.02, 0.05, 0.1]  # the sweep
rng = run.rng()

# %%
# Your kind of sample: microstructures at two resolutions
# -------------------------------------------------------
# Three phases with their own grey levels, cut from a smooth random field,
# slightly blurred by the optics and lit with a gentle gradient, as a FIB-SEM
# or micro-CT slice of a fine-grained material looks at full resolution. The
# binned image is the mean of each 2x2 block, plus the detector's noise.


def microstructure_batch(count, size, rng):
    pad = size + 16
    frequencies = np.fft.fftfreq(pad)[:, None] ** 2 + np.fft.rfftfreq(pad)[None, :] ** 2

    def smoothed(
        images, width
    ):  # a Gaussian blur of ``width`` pixels, done in Fourier space
        return fft.irfft2(
            fft.rfft2(images) * np.exp(-2 * np.pi**2 * width**2 * frequencies),
            s=(pad, pad),
        )

    field = smoothed(
        rng.standard_normal((count, pad, pad)), rng.uniform(2, 4, (count, 1, 1))
    )
    field = (field - field.mean(axis=(1, 2), keepdims=True)) / field.std(
        axis=(1, 2), keepdims=True
    )
    phase = (field > rng.uniform(-1, -0.2, (count, 1, 1))).astype(int)
    phase += field > rng.uniform(0.3, 1.1, (count, 1, 1))
    levels = np.array([0.12, 0.5, 0.85]) + rng.uniform(-0.03, 0.03, (count, 3))
    image = np.take_along_axis(levels, phase.reshape(count, -1), 1).reshape(phase.shape)
    image = smoothed(image, rng.uniform(0.5, 0.9, (count, 1, 1)))[:, 8:-8, 8:-8]
    rows, cols = np.mgrid[0:size, 0:size] / size - 0.5
    angle, slope = (
        rng.uniform(0, 2 * np.pi, (count, 1, 1)),
        rng.uniform(0, 0.1, (count, 1, 1)),
    )
    image = image * (1 + slope * (np.cos(angle) * cols + np.sin(angle) * rows))
    return np.clip(image, 0, 1).astype("float32")


def microstructures(count, size, rng, chunk=256):
    """``count`` fields, made ``chunk`` at a time so that memory stays small."""
    return np.concatenate(
        [
            microstructure_batch(min(chunk, count - start), size, rng)
            for start in range(0, count, chunk)
        ]
    )


def binned(image):
    rows, cols = (side - side % SCALE for side in image.shape[-2:])
    blocks = image[..., :rows, :cols].reshape(
        *image.shape[:-2], rows // SCALE, SCALE, cols // SCALE, SCALE
    )
    return blocks.mean(axis=(-3, -1))


def low_resolution(high, noise, rng):
    small = binned(high)
    return (small + noise * rng.normal(0, 1, small.shape)).astype("float32")


# %%
# The network learns from pairs of 64x64 fields and their binned copies, with
# noise anywhere from 0 to 0.1 on the binned one: one network for every level
# of the sweep. Each pair is scaled so that the binned field's 1st and 99th
# percentiles land on 0 and 1 (``normalised``), as your image will be,
# whatever its units. Its validation loss is measured on separate fields;
# the classical methods are tuned on others; every method is scored on crops
# of fields none of them saw.
def scaled_pairs(low, high):
    """Each binned field and its full-resolution field, scaled by the
    binned one's percentiles."""
    return (np.stack(scaled) for scaled in zip(*map(normalised, low, high)))


high = microstructures(STEPS * BATCH, 64, rng)
low = low_resolution(high, rng.uniform(0, 0.1, (len(high), 1, 1)), rng)
val_high = microstructures(32, 64, rng)
val_low = low_resolution(val_high, rng.uniform(0, 0.1, (32, 1, 1)), rng)
tuning = microstructures(TUNING, 64, rng)
held_out = microstructures(CROPS, 96, rng)
run.declare_data(
    train=list(high[:500]),
    validation=list(val_high),
    tuning=list(tuning),
    test=list(held_out),
)
(_, rows, columns), (_, high_rows, high_columns) = low.shape, high.shape
print(
    f"{len(high)} training pairs: {rows}x{columns} -> {high_rows}x{high_columns} pixels"
)
low, high = scaled_pairs(low, high)
val_low, val_high = scaled_pairs(val_low, val_high)

# %%
# Build the model: convolutions at low resolution, then a sub-pixel step
# ----------------------------------------------------------------------
# Six 3x3 convolutions run on the small image (cheap); a transposed
# convolution of stride 2 then turns each small pixel's features into the
# 2x2 pixels it covers at full resolution (the sub-pixel step of ESPCN, with
# Keras' own layer, so the saved network loads anywhere with plain Keras).
# Added to the bicubic upsampling, the network only has to learn what
# bicubic gets wrong.
inputs = keras.Input(shape=(None, None, 1))
x = inputs
for _ in range(6):
    x = layers.Conv2D(WIDTH, 3, padding="same", activation="relu")(x)
detail = layers.Conv2DTranspose(1, SCALE, strides=SCALE)(x)
smooth = layers.UpSampling2D(SCALE, interpolation="bicubic")(inputs)
model = keras.Model(inputs, layers.Add()([smooth, detail]), name="sr_cnn")
schedule = keras.optimizers.schedules.CosineDecay(2e-3, STEPS, alpha=0.02)
model.compile(optimizer=keras.optimizers.Adam(schedule), loss="mse")

# %%
# Train
# -----
# Every pair is seen once; the validation loss is measured every 50 steps.
EVERY = min(50, STEPS)
with run.timed("training"):
    history = model.fit(
        low[..., None],
        high[..., None],
        batch_size=BATCH,
        epochs=STEPS // EVERY,
        steps_per_epoch=EVERY,
        validation_data=(val_low[..., None], val_high[..., None]),
        shuffle=False,
        verbose=0,
    )
run.learnt(history, EVERY)
training_curve(history, "mean squared error", log=True)


# %%
# Interpolation and deconvolution, tuned
# --------------------------------------
# Binning then upsampling blurs each pixel over a 2-pixel box centred on it,
# which on the pixel grid is the kernel ``[1, 2, 1] / 4`` in each direction:
# that is the point spread function (PSF) the deconvolutions undo. Each has a
# knob that trades sharpness for noise and ringing, tuned on the tuning fields
# at each noise level for the best mean PSNR. Richardson-Lucy cannot run
# fewer than one iteration, and an unsharp mask of amount 0 or of a radius
# of a tenth of a pixel is bicubic: a best value there is a limit, not a
# grid's edge.
def bicubic(small):
    return resize(
        small, (small.shape[0] * SCALE, small.shape[1] * SCALE), order=3, mode="reflect"
    )


def lanczos(small):
    picture = Image.fromarray(small.astype("float32"), mode="F")
    size = (small.shape[1] * SCALE, small.shape[0] * SCALE)
    return np.asarray(picture.resize(size, Image.Resampling.LANCZOS))


PSF = np.outer([1, 2, 1], [1, 2, 1]) / 16


def deconvolved(deconvolve, small, pad=8):
    """``deconvolve`` the bicubic upsampling, padded by reflection (no ringing)."""
    padded = np.pad(np.clip(bicubic(small), 0, 1), pad, mode="reflect")
    return deconvolve(padded)[pad:-pad, pad:-pad]


SHARPENED = {
    "Bicubic + Wiener": lambda small, balance: deconvolved(
        lambda image: wiener(image, PSF, balance, clip=False), small
    ),
    "Bicubic + Richardson-Lucy": lambda small, num_iter: deconvolved(
        lambda image: richardson_lucy(image, PSF, num_iter=num_iter, clip=False), small
    ),
    "Bicubic + unsharp mask": lambda small, radius, amount: unsharp_mask(
        bicubic(small), radius=radius, amount=amount
    ),
}
GRIDS = {
    "Bicubic + Wiener": {"balance": [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]},
    "Bicubic + Richardson-Lucy": {"num_iter": [1, 2, 3, 4, 6, 8, 12, 16, 24]},
    "Bicubic + unsharp mask": {
        "radius": [0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3],
        "amount": [0, 0.25, 0.5, 1, 1.5, 2, 3, 4.5, 6, 9, 13.5, 20, 30, 45, 67.5, 100],
    },
}
LIMITS = {"num_iter": (1, np.inf), "amount": (0, np.inf), "radius": (0.1, np.inf)}


def tuned_at(noise, label=""):
    """Every classical method, tuned on the tuning fields binned with ``noise``."""
    pairs = [(crop, low_resolution(crop, noise, rng)) for crop in tuning]
    methods = {"Bicubic": bicubic, "Lanczos": lanczos}
    for name, method in SHARPENED.items():

        def score(method=method, **knobs):
            return np.mean(
                [psnr(crop, method(small, **knobs)) for crop, small in pairs]
            )

        methods[name] = partial(
            method, **run.tune(name + label, score, GRIDS[name], LIMITS)
        )
    return methods


# %%
# The network enlarges every binned image below as it would enlarge yours,
# with ``apply_network``: scaled by the image's own percentiles, cut into
# tiles that overlap by the network's reach, and scaled back to its units.
# How to do that is measured from the binned fields it learnt
# (``how_to_apply``).
how = how_to_apply(model, "upscale", list(low[:64]), scale=SCALE)


# ``warn=False``: the sweep's ends and the other kind of sample lie at or
# beyond the edges of what it learnt, and the tables say how it fares there
network = partial(apply_network, (model, how), warn=False)


with run.timed("tuning"):
    methods = {**tuned_at(NOISE), "Network": network}


# %%
# Score every method on the held-out crops
# ----------------------------------------
# Each crop is binned and gets its own noise draw; every method sees the same
# binned crop.
def scored(methods, crops, noise):
    scores = {"PSNR (dB)": {}, "SSIM": {}}
    for crop in crops:
        small = low_resolution(crop, noise, rng)
        for name, method in methods.items():
            result = method(small)
            scores["PSNR (dB)"].setdefault(name, []).append(psnr(crop, result))
            scores["SSIM"].setdefault(name, []).append(ssim(crop, result))
    return scores


results = run.compare(
    scored(methods, held_out, NOISE),
    network="Network",
    items="crops",
    verdict_on=["PSNR (dB)"],
)
results

# %%
# The same numbers as a chart: each dot is a mean, each bar its 95 % interval.
score_chart(results, ["PSNR (dB)", "SSIM"])

# %%
# Where the network pays off: noise on the binned image
# -----------------------------------------------------
# The same network at every level (it learnt them all); every classical
# method tuned again at each. Without noise, deconvolution has only the blur
# to undo, which it knows exactly; with noise it must also not amplify it.
sweep = {}
with run.timed("sweep"):
    for noise in LEVELS:
        at_level = {**tuned_at(noise, f" at noise {noise}"), "Network": network}
        sweep[noise] = scored(at_level, held_out, noise)["PSNR (dB)"]
swept = run.sweep(
    sweep,
    knob="noise on the binned image",
    metric="PSNR (dB)",
    network="Network",
    items="crops",
)
swept

# %%
sweep_chart(swept)

# %%
# Zoom in
# -------
# A held-out field, binned 2x2 with the main case's noise, then upsampled by
# bicubic, by the best classical method above and by the network; the inset
# enlarges the part of the field with the most phase boundaries.
field = microstructures(1, 192, np.random.default_rng(5))[0]
small = low_resolution(field, NOISE, np.random.default_rng(6))
best = results.verdicts[0].best
answers = {f"{best} (best classical)": methods[best](small), "Network": network(small)}
zoomed_panels(
    {
        "Binned input (each pixel shown 2x2)": np.kron(small, np.ones((SCALE, SCALE))),
        "Bicubic": bicubic(small),
        **answers,
        "Original": field,
    },
    region=busiest_region(field, (40, 50)),
    title="A 2x2-binned held-out field, upsampled by each method; the inset enlarges",
    columns=3,
)

# %%
# Where each method errs: the difference from the original field. Errors that
# follow phase boundaries are detail a method could not restore; speckle is
# the noise of the binned image, amplified or left in.
error_maps(answers, field, "Absolute difference from the original field")

# %%
# Another kind of image: domain shift
# -----------------------------------
# The same network and the same tuned methods on binned crops of photographs
# bundled with scikit-image, with the same noise: smooth gradients and fine
# textures instead of three flat phases. Nothing is re-trained or re-tuned.
photos = random_patches(
    [bundled_gray(name) for name in ("coins", "moon", "cell")], 96, CROPS, rng
)
run.declare_data(shifted=["coins", "moon", "cell"])
shift = run.compare(
    scored(methods, photos, NOISE),
    network="Network",
    items="crops",
    verdict_on=["PSNR (dB)"],
    case="shift",
)
shift

# %%
# Use it on your images
# ---------------------
# The trained network is saved with how to apply it, measured above: the
# percentiles that set an image's scale, the noise it learnt, how far one
# output pixel sees (the tiles' overlap) and its scale. The downloads at the
# end of this page include it. It learnt to undo a 2x2 binning of
# three-phase microstructures: it suits images like those, and invents
# three-phase detail on others (the photographs above show how much).
saved = run.save_network(
    model,
    how,
    learnt="three-phase microstructures binned 2x2, noise 0 to 0.1",
    sample=low_resolution(held_out[0], NOISE, run.rng(99)),  # the package's test image
)
saved

# %%
# To try it as you would, we write a new binned field as a camera does: a
# 16-bit TIFF with its pixel size (20 nanometres after binning).
original = microstructures(1, 302, np.random.default_rng(8))[0][:302, :278]
# sphinx_gallery_start_ignore
os.chdir(saved.path.parent)  # the build keeps networks apart
# sphinx_gallery_end_ignore
counts = (
    low_resolution(original, NOISE, np.random.default_rng(9)) * 30000 + 2000
).clip(0, 65535)
tifffile.imwrite(
    "my_binned.tif",
    counts.astype("uint16"),
    imagej=True,
    resolution=(50, 50),
    metadata={"unit": "micron"},
)

# %%
# With your own file, this block is all you need: the network file from this
# page, and your image's name. The answer keeps your image's units.
from dlis_gallery.image_files import read_image
from dlis_gallery.inference import apply_network  # noqa: F811 (a block to copy)

# sphinx_gallery_start_ignore
os.chdir(saved.path.parent)  # the build keeps networks apart
# sphinx_gallery_end_ignore

image = read_image("my_binned.tif")
enlarged = apply_network("super_resolution.keras", image.data, image.axes)
print(f"{image.spatial_size()} -> {enlarged.shape[0]}x{enlarged.shape[1]}")

# %%
# Or from a shell, writing a TIFF with half the pixel size:
#
# .. code-block:: bash
#
#    dlis-apply super_resolution.keras my_binned.tif -o my_enlarged.tif
#
# This field was made here, so we know its full-resolution original:
restored = (enlarged - 2000) / 30000
plain = bicubic((counts - 2000) / 30000)
print(f"{psnr(original, restored):.2f} dB (bicubic {psnr(original, plain):.2f} dB)")

# %%
# Without Keras
# -------------
# Beside the ``.keras`` file, the build packed the same network for the
# field's tools as a bioimage.io package (the downloads at the end of this
# page include it): deepImageJ (Fiji), Icy, ilastik and napari run its ONNX
# weights; QuPath needs TorchScript or a TensorFlow saved model, which it does
# not carry. In Python, onnxruntime runs those ONNX weights with the same
# scaling and tiles, without Keras:
if saved.package:  # packed where the build runs TensorFlow (Keras' ONNX export)
    # sphinx_gallery_start_ignore
    os.chdir(saved.path.parent)  # the build keeps networks apart
    # sphinx_gallery_end_ignore
    enlarged_onnx = apply_network(saved.package.name, image.data, image.axes)
    print(
        "ONNX and Keras answers differ by at most "
        f"{np.abs(enlarged_onnx - enlarged).max():.2g} counts"
    )

# %%
# Conclusion
# ----------
# The answer at the top of this page is this build's: on fields like the ones
# it learnt from, how the network compares with the best of the
# interpolations and deconvolutions, with its interval; the sweep says at
# which noise that holds, and the photographs what a change of sample costs.
# For your own sample, record a few fields at full resolution, bin them as
# your detector does, train on those pairs, and tune the deconvolutions on
# the same pairs.

# sphinx_gallery_thumbnail_number = 4
