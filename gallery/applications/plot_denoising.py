"""
Can a network clean noisy micrographs better than BM3D?
=======================================================

Every detector adds noise: read noise that looks Gaussian, and shot noise from
counting photons or electrons (Poisson). In fluorescence microscopy fewer
photons mean less bleaching and faster imaging, so the images a biologist
wants most are the noisiest. The classical cures each have a knob or two to
tune; the strongest of them is BM3D, which finds similar patches across the
image and denoises them together. A convolutional network instead *learns*
what clean images of the sample look like from pairs of noisy and clean
ones. The guide shows this at :timestamp:`00:02:53 </guides/dragonfly-daily-15>`.

A biologist trains such a network on their own kind of sample, as CARE does:
a few fields recorded with short and long exposures, then the rest of the
acquisition. So do we, on synthetic fluorescence images of filaments (as
microtubules or actin look) whose clean image is known exactly. BM3D is tuned
on the same kind of images, and both are scored on fields neither saw. A
sweep of the photons per pixel shows where the network pays off, and
photographs unlike any filament what a change of sample costs.
"""

# %%
# Setup
# -----
# ``start_run`` picks the profile (``full`` on a GPU, ``quick`` on a CPU), fixes
# the seeds and prints where this example runs.
import os
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import bm3d
import keras
import numpy as np
import tifffile
from keras import layers
from scipy import ndimage
from skimage.restoration import cycle_spin, denoise_tv_chambolle, denoise_wavelet

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
from dlis_gallery.networks import flip_averaged, normalised, percentile_range

run = start_run("denoising")
STEPS, BATCH = run.pick(smoke=(10, 8), quick=(700, 16), full=(8000, 32))
FIELDS, CROPS = run.pick(smoke=(8, 2), quick=(400, 8), full=(2000, 24))
LEVEL_CROPS = run.pick(smoke=1, quick=3, full=8)
SIGMA, PHOTONS = (
    0.15,
    5.0,
)  # the main case: read noise, and 5 photons at full brightness
LEVELS = run.pick(
    smoke=[2, 10, 50, 100], quick=[2, 5, 10, 20, 50, 100], full=[2, 5, 10, 20, 50, 100]
)
rng = run.rng()

# %%
# Your kind of sample: fluorescent filaments
# ------------------------------------------
# Smooth curving filaments of random brightness, blurred by the microscope's
# point spread function (a Gaussian of 1.2 pixels), over a dim background with
# some out-of-focus haze. Intensities are in [0, 1]; with Poisson noise, 1 is
# the brightest pixel's expected number of photons (``PHOTONS``).


def filaments(size, rng, psf=1.2):
    pad = 16
    side = size + 2 * pad
    density = np.zeros((side, side))
    for _ in range(rng.integers(8, 20)):
        points = rng.integers(side, 3 * side)  # half a pixel apart
        turning = ndimage.gaussian_filter1d(rng.normal(0, 1, points), 12) * rng.uniform(
            0.3, 1.2
        )
        angle = rng.uniform(0, 2 * np.pi) + np.cumsum(turning) / 8
        rows = rng.uniform(0, side) + np.cumsum(0.5 * np.sin(angle))
        cols = rng.uniform(0, side) + np.cumsum(0.5 * np.cos(angle))
        inside = (rows >= 0) & (rows < side - 1) & (cols >= 0) & (cols < side - 1)
        rows, cols = rows[inside], cols[inside]
        weight = (
            rng.uniform(0.25, 0.7) * 0.5 * np.sqrt(2 * np.pi) * psf
        )  # its peak after the PSF
        top, left = rows.astype(int), cols.astype(int)
        down, right = rows - top, cols - left
        shares = {
            (0, 0): (1 - down) * (1 - right),
            (1, 0): down * (1 - right),
            (0, 1): (1 - down) * right,
            (1, 1): down * right,
        }  # each dot spread over its four nearest pixels
        for (dr, dc), share in shares.items():
            np.add.at(density, (top + dr, left + dc), weight * share)
    image = ndimage.gaussian_filter(density, psf)
    image += (
        0.25 * rng.uniform(0.5, 1.5) * ndimage.gaussian_filter(density, 6.0)
    )  # out-of-focus haze
    image = image[pad : pad + size, pad : pad + size] + rng.uniform(0.02, 0.08)
    return np.clip(image, 0, 1).astype("float32")


