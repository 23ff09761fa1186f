"""
Can a network clean noisy micrographs better than BM3D?
=======================================================

Every detector adds noise: read noise that looks Gaussian, and shot noise from
counting photons or electrons (Poisson). The classical cures each have a knob
or two to tune: total variation, wavelet shrinkage, non-local means and BM3D,
the reference classical denoiser. A convolutional network instead *learns*
what clean images look like from pairs of noisy and clean examples. The guide
shows this at :timestamp:`00:02:53 </guides/dragonfly-daily-15>`.

We train a small residual CNN (DnCNN-style: it predicts the noise and
subtracts it) on pictures bundled with scikit-image, tune every classical
method on the same training pictures, and score all of them on crops of
pictures that played no part in training or tuning.
"""

# %%
# Setup
# -----
# ``start_run`` picks the profile (``full`` on a GPU, ``quick`` on a CPU), fixes
# the seeds and prints where this example runs.
from functools import partial

import bm3d
import keras
import numpy as np
from keras import layers
from skimage.restoration import (
    calibrate_denoiser,
    cycle_spin,
    denoise_nl_means,
    denoise_tv_chambolle,
    denoise_wavelet,
)

from dlis_gallery import start_run
from dlis_gallery.figures import error_maps, score_chart, training_curve, zoomed_panels
from dlis_gallery.images import bundled_gray, random_patches
from dlis_gallery.metrics import psnr, ssim

run = start_run("denoising")
PATCHES = run.pick(smoke=64, quick=2000, full=40000)
EPOCHS = run.pick(smoke=1, quick=3, full=40)
DEPTH, WIDTH = run.pick(smoke=(3, 8), quick=(7, 32), full=(17, 64))
CROPS, CROP = run.pick(smoke=(2, 48), quick=(8, 64), full=(24, 128))  # held-out crops
TUNING_CROPS, TUNING_CROP = run.pick(smoke=(2, 32), quick=(3, 64), full=(8, 64))
rng = np.random.default_rng(0)

# %%
# Prepare the data
# ----------------
# Three sets of different pictures: the network trains on the first, its
# validation loss is measured on the second, and every method is scored on
# crops of the third. Two noise models: Gaussian read noise (sigma 0.1) and
# Poisson shot noise (30 photons at full brightness).
SIGMA, PHOTONS = 0.1, 30.0
TRAIN = ("camera", "astronaut", "brick", "grass", "gravel", "chelsea", "coffee", "text")
VALIDATION = ("rocket", "clock")
TEST = ("coins", "moon", "cell")
run.declare_data(train=TRAIN, validation=VALIDATION, test=TEST)


def add_noise(clean, kind, rng):
    if kind == "gaussian":
        return (clean + rng.normal(0, SIGMA, clean.shape)).astype("float32")
    return (rng.poisson(clean * PHOTONS) / PHOTONS).astype("float32")


def noisy_pairs(names, count, size, rng):
    clean = random_patches([bundled_gray(name) for name in names], size, count, rng)
    kinds = np.where(np.arange(count) % 2 == 0, "gaussian", "poisson")
    noisy = np.stack([add_noise(patch, kind, rng) for patch, kind in zip(clean, kinds)])
    return noisy[..., None], clean[..., None]


