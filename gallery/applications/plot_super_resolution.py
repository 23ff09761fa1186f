"""
Can a network restore detail lost to 2x2 binning better than deconvolution?
============================================================================

Binning 2x2 pixels on the detector quadruples the signal per pixel and the
frame rate, and halves the resolution. Interpolation (bicubic, Lanczos) brings
the pixel count back but not the detail. The blur of binning is known exactly,
so classical deconvolution (Wiener, Richardson-Lucy) or a tuned unsharp mask
can undo part of it after upsampling. A network that has seen many images at
both resolutions learns the whole correction from examples. The guide
introduces super-resolution at :timestamp:`00:00:15 </guides/dragonfly-daily-15>`.

We train an ESPCN-style network (convolutions at the low resolution, then a
sub-pixel shuffle to the high resolution) that learns the *correction* to
bicubic upsampling, and compare it with interpolation and with every
deconvolution, each tuned on the training pictures, on crops of pictures it
never saw.
"""

# %%
# Setup
# -----
from functools import partial

import keras
import numpy as np
from keras import layers
from PIL import Image
from skimage.filters import unsharp_mask
from skimage.restoration import richardson_lucy, wiener
from skimage.transform import resize

from dlis_gallery import start_run
from dlis_gallery.figures import error_maps, score_chart, training_curve, zoomed_panels
from dlis_gallery.images import bundled_gray, random_patches
from dlis_gallery.layers import PixelShuffle
from dlis_gallery.metrics import psnr, ssim

run = start_run("super_resolution")
SCALE = 2
PATCHES = run.pick(smoke=64, quick=3200, full=40000)
EPOCHS = run.pick(smoke=1, quick=8, full=60)
WIDTH = run.pick(smoke=8, quick=48, full=64)
CROPS, CROP = run.pick(smoke=(2, 48), quick=(12, 96), full=(32, 128))
rng = np.random.default_rng(3)

# %%
# Prepare the data
# ----------------
# The low-resolution image is the high-resolution one binned 2x2 (the mean of
# each block), as a detector does. The network trains on the first set of
# pictures, its validation loss is measured on the second, and every method
# is scored on crops of the third.