def gaussian_noise(clean, sigma, rng):
    return (clean + rng.normal(0, sigma, clean.shape)).astype("float32")


def poisson_noise(clean, photons, rng):
    return (rng.poisson(clean * photons) / photons).astype("float32")


# %%
# The network learns from 64x64 crops of many fields, turned and flipped at
# random, each field with fresh noise: half Gaussian with sigma anywhere from
# 0.05 to 0.25, half Poisson with 2 to 100 photons at full brightness. One
# network for every noise of the sweep below, as a microscopist would train
# one network for all the exposures of an experiment. Each noisy field, and
# its clean target with it, is first scaled so that the noisy field's 1st
# and 99th percentiles land on 0 and 1 (``normalised``): that is how your
# image will be scaled too, whatever its units. Each crop's squared error
# is then weighted by the square of its field's range between those
# percentiles, so that the network learns to make small errors in the
# fields' own units, where PSNR measures them.
fields = [filaments(96, rng) for _ in range(FIELDS)]
validation = [filaments(64, rng) for _ in range(16)]
tuning = [filaments(64, rng)]  # one field per noise level: BM3D is slow
held_out = [filaments(96, rng) for _ in range(CROPS)]
run.declare_data(train=fields, validation=validation, tuning=tuning, test=held_out)


def blind_noise(clean, rng):
    if rng.integers(2):
        return gaussian_noise(clean, rng.uniform(0.05, 0.25), rng)
    return poisson_noise(clean, np.exp(rng.uniform(np.log(2), np.log(100))), rng)


def weights(noisy_fields):
    """One sample weight per field: how much larger a squared error is in the
    field's own units than after scaling, over the mean of all of them."""
    squared = [(high - low) ** 2 for low, high in map(percentile_range, noisy_fields)]
    return (np.array(squared, "float32") / np.mean(squared))[:, None, None]


class Crops(keras.utils.PyDataset):
    """Training batches: random crops of the fields, turned and flipped, fresh noise,
    with each crop's weight."""

    def __init__(self, fields, batch, steps, rng):
        super().__init__()
        self.fields, self.batch, self.steps, self.rng = fields, batch, steps, rng

    def __len__(self):
        return self.steps

    def __getitem__(self, index):
        noisy, clean, noisy_fields = [], [], []
        for _ in range(self.batch):
            field = self.fields[self.rng.integers(len(self.fields))]
            noisy_field = blind_noise(field, self.rng)
            noisy_fields.append(noisy_field)
            pair = normalised(noisy_field, field)
            top, left = self.rng.integers(0, 96 - 64 + 1, 2)
            turns, flip = self.rng.integers(4), self.rng.integers(2)
            x, y = (np.rot90(a[top : top + 64, left : left + 64], turns) for a in pair)
            noisy.append(x[:, ::-1] if flip else x)
            clean.append(y[:, ::-1] if flip else y)
        return (
            np.stack(noisy)[..., None],
            np.stack(clean)[..., None],
            weights(noisy_fields),
        )


noisy_validation = [blind_noise(clean, rng) for clean in validation]
x_val, y_val = (
    np.stack(scaled)[..., None]
    for scaled in zip(*map(normalised, noisy_validation, validation))
)
w_val = weights(noisy_validation)
print(f"{FIELDS} training fields of 96x96; {CROPS} held-out fields")

# %%
# Build the model: a small U-Net that predicts the noise
# ------------------------------------------------------
# Two poolings let each output pixel see about 40 pixels around it, enough to
# follow a filament; the output is the input plus a correction. The
# correction's last layer starts at zero, so the untrained network returns
# its input and training only has to learn what to take away.


def block(x, width):
    x = layers.Conv2D(width, 3, padding="same", activation="relu")(x)
    return layers.Conv2D(width, 3, padding="same", activation="relu")(x)