x_train, y_train = noisy_pairs(TRAIN, PATCHES, 40, rng)
x_val, y_val = noisy_pairs(VALIDATION, max(16, PATCHES // 10), 40, rng)
test_crops = random_patches([bundled_gray(name) for name in TEST], CROP, CROPS, rng)
print(
    f"{PATCHES} training pairs of 40x40, half Gaussian, half Poisson; {CROPS} test "
    f"crops of {CROP}x{CROP}"
)

# %%
# Build the model
# ---------------
# A stack of 3x3 convolutions estimates the noise; the output is the input minus
# that estimate. With no pooling the network takes images of any size.
inputs = keras.Input(shape=(None, None, 1))
x = layers.Conv2D(WIDTH, 3, padding="same", activation="relu")(inputs)
for _ in range(DEPTH - 2):
    x = layers.Conv2D(WIDTH, 3, padding="same", activation="relu")(x)
noise = layers.Conv2D(1, 3, padding="same")(x)
outputs = layers.Subtract()([inputs, noise])
model = keras.Model(inputs, outputs, name="residual_denoiser")
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
print(f"{model.count_params():,} trainable weights in {DEPTH} convolution layers")

# %%
# Train
# -----
with run.timed("training"):
    history = model.fit(
        x_train,
        y_train,
        batch_size=32,
        epochs=EPOCHS,
        validation_data=(x_val, y_val),
        verbose=0,
        callbacks=[run.epoch_log(EPOCHS)],
    )

training_curve(history, "mean squared error", log=True)

# %%
# The validation loss is measured on pictures the network never trained on:
# when it follows the training loss, the network is learning what noise
# looks like, not memorising its patches.
#
# The classical methods, at their best
# ------------------------------------
# Each method takes the noise level ``sigma`` and one or more knobs. Poisson
# noise first goes through the Anscombe transform, which turns counts into
# values with Gaussian noise of a known sigma; the Gaussian denoiser works
# there, and the exact unbiased inverse (Makitalo and Foi, 2011) brings the
# result back to counts.
CLASSICAL = {
    "TV (Chambolle)": lambda image, sigma, weight: denoise_tv_chambolle(
        image, weight=weight * sigma
    ),
    "Wavelet, cycle spinning": lambda image, sigma, scale: cycle_spin(
        image,
        denoise_wavelet,
        max_shifts=3,
        func_kw={"sigma": scale * sigma, "rescale_sigma": True},
        workers=1,
    ),
    "NL-means": lambda image, sigma, h, patch_size, patch_distance: denoise_nl_means(
        image,
        h=h * sigma,
        sigma=sigma,
        patch_size=patch_size,
        patch_distance=patch_distance,
        fast_mode=False,
    ),
    "BM3D": lambda image, sigma, scale: bm3d.bm3d(image, scale * sigma),
}
GRIDS = {
    "TV (Chambolle)": {"weight": [0.5, 0.7, 1.0, 1.4]},
    "Wavelet, cycle spinning": {"scale": [0.6, 0.8, 1.0, 1.3]},
    "NL-means": {
        "h": [0.5, 0.6, 0.7, 0.85, 1.0, 1.2],
        "patch_size": [5, 7, 9, 11, 13],
        "patch_distance": [3, 5, 7],
    },
    "BM3D": {"scale": [0.7, 0.85, 1.0, 1.2, 1.45]},
}
LIMITS = {"patch_size": (1, 13), "patch_distance": (1, 7)}
SCALE = 2 * np.sqrt(PHOTONS + 3 / 8)  # the Anscombe value of full brightness


def anscombe(noisy):
    return 2 * np.sqrt(noisy * PHOTONS + 3 / 8) / SCALE


def inverse_anscombe(stabilised):
    d = np.maximum(stabilised * SCALE, 2 * np.sqrt(3 / 8))
    counts = (
        d**2 / 4
        + np.sqrt(1.5) / (4 * d)
        - 11 / (8 * d**2)
        + 5 * np.sqrt(1.5) / (8 * d**3)
        - 1 / 8
    )
    return np.maximum(counts, 0) / PHOTONS


def denoised(denoiser, noisy, kind):
    if kind == "gaussian":
        return denoiser(noisy, SIGMA)
    return inverse_anscombe(denoiser(anscombe(noisy), 1 / SCALE))


# %%
# Each method's knobs are tuned on crops of the *training* pictures with
# Gaussian noise; after the Anscombe transform Poisson noise is alike, so the
# same knobs (relative to ``sigma``) serve both. The values with the best mean
# PSNR win, each knob trying every value of its grid in turn until nothing
# changes. A best value on the edge of its grid would print a warning here:
# the grid, not the method, would have decided. Two knobs have limits
# instead: the cost of slow NL-means grows with the square of the patch size
# and of the search window, so patches stop at 13 pixels and the search at 7
# pixels on each side; a best value at a limit is printed as a note.
tune_clean = random_patches(
    [bundled_gray(name) for name in TRAIN], TUNING_CROP, TUNING_CROPS, rng
)
tune_pairs = [(clean, add_noise(clean, "gaussian", rng)) for clean in tune_clean]


def tuning_score(denoiser, **knobs):
    return np.mean(
        [psnr(clean, denoiser(noisy, SIGMA, **knobs)) for clean, noisy in tune_pairs]
    )


tuned = {}
with run.timed("tuning"):
    for method, denoiser in CLASSICAL.items():
        knobs = run.tune(method, partial(tuning_score, denoiser), GRIDS[method], LIMITS)
        tuned[method] = partial(denoiser, **knobs)

# %%
# Without any clean image
# -----------------------
# Often there is no clean reference to tune on. ``calibrate_denoiser`` tunes a
# denoiser on the noisy image alone, by predicting each pixel from its
# neighbours only (a J-invariant version of the denoiser, as in Noise2Self).
# It is the classical, self-supervised option.


def self_calibrated(image, sigma):
    parameters = {
        "h": list(np.array([0.4, 0.6, 0.8, 1.0, 1.3]) * sigma),
        "sigma": [sigma],
        "fast_mode": [True],
    }
    return calibrate_denoiser(image, denoise_nl_means, denoise_parameters=parameters)(
        image
    )


tuned["NL-means, self-calibrated"] = self_calibrated


# %%
# Score every method on the held-out crops
# ----------------------------------------
# Each crop gets its own noise draw; every method sees the same noisy crop.
# Any image size works for the network.
def network(image, sigma=None):
    return keras.ops.convert_to_numpy(model(image[None, ..., None], training=False))[
        0, ..., 0
    ]


methods = {**tuned, "Network": network}
scores = {}
for kind in ("gaussian", "poisson"):
    for clean in test_crops:
        noisy = add_noise(clean, kind, rng)
        for method, denoiser in methods.items():
            result = (
                network(noisy)
                if method == "Network"
                else denoised(denoiser, noisy, kind)
            )
            for metric, value in (
                (f"{kind.capitalize()} PSNR (dB)", psnr(clean, result)),
                (f"{kind.capitalize()} SSIM", ssim(clean, result)),
            ):
                scores.setdefault(metric, {}).setdefault(method, []).append(value)

results = run.compare(
    scores,
    network="Network",
    items="crops",
    verdict_on=["Gaussian PSNR (dB)", "Poisson PSNR (dB)"],
)
results

# %%
# The same numbers as a chart: each dot is a mean, each bar its 95 % interval.
# The bars show how much the held-out items differ from one another; the
# verdicts compare the methods item by item, so a verdict can be clear where
# bars overlap.
score_chart(results)

# %%
# See the difference
# ------------------
# Part of the held-out ``coins`` picture with Gaussian noise, cleaned by the
# network and by the classical method with the best mean PSNR above. The
# inset enlarges the boxed region: look at coin edges and at the texture of
# the background.
coins = bundled_gray("coins")[40:200, 100:300]
noisy_coins = add_noise(coins, "gaussian", rng)
best = results.verdicts[0].best
answers = {
    f"{best} (best classical)": denoised(tuned[best], noisy_coins, "gaussian"),
    "Network": network(noisy_coins),
}
zoomed_panels(
    {"Noisy input": noisy_coins, **answers, "Clean": coins},
    region=(slice(72, 112), slice(78, 128)),
    title=(
        "Part of held-out coins with Gaussian noise (sigma 0.1); the inset enlarges "
        "the box"
    ),
)

# %%
# Where each method errs: the difference from the clean picture. Errors that
# follow coin edges mean blurred or invented edges; speckle means noise left.
error_maps(answers, coins, "Absolute difference from the clean coins")

# %%
# Use it on your images
# ---------------------
# The trained network is saved with what it expects written inside the file;
# the downloads at the end of this page include it. It learnt grey images
# scaled to [0, 1] with the noise above: bring your image to that range first
# (``percentile_normalise`` puts its 1st and 99.8th percentiles at 0 and 1),
# and expect it to work only for noise of a similar kind and strength.
saved = run.save_network(
    model,
    input="one grey channel, float32, scaled to [0, 1]",
    noise=(
        f"Gaussian sigma {SIGMA}, or Poisson with {PHOTONS:g} photons at full "
        f"brightness"
    ),
    output="the denoised image, same size",
)
saved

# %%
# Load it and clean a whole image of a size it never saw, tile by tile. With
# your own file: ``noisy = percentile_normalise(skimage.io.imread("my.tif"))``.
# A margin as wide as the network's reach (one pixel per layer) makes the
# tiled answer the same as the whole image's, away from the image's border.
from dlis_gallery.networks import load_network, predict_tiled

denoiser, about = load_network(saved.path)
clean_cell = bundled_gray("cell")[:301, :277]
noisy = add_noise(clean_cell, "gaussian", np.random.default_rng(1))
restored = predict_tiled(denoiser, noisy, tile=128, margin=DEPTH)
whole = keras.ops.convert_to_numpy(denoiser(noisy[None, ..., None]))[0, ..., 0]
gap = np.abs(restored - whole)[DEPTH:-DEPTH, DEPTH:-DEPTH].max()
print(
    f"{noisy.shape[0]}x{noisy.shape[1]} held-out cell: {psnr(clean_cell, noisy):.2f} "
    f"dB noisy, "
    f"{psnr(clean_cell, restored):.2f} dB denoised; tiles vs whole image: {gap:.1e}"
)

# %%
# Conclusion
# ----------
# The verdicts under the table say how the network compares with the best
# tuned classical method in this build, and how sure that is. The quick
# profile trains briefly on a CPU (the time is printed under "Train"); the
# full profile, on a GPU, trains a deeper network on many more patches. To
# choose for your own images: tune the classical methods as above on a few
# images like yours, and train the network on pairs from your own instrument.
# With no clean images at all, the self-calibrated row is the fair
# comparison.

# sphinx_gallery_thumbnail_number = 3