def binned(image):
    rows, cols = (size - size % SCALE for size in image.shape)
    blocks = image[:rows, :cols].reshape(rows // SCALE, SCALE, cols // SCALE, SCALE)
    return blocks.mean(axis=(1, 3))


TRAIN = ("camera", "astronaut", "brick", "grass", "gravel", "chelsea", "coffee", "text")
VALIDATION = ("rocket", "clock")
TEST = ("coins", "moon", "cell", "immunohistochemistry")
run.declare_data(train=TRAIN, validation=VALIDATION, test=TEST)


def pairs(names, count, size, rng):
    high = random_patches([bundled_gray(name) for name in names], size, count, rng)
    return np.stack([binned(patch) for patch in high])[..., None], high[..., None]


low, high = pairs(TRAIN, PATCHES, 48, rng)
val_low, val_high = pairs(VALIDATION, max(16, PATCHES // 10), 48, rng)
test_crops = random_patches([bundled_gray(name) for name in TEST], CROP, CROPS, rng)
print(
    f"{PATCHES} training pairs: {low.shape[1]}x{low.shape[2]} -> "
    f"{high.shape[1]}x{high.shape[2]} pixels"
)

# %%
# Build the model: ESPCN with a bicubic shortcut
# ----------------------------------------------
# Convolutions run on the small image (cheap); the last one makes
# ``SCALE**2`` channels that ``PixelShuffle`` (Keras' ``depth_to_space`` as a
# layer, so the saved network loads anywhere) rearranges into a twice larger
# image. Added to the bicubic upsampling, the network only has to learn what
# bicubic gets wrong.
inputs = keras.Input(shape=(None, None, 1))
x = layers.Conv2D(WIDTH, 5, padding="same", activation="relu")(inputs)
x = layers.Conv2D(WIDTH, 3, padding="same", activation="relu")(x)
x = layers.Conv2D(WIDTH // 2, 3, padding="same", activation="relu")(x)
x = layers.Conv2D(SCALE**2, 3, padding="same")(x)
detail = PixelShuffle(SCALE, name="pixel_shuffle")(x)
smooth = layers.UpSampling2D(SCALE, interpolation="bicubic")(inputs)
outputs = layers.Add()([smooth, detail])
model = keras.Model(inputs, outputs, name="espcn")
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")

# %%
# Train
# -----
with run.timed("training"):
    history = model.fit(
        low,
        high,
        batch_size=32,
        epochs=EPOCHS,
        validation_data=(val_low, val_high),
        verbose=0,
        callbacks=[run.epoch_log(EPOCHS)],
    )
training_curve(history, "mean squared error", log=True)


# %%
# Interpolation and deconvolution, tuned
# --------------------------------------
# Binning then upsampling blurs each pixel over a 2-pixel box centred on it,
# which on the pixel grid is the kernel ``[1, 2, 1] / 4`` in each direction:
# that is the point spread function (PSF) the deconvolutions undo. Each has a
# knob that trades sharpness for noise and ringing, tuned on crops of the
# training pictures for the best mean PSNR.
def bicubic(small):
    return resize(
        small, (small.shape[0] * SCALE, small.shape[1] * SCALE), order=3, mode="reflect"
    )


def lanczos(small):
    picture = Image.fromarray(small.astype("float32"), mode="F")
    return np.asarray(
        picture.resize(
            (small.shape[1] * SCALE, small.shape[0] * SCALE), Image.Resampling.LANCZOS
        )
    )


PSF = np.outer([1, 2, 1], [1, 2, 1]) / 16


def deconvolved(deconvolve, small, pad=8):
    """``deconvolve`` the bicubic upsampling, padded by reflection so its borders do "
    "not ring."""
    padded = np.pad(np.clip(bicubic(small), 0, 1), pad, mode="reflect")
    return deconvolve(padded)[pad:-pad, pad:-pad]


SHARPENED = {
    "Bicubic + Wiener": lambda small, balance: deconvolved(
        lambda image: wiener(image, PSF, balance, clip=False), small
    ),
    "Bicubic + Richardson-Lucy": lambda small, num_iter: deconvolved(
        lambda image: richardson_lucy(image, PSF, num_iter=num_iter), small
    ),
    "Bicubic + unsharp mask": lambda small, radius, amount: unsharp_mask(
        bicubic(small), radius=radius, amount=amount
    ),
}
GRIDS = {
    "Bicubic + Wiener": {"balance": [0.003, 0.01, 0.03, 0.1, 0.3]},
    "Bicubic + Richardson-Lucy": {"num_iter": [1, 2, 3, 4, 6, 8, 12, 16]},
    "Bicubic + unsharp mask": {
        "radius": [0.3, 0.5, 0.75, 1, 1.5, 2],
        "amount": [0.25, 0.5, 1, 1.5, 2, 3],
    },
}
tuning_crops = random_patches(
    [bundled_gray(name) for name in TRAIN],
    64,
    run.pick(smoke=2, quick=16, full=32),
    rng,
)


def tuning_psnr(method, **knobs):
    return np.mean([psnr(crop, method(binned(crop), **knobs)) for crop in tuning_crops])


methods = {"Bicubic": bicubic, "Lanczos": lanczos}
with run.timed("tuning"):
    for name, method in SHARPENED.items():
        methods[name] = partial(
            method, **run.tune(name, partial(tuning_psnr, method), GRIDS[name])
        )


# %%
# Score every method on the held-out crops
# ----------------------------------------
def network(small):
    return keras.ops.convert_to_numpy(model(small[None, ..., None], training=False))[
        0, ..., 0
    ]


methods["Network"] = network
scores = {"PSNR (dB)": {}, "SSIM": {}}
for name, method in methods.items():
    upsampled = [method(binned(crop)) for crop in test_crops]
    scores["PSNR (dB)"][name] = [
        psnr(crop, result) for crop, result in zip(test_crops, upsampled)
    ]
    scores["SSIM"][name] = [
        ssim(crop, result) for crop, result in zip(test_crops, upsampled)
    ]
results = run.compare(
    scores, network="Network", items="crops", verdict_on=["PSNR (dB)"]
)
results

# %%
# The same numbers as a chart: each dot is a mean, each bar its 95 % interval.
# The bars show how much the held-out items differ from one another; the
# verdicts compare the methods item by item, so a verdict can be clear where
# bars overlap.
score_chart(results, ["PSNR (dB)", "SSIM"])

# %%
# Zoom in
# -------
# A held-out ``cell`` picture, binned 2x2, then upsampled by bicubic, by the
# best classical method above and by the network; the inset enlarges the
# boxed region.
cell = bundled_gray("cell")[:320, :320]
small = binned(cell)
best = results.verdicts[0].best
answers = {f"{best} (best classical)": methods[best](small), "Network": network(small)}
zoomed_panels(
    {
        "Binned input (each pixel shown 2x2)": np.kron(small, np.ones((SCALE, SCALE))),
        "Bicubic": bicubic(small),
        **answers,
        "Original": cell,
    },
    region=(slice(130, 170), slice(150, 200)),
    title=(
        "A 2x2-binned held-out picture, upsampled by each method; the inset enlarges "
        "the box"
    ),
    columns=3,
)

# %%
# Where each method errs: the difference from the original picture. Errors
# that follow edges are detail a method could not restore; errors like fine
# noise are the original picture's own pixel noise, which the binning averaged
# away and no method can bring back.
error_maps(answers, cell, "Absolute difference from the original cell picture")

# %%
# Use it on your images
# ---------------------
# The trained network is saved with what it expects written inside the file;
# the downloads at the end of this page include it. It learnt to undo a 2x2
# binning of pictures scaled to [0, 1]: it suits images binned (or sampled)
# that way, and may invent detail on others.
saved = run.save_network(
    model,
    input=f"one grey channel, float32, scaled to [0, 1], binned {SCALE}x{SCALE}",
    output=f"the image {SCALE} times larger on each side",
)
saved

# %%
# Load it and enlarge a whole image of a size it never saw, tile by tile:
# ``scale`` tells the tiling that the answer is twice as large. With your own
# file: ``small = percentile_normalise(skimage.io.imread("my.tif"))``.
from dlis_gallery.networks import load_network, predict_tiled

enlarger, about = load_network(saved.path)
original = bundled_gray("moon")[:302, :278]
enlarged = predict_tiled(enlarger, binned(original), tile=64, margin=8, scale=SCALE)
print(
    f"{original.shape[0] // SCALE}x{original.shape[1] // SCALE} -> "
    f"{enlarged.shape[0]}x{enlarged.shape[1]}: "
    f"{psnr(original, enlarged):.2f} dB (bicubic "
    f"{psnr(original, bicubic(binned(original))):.2f} dB)"
)

# %%
# Conclusion
# ----------
# The verdict under the table compares the network with the best of the
# interpolations and deconvolutions in this build, with its interval. The
# network learnt only the difference between bicubic upsampling and the truth
# on the training pictures; how well that transfers depends on how alike your
# images are to them.

# sphinx_gallery_thumbnail_number = 3