inputs = keras.Input(shape=(None, None, 1))
down1 = block(inputs, 16)
down2 = block(layers.MaxPooling2D()(down1), 32)
bottom = block(layers.MaxPooling2D()(down2), 64)
up2 = block(layers.Concatenate()([layers.UpSampling2D()(bottom), down2]), 32)
up1 = block(layers.Concatenate()([layers.UpSampling2D()(up2), down1]), 16)
correction = layers.Conv2D(1, 1, kernel_initializer="zeros")(up1)
model = keras.Model(inputs, layers.Add()([inputs, correction]), name="unet_denoiser")
schedule = keras.optimizers.schedules.CosineDecay(3e-3, STEPS, alpha=0.02)
model.compile(optimizer=keras.optimizers.Adam(schedule), loss="mse")
print(f"{model.count_params():,} trainable weights")

# %%
# Train
# -----
# The validation loss, weighted as in training, is measured on separate
# fields every 50 steps.
EVERY = min(50, STEPS)
with run.timed("training"):
    history = model.fit(
        Crops(fields, BATCH, EVERY, run.rng(1)),
        epochs=STEPS // EVERY,
        validation_data=(x_val, y_val, w_val),
        verbose=0,
    )
run.learnt(history, EVERY)
training_curve(history, "weighted mean squared error", log=True)

# %%
# Ask about eight views of each field
# -----------------------------------
# Filaments have no preferred direction, and the network learnt every turn
# and mirror image of its crops; yet its answers about the eight views of one
# field differ a little, and their mean is a better answer than any one of
# them, for eight times the work (test-time augmentation). That averaged
# network is the one scored, saved and packed below.
averaged = flip_averaged(model)

# %%
# Every field below is denoised as you would denoise yours, with
# ``apply_network``: scaled by its own percentiles, cut into tiles that
# overlap by the network's reach, and scaled back to its units. How to do
# that is measured from the fields it learnt (``how_to_apply``).
how = how_to_apply(
    averaged,
    "denoise",
    [normalised(blind_noise(clean, rng))[0] for clean in fields[:64]],
    multiple=4,
)


# ``warn=False``: the sweep's ends and the other kind of sample lie at or
# beyond the edges of what it learnt, and the tables say how it fares there
network = partial(apply_network, (averaged, how), warn=False)
one_view_network = partial(apply_network, (model, how), warn=False)
pairs = [(clean, blind_noise(clean, rng)) for clean in validation]
one_view, eight_views = (
    np.mean([psnr(clean, answer(noisy)) for clean, noisy in pairs])
    for answer in (one_view_network, network)
)
print(
    f"Validation fields: {one_view:.2f} dB from one view, "
    f"{eight_views:.2f} dB from the mean of eight"
)


# %%
# The classical methods, at their best
# ------------------------------------
# Each method takes the noise's standard deviation ``sigma`` and a knob, tuned
# on a tuning field for each noise: total variation, wavelet shrinkage with
# cycle spinning, and BM3D, the reference. Poisson noise first goes through
# the Anscombe transform, which turns counts into values with Gaussian noise
# of a known sigma; each method works there, and the exact unbiased inverse
# (Makitalo and Foi, 2011) brings the result back to counts. Each method
# works on one core, so the tuning tries several knobs at once and the
# scoring denoises several fields at once, one per core (BM3D then runs
# single-threaded, ``ONE_CORE``).
CORES = os.cpu_count() or 1
ONE_CORE = bm3d.BM3DProfile()
ONE_CORE.num_threads = 1
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
    "BM3D": lambda image, sigma, scale: bm3d.bm3d(
        image, scale * sigma, profile=ONE_CORE
    ),
}
GRIDS = {
    "TV (Chambolle)": {"weight": [0.25, 0.35, 0.5, 0.7, 1.0, 1.4, 2.0, 2.8]},
    "Wavelet, cycle spinning": {"scale": [0.4, 0.6, 0.8, 1.0, 1.3, 1.7]},
    "BM3D": {
        "scale": run.pick(
            smoke=[0.85, 1.0, 1.2],
            quick=[0.55, 0.7, 0.85, 1.0, 1.2, 1.45, 1.7, 2.0],
            full=[0.55, 0.7, 0.85, 1.0, 1.2, 1.45, 1.7, 2.0],
        )
    },
}


def anscombe(noisy, photons):
    return 2 * np.sqrt(noisy * photons + 3 / 8)


def inverse_anscombe(stabilised, photons):
    d = np.maximum(stabilised, 2 * np.sqrt(3 / 8))
    counts = (
        d**2 / 4
        + np.sqrt(1.5) / (4 * d)
        - 11 / (8 * d**2)
        + 5 * np.sqrt(1.5) / (8 * d**3)
        - 1 / 8
    )
    return np.maximum(counts, 0) / photons


def applied(denoiser, noisy, kind, level):
    """``denoiser`` on Gaussian noise of sigma ``level``, or through the Anscombe
    transform on Poisson noise of ``level`` photons (in [0, 1], sigma 1 / top there)."""
    if kind == "Gaussian":
        return denoiser(noisy, level)
    top = anscombe(1.0, level)
    return inverse_anscombe(
        denoiser(anscombe(noisy, level) / top, 1 / top) * top, level
    )


NOISES = {"Gaussian": gaussian_noise, "Poisson": poisson_noise}
classical = {}


def tuned_classical(kind, level):
    """Every classical method with its knob tuned on the tuning field, for noise
    ``kind`` at ``level`` (once per noise)."""
    if (kind, level) not in classical:
        pair = [(clean, NOISES[kind](clean, level, rng)) for clean in tuning]
        found = {}
        for name, method in CLASSICAL.items():

            def score(method=method, **knob):
                return np.mean(
                    [
                        psnr(c, applied(partial(method, **knob), n, kind, level))
                        for c, n in pair
                    ]
                )

            knob = run.tune(
                f"{name}, {kind} {level:g}", score, GRIDS[name], workers=CORES
            )
            found[name] = partial(
                applied, partial(method, **knob), kind=kind, level=level
            )
        classical[kind, level] = found
    return classical[kind, level]


# %%
# Score every method on the held-out fields
# -----------------------------------------
# Each field gets its own noise draw; every method sees the same noisy field.
METRICS = {"PSNR (dB)": psnr, "SSIM": ssim}


def scored(kind, level, crops):
    methods = {**tuned_classical(kind, level), "Network": network}
    noisy = [NOISES[kind](clean, level, rng) for clean in crops]
    scores = {f"{kind} {metric}": {} for metric in METRICS}
    with ThreadPoolExecutor(CORES) as pool:  # one field per core
        for name, method in methods.items():
            for clean, answer in zip(crops, pool.map(method, noisy)):
                for metric, measure in METRICS.items():
                    scores[f"{kind} {metric}"].setdefault(name, []).append(
                        measure(clean, answer)
                    )
    return scores


with run.timed("scoring"):
    scores = {
        **scored("Gaussian", SIGMA, held_out),
        **scored("Poisson", PHOTONS, held_out),
    }
results = run.compare(
    scores,
    network="Network",
    items="crops",
    verdict_on=["Gaussian PSNR (dB)", "Poisson PSNR (dB)"],
)
results

# %%
# The same numbers as a chart: each dot is a mean, each bar its 95 % interval.
score_chart(results)

# %%
# Where the network pays off: photons per pixel
# ---------------------------------------------
# The same network at every level (it learnt them all); the classical methods
# tuned again at each. Few photons are a short exposure or a dim label.
with run.timed("sweep"):
    sweep = {
        photons: scored("Poisson", photons, held_out[:LEVEL_CROPS])["Poisson PSNR (dB)"]
        for photons in LEVELS
    }
swept = run.sweep(
    sweep,
    knob="photons at full brightness",
    metric="PSNR (dB)",
    network="Network",
    items="crops",
)
swept

# %%
sweep_chart(swept)

# %%
# See the difference
# ------------------
# A held-out field with 5 photons at full brightness, cleaned by the best
# classical method above and by the network; the inset enlarges the part of
# the field with the most structure (the largest mean gradient of the clean
# field).
field = filaments(160, np.random.default_rng(3))
noisy_field = poisson_noise(field, PHOTONS, np.random.default_rng(4))
best = results.verdicts[1].best
answers = {
    f"{best} (best classical)": tuned_classical("Poisson", PHOTONS)[best](noisy_field)
}
answers["Network"] = network(noisy_field)
zoomed_panels(
    {"Noisy input": noisy_field, **answers, "Clean": field},
    region=busiest_region(field, (50, 60)),
    title="A held-out field, 5 photons at full brightness; the inset enlarges the box",
    vmax=float(np.percentile(field, 99.5)),
)

# %%
# Where each method errs: the difference from the clean field. Errors along
# filaments are lost or invented structure; speckle is noise left.
error_maps(answers, field, "Absolute difference from the clean field")

# %%
# Another kind of image: domain shift
# -----------------------------------
# The same network and the same tuned methods on crops of photographs bundled
# with scikit-image, with the same noise. The network learnt filaments; the
# classical methods learnt nothing but their one knob.
photos = random_patches(
    [bundled_gray(name) for name in ("coins", "moon", "cell")],
    96,
    max(2, CROPS * 3 // 4),
    rng,
)
run.declare_data(shifted=["coins", "moon", "cell"])
shift = run.compare(
    {**scored("Gaussian", SIGMA, photos), **scored("Poisson", PHOTONS, photos)},
    network="Network",
    items="crops",
    verdict_on=["Gaussian PSNR (dB)", "Poisson PSNR (dB)"],
    case="shift",
)
shift

# %%
# Use it on your images
# ---------------------
# The trained network is saved with how to apply it, measured above: the
# percentiles that set an image's scale, the noise levels it learnt, how far
# one output pixel sees (the tiles' overlap). The downloads at the end of
# this page include it.
saved = run.save_network(
    averaged,
    how,
    learnt="fluorescent filaments, Gaussian and Poisson noise",
    sample=blind_noise(
        held_out[0], run.rng(99)
    ),  # the bioimage.io package's test image
)
saved

# %%
# To try it as you would, we write a new field as a camera does: a 16-bit
# TIFF of counts with its pixel size (65 nanometres).
clean = filaments(301, np.random.default_rng(7))[:301, :277]
# sphinx_gallery_start_ignore
os.chdir(saved.path.parent)  # the build keeps networks apart
# sphinx_gallery_end_ignore
counts = (40 * np.random.default_rng(8).poisson(clean * PHOTONS) + 100).astype(
    "uint16"
)  # gain 40, offset 100
tifffile.imwrite(
    "my_cells.tif",
    counts,
    imagej=True,
    resolution=(1 / 0.065, 1 / 0.065),
    metadata={"unit": "micron"},
)

# %%
# With your own file, this block is all you need: the network file from this
# page, and your image's name. A z-stack is denoised plane by plane; the
# answer keeps your image's units.
from dlis_gallery.image_files import read_image
from dlis_gallery.inference import apply_network  # noqa: F811 (a block to copy)

# sphinx_gallery_start_ignore
os.chdir(saved.path.parent)  # the build keeps networks apart
# sphinx_gallery_end_ignore

image = read_image("my_cells.tif")
denoised = apply_network("denoising.keras", image.data, image.axes)
low, high = image.data.min(), image.data.max()
print(f"{image.spatial_size()}: counts {low} to {high} -> denoised, {denoised.dtype}")

# %%
# Or from a shell, writing a TIFF with the same pixel size:
#
# .. code-block:: bash
#
#    dlis-apply denoising.keras my_cells.tif -o my_cells_denoised.tif
#
# This field was made here, so we know it clean:
print(
    f"{psnr(clean, (counts - 100) / (PHOTONS * 40)):.2f} dB noisy, "
    f"{psnr(clean, (denoised - 100) / (PHOTONS * 40)):.2f} dB denoised"
)

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
    denoised_onnx = apply_network(saved.package.name, image.data, image.axes)
    print(
        "ONNX and Keras answers differ by at most "
        f"{np.abs(denoised_onnx - denoised).max():.2g} counts"
    )

# %%
# Conclusion
# ----------
# The answer at the top of this page is this build's: on fields like the ones
# it learnt from, how the network compares with tuned BM3D, with its
# interval; the sweep says at which photon counts that holds, and the
# photographs what a change of sample costs. To choose for your own images:
# record a few fields of your sample with short and long exposures, train on
# those pairs, tune BM3D on the same pairs, and compare on fields you kept
# apart.

# sphinx_gallery_thumbnail_number = 4
