"""
Can a U-Net separate material phases better than a pixel classifier?
=====================================================================

A micrograph of a multi-phase material should be easy to segment: each phase
has its own grey level. In practice the illumination is uneven, the optics blur
the boundaries and the detector adds noise, and a global threshold paints one
side of the image with the wrong phase. The guide shows deep-learning
segmentation at :timestamp:`00:03:09 </guides/dragonfly-daily-15>`.

A scientist segments their own material: they label a few micrographs of it
and let the method do the rest of the acquisition. So do we, on synthetic
three-phase micrographs whose true phase of every pixel is known. A U-Net
learns from labelled micrographs; its opponents are multi-Otsu thresholding
after a tuned flat-field correction and the tool most imaging scientists
reach for when thresholds fail, a random-forest pixel classifier on
multiscale features (the approach of ilastik), trained on the same labels.
A sweep across the detector's noise then shows where the U-Net pays off, and
micrographs of another texture what happens when the sample changes.
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
from skimage.feature import multiscale_basic_features
from skimage.filters import gaussian, threshold_multiotsu
from sklearn.ensemble import RandomForestClassifier

from dlis_gallery import start_run
from dlis_gallery.figures import (
    busiest_region,
    score_chart,
    sweep_chart,
    training_curve,
    zoomed_panels,
)
from dlis_gallery.filters import wide_gaussian
from dlis_gallery.inference import apply_network, how_to_apply
from dlis_gallery.metrics import errors_by_place, iou_per_class, mean_iou
from dlis_gallery.networks import normalised
from dlis_gallery.profile import steps_per_call
from dlis_gallery.tuning import once_per_image

run = start_run("segmentation")
TRAIN, STEPS, BATCH = run.pick(
    smoke=(3, 20, 8), quick=(24, 1000, 8), full=(96, 6000, 16)
)
TUNING, TEST = run.pick(smoke=(2, 2), quick=(4, 8), full=(8, 24))
LEVEL_TUNING, LEVEL_TEST = run.pick(smoke=(1, 2), quick=(3, 5), full=(6, 12))
PIXELS = run.pick(
    smoke=3000, quick=60_000, full=200_000
)  # labelled pixels for the forest
SIZE, PATCH, PHASES = (256, 312), 64, 3
NOISE = 0.2  # the main case: a fast, noisy acquisition (phases 0.25 apart)
LEVELS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3]  # the sweep: the detector's noise
SCALED_BY = (20, 80)  # the percentiles that set a micrograph's scale (see below)
rng = run.rng()

# %%
# Your kind of sample: micrographs with exact labels
# --------------------------------------------------
# A smooth random field cut at two levels gives three interpenetrating phases
# at grey levels near 0.25, 0.5 and 0.75. The optics blur them, the light
# varies slowly by up to 40 % across the field, and the detector adds noise.
# The labels are the phases before all that.


def clean_micrograph(shape, rng, features=(3, 6), light=0.4):
    field = gaussian(rng.normal(size=shape), sigma=rng.uniform(*features))
    cuts = np.quantile(field, [rng.uniform(0.25, 0.4), rng.uniform(0.6, 0.75)])
    labels = np.digitize(field, cuts)
    levels = np.array([0.25, 0.5, 0.75]) + rng.normal(0, 0.02, PHASES)
    shading = wide_gaussian(rng.normal(size=shape), min(shape) / 3)
    shading = 1 + light * shading / np.abs(shading).max()
    return (gaussian(levels[labels], sigma=1.2) * shading).astype(
        "float32"
    ), labels.astype("int32")


def micrograph(shape, rng, noise, **sample):
    clean, labels = clean_micrograph(shape, rng, **sample)
    return (clean + rng.normal(0, noise, shape)).astype("float32"), labels


# %%
# The U-Net learns from 64x64 crops of labelled micrographs, turned and
# flipped at random, each with fresh noise anywhere from 0.05 to 0.3: one
# network for every noise level of the sweep below. Each crop is scaled as
# its whole micrograph, noise and all, would be scaled (``normalised``): its
# 20th and 80th percentiles to 0 and 1, as your image will be, whatever its
# units. Those two percentiles lie inside the darkest and the brightest
# phase, so noise moves them far less than the 1st and 99th, which noise
# pushes outward and which then squeeze the phases of a noisy micrograph
# together. The forest learns from a
# random sample of the labelled pixels of the same micrographs, each with
# one noise draw from that range. Flat-field correction and multi-Otsu learn
# nothing; their two radii are tuned on separate micrographs at each level.
train = [clean_micrograph(SIZE, rng) for _ in range(TRAIN)]
train_noisy = [
    clean + rng.normal(0, rng.uniform(0.05, 0.3), SIZE) for clean, _ in train
]
validation = [micrograph((128, 128), rng, NOISE) for _ in range(4)]
tuning = [micrograph(SIZE, rng, NOISE) for _ in range(TUNING)]
held_out = [micrograph(SIZE, rng, NOISE) for _ in range(TEST)]
run.declare_data(
    train=[clean for clean, _ in train],
    validation=[x for x, _ in validation],
    tuning=[x for x, _ in tuning],
    test=[x for x, _ in held_out],
)


class Crops(keras.utils.PyDataset):
    """Training batches: random crops, turned and flipped, with fresh noise."""

    def __init__(self, micrographs, batch, steps, rng):
        super().__init__()
        self.micrographs, self.batch, self.steps, self.rng = (
            micrographs,
            batch,
            steps,
            rng,
        )
        # 4096 pixels of each micrograph: with the crop's noise, they give the
        # percentiles of the whole noisy micrograph at a fraction of the cost
        self.samples = [rng.choice(clean.ravel(), 4096) for clean, _ in micrographs]

    def __len__(self):
        return self.steps

    def __getitem__(self, index):
        images, labels = [], []
        for _ in range(self.batch):
            chosen = self.rng.integers(len(self.micrographs))
            clean, truth = self.micrographs[chosen]
            top, left = (self.rng.integers(0, side - PATCH + 1) for side in clean.shape)
            crops = (a[top : top + PATCH, left : left + PATCH] for a in (clean, truth))
            turns, flip = self.rng.integers(4), self.rng.integers(2)
            image, truth = (np.rot90(crop, turns) for crop in crops)
            image, truth = (image[:, ::-1], truth[:, ::-1]) if flip else (image, truth)
            noise = self.rng.uniform(0.05, 0.3)
            sample = self.samples[chosen] + self.rng.normal(0, noise, 4096)
            image = image + self.rng.normal(0, noise, image.shape)
            images.append(normalised(sample, image, percentiles=SCALED_BY)[1])
            labels.append(truth)
        return np.stack(images)[..., None], np.stack(labels)


print(
    f"{TRAIN} labelled {SIZE[0]}x{SIZE[1]} micrographs to learn from; {TEST} held out"
)

# %%
# Build the model: a U-Net that takes any image size
# --------------------------------------------------
# Three poolings halve the image three times, so the network needs sides
# divisible by 8 (``apply_network``, below, takes care of that). Each
# convolution is followed by batch normalisation (as in CARE's U-Net), which
# keeps every layer's output on one scale while the network learns: a step
# costs more, but the network learns more in each second of training. The
# last layer gives one score (logit) per phase. For a network this small,
# Keras's call into the backend is a noticeable part of each step, so one
# call runs all the steps between two checks of the validation loss where
# the backend allows it (TensorFlow, JAX; see ``steps_per_call``): the same
# training, in less time.


def block(x, width):
    for _ in range(2):
        x = layers.Conv2D(width, 3, padding="same", use_bias=False)(x)
        x = layers.Activation("relu")(layers.BatchNormalization()(x))
    return x


inputs = keras.Input(shape=(None, None, 1))
down1 = block(inputs, 8)
down2 = block(layers.MaxPooling2D()(down1), 16)
down3 = block(layers.MaxPooling2D()(down2), 32)
x = block(layers.MaxPooling2D()(down3), 64)
for skip, width in ((down3, 32), (down2, 16), (down1, 8)):
    x = block(layers.Concatenate()([layers.UpSampling2D()(x), skip]), width)
model = keras.Model(inputs, layers.Conv2D(PHASES, 1)(x), name="unet")
EVERY = min(50, STEPS)  # steps between two checks of the validation loss
schedule = keras.optimizers.schedules.CosineDecay(5e-3, STEPS, alpha=0.02)
model.compile(
    optimizer=keras.optimizers.Adam(schedule),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    steps_per_execution=steps_per_call(EVERY),
)


# %%
# Train
# -----
# The validation loss is measured on separate micrographs every 50 steps.
x_val = np.stack([normalised(x, percentiles=SCALED_BY)[0] for x, _ in validation])
x_val = x_val[..., None]
y_val = np.stack([y for _, y in validation])
with run.timed("training"):
    history = model.fit(
        Crops(train, BATCH, EVERY, run.rng(1)),
        epochs=STEPS // EVERY,
        validation_data=(x_val, y_val),
        verbose=0,
    )
run.learnt(history, EVERY)
training_curve(history, "cross-entropy", log=True)

# %%
# Every micrograph below is labelled as you would label yours, with
# ``apply_network``: scaled by its own percentiles, cut into tiles that
# overlap by the network's reach, each pixel given its most likely phase.
# How to do that is measured from the micrographs it learnt
# (``how_to_apply``).
how = how_to_apply(
    model,
    "segment",
    [normalised(image, percentiles=SCALED_BY)[0] for image in train_noisy],
    multiple=8,
    classes=PHASES,
    percentiles=SCALED_BY,
)


# ``warn=False``: the sweep's ends and the other kind of sample lie at or
# beyond the edges of what it learnt, and the tables say how it fares there
segment = partial(apply_network, (model, how), warn=False)


# %%
# A pixel classifier, trained on the same labels
# ----------------------------------------------
# Each pixel is described by its intensity, edges and texture at scales from
# 1 to 16 pixels (``multiscale_basic_features``); a random forest learns the
# phase from those features, on a random sample of labelled pixels spread over
# every training micrograph.
features = partial(multiscale_basic_features, sigma_min=1, sigma_max=16)
pick = run.rng(2)
described, phases = [], []
with run.timed("random forest training"):
    for image, (_, labels) in zip(train_noisy, train):
        chosen = pick.choice(labels.size, PIXELS // TRAIN, replace=False)
        described.append(features(image).reshape(labels.size, -1)[chosen])
        phases.append(labels.ravel()[chosen])
    forest = RandomForestClassifier(
        n_estimators=50, max_depth=15, n_jobs=-1, random_state=run.seed
    )
    forest.fit(np.concatenate(described), np.concatenate(phases))


def random_forest(image):
    return forest.predict(features(image).reshape(image.size, -1)).reshape(image.shape)


# %%
# Thresholds, tuned
# -----------------
# Multi-Otsu picks two thresholds from the histogram. Before it, a Gaussian
# blur smooths the noise and a flat-field correction (divide by a heavily
# blurred copy) evens out the light; both radii are tuned on the tuning
# micrographs, which have the test size. The blur is scikit-image's Gaussian,
# computed by ``wide_gaussian``: the same answer, at a cost that stops
# growing with the radius (a wide blur is one matrix product per axis).
def multiotsu(image):
    return np.digitize(image, threshold_multiotsu(image, classes=PHASES))


def blurred(image, radius):
    return wide_gaussian(image, radius)


def flat_fielded(image, smooth, radius, blur=blurred):
    return multiotsu(blur(image, smooth) / blur(image, radius))


RADII = {
    "smooth": [0.5, 1, 1.5, 2, 3, 4, 6],
    "radius": [8, 16, 24, 32, 48, 64, 128, 256],
}


def tuned_thresholds(micrographs, label=""):
    blur = once_per_image(blurred)  # each micrograph blurred once per radius tried

    def score(**knobs):
        return np.mean(
            [
                mean_iou(y, flat_fielded(x, **knobs, blur=blur), PHASES)
                for x, y in micrographs
            ]
        )

    return partial(
        flat_fielded, **run.tune("Flat-fielded multi-Otsu" + label, score, RADII)
    )


with run.timed("tuning"):
    thresholds = tuned_thresholds(tuning)


# %%
# Score every method on the held-out micrographs
# ----------------------------------------------
# The overlap of each phase with the truth (IoU), and where the wrong pixels
# lie: next to a true boundary between phases (another phase within one
# pixel), or farther inside a phase; each in per cent of the micrograph.
AT_BOUNDARIES, INSIDE = "error at boundaries (%)", "error inside phases (%)"


def scored(methods, micrographs):
    scores = {"mean IoU": {}, AT_BOUNDARIES: {}, INSIDE: {}}
    scores.update({f"IoU phase {phase}": {} for phase in range(PHASES)})
    for name, method in methods.items():
        for image, truth in micrographs:
            found = method(image)
            errors = errors_by_place(truth, found)
            measured = {
                "mean IoU": mean_iou(truth, found, PHASES),
                AT_BOUNDARIES: errors["at boundaries"],
                INSIDE: errors["inside"],
            }
            for phase, iou in enumerate(iou_per_class(truth, found, PHASES)):
                measured[f"IoU phase {phase}"] = iou
            for metric, value in measured.items():
                scores[metric].setdefault(name, []).append(value)
    return scores


methods = {
    "Multi-Otsu": multiotsu,
    "Flat-fielded multi-Otsu": thresholds,
    "Random forest on features": random_forest,
    "U-Net": segment,
}
options = {
    "network": "U-Net",
    "items": "micrographs",
    "verdict_on": ["mean IoU"],
    "lower_is_better": [AT_BOUNDARIES, INSIDE],
}
main_scores = scored(methods, held_out)
results = run.compare(main_scores, **options)
results

# %%
# The same numbers as a chart: each dot is a mean, each bar its 95 % interval.
score_chart(results)

# %%
# Where the errors lie
# --------------------
# Next to a boundary, the optics' blur mixes two phases in one pixel and the
# noise hides the mix: there every method guesses, and no training removes
# all of it. Errors farther inside a phase are the ones a better method
# avoids. Once a method makes almost none of those, what is left to win in
# mean IoU lies at the boundaries.
score_chart(results, [AT_BOUNDARIES, INSIDE])
for name in ("Random forest on features", "U-Net"):
    at, inside = (
        np.mean(main_scores[place][name]) for place in (AT_BOUNDARIES, INSIDE)
    )
    print(f"{name}: {at / (at + inside):.0%} of its wrong pixels next to a boundary")

# %%
# Where the U-Net pays off: the detector's noise
# ----------------------------------------------
# The phases are 0.25 apart, so a noise of 0.05 is a contrast-to-noise ratio
# of 5 and 0.3 one of 0.8. The same U-Net and forest at every level (they
# learnt every level), the thresholds' radii tuned again at each.
sweep = {}
with run.timed("sweep"):
    for noise in LEVELS:
        level_tuning = [micrograph(SIZE, rng, noise) for _ in range(LEVEL_TUNING)]
        at_level = {
            **methods,
            "Flat-fielded multi-Otsu": tuned_thresholds(
                level_tuning, f" at noise {noise}"
            ),
        }
        level_test = [micrograph(SIZE, rng, noise) for _ in range(LEVEL_TEST)]
        sweep[noise] = scored(at_level, level_test)["mean IoU"]
swept = run.sweep(
    sweep,
    knob="noise (phases 0.25 apart)",
    metric="mean IoU",
    network="U-Net",
    items="micrographs",
)
swept

# %%
sweep_chart(swept)

# %%
# Look at one held-out micrograph
# -------------------------------
# Its true phases and each method's labels; the inset enlarges the part with
# the most phase boundaries. Compare where the light is brightest or dimmest,
# and along those boundaries.
image, truth = held_out[0]
zoomed_panels(
    {
        "Micrograph": (image, {"cmap": "gray", "vmin": None, "vmax": None}),
        "True phases": truth,
        **{
            name: method(image)
            for name, method in methods.items()
            if name != "Multi-Otsu"
        },
    },
    region=busiest_region(truth, (50, 60)),
    title="A held-out micrograph: its true phases and each method's labels",
    columns=3,
    legend={phase: f"phase {phase}" for phase in range(PHASES)},
    cmap="viridis",
    vmin=0,
    vmax=PHASES - 1,
)

# %%
# Another texture: domain shift
# -----------------------------
# Every method keeps what it learnt or was tuned on and meets micrographs of a
# finer texture (features half as large) under stronger uneven light (60 %),
# at the same noise. Nothing is re-trained or re-tuned.
shifted = [
    micrograph(SIZE, rng, NOISE, features=(2, 4), light=0.6) for _ in range(TEST)
]
run.declare_data(shifted=[x for x, _ in shifted])
shift = run.compare(scored(methods, shifted), **options, case="shift")
shift

# %%
# Use it on your images
# ---------------------
# The trained U-Net is saved with how to apply it, measured above: the
# percentiles that set an image's scale, the noise it learnt, how far one
# output pixel sees (the tiles' overlap) and the size its sides must divide
# by. The downloads at the end of this page include it. It learnt the
# synthetic micrographs above: on your material, retrain it on a few
# labelled micrographs of yours first (the shifted ones above show why).
saved = run.save_network(
    model,
    how,
    learnt="three phases, blurred, lit unevenly, with noise 0.05 to 0.3",
    sample=held_out[0][0],  # the bioimage.io package's test image
)
saved

# %%
# To try it as you would, we write a new micrograph as a microscope does: a
# 16-bit TIFF with its pixel size (5 nanometres).
image, truth = micrograph((301, 277), np.random.default_rng(7), NOISE)
# sphinx_gallery_start_ignore
os.chdir(saved.path.parent)  # the build keeps networks apart
# sphinx_gallery_end_ignore
counts = (image * 20000 + 5000).clip(0, 65535).astype("uint16")
tifffile.imwrite(
    "my_micrograph.tif",
    counts,
    imagej=True,
    resolution=(200, 200),
    metadata={"unit": "micron"},
)

# %%
# With your own file, this block is all you need: the network file from this
# page, and your image's name. A z-stack is labelled plane by plane.
import numpy as np

from dlis_gallery.image_files import read_image
from dlis_gallery.inference import apply_network  # noqa: F811 (a block to copy)

# sphinx_gallery_start_ignore
os.chdir(saved.path.parent)  # the build keeps networks apart
# sphinx_gallery_end_ignore

image = read_image("my_micrograph.tif")
labels = apply_network("segmentation.keras", image.data, image.axes)
print(f"{image.spatial_size()}: phases {np.unique(labels).tolist()}, {labels.dtype}")

# %%
# Or from a shell, writing the labels as a TIFF with the same pixel size:
#
# .. code-block:: bash
#
#    dlis-apply segmentation.keras my_micrograph.tif -o my_micrograph_labels.tif
#
# This micrograph was made here, so we know its true phases:
print(f"mean IoU {mean_iou(truth, labels, PHASES):.3f}")

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
    labels_onnx = apply_network(saved.package.name, image.data, image.axes)
    print(f"ONNX and Keras disagree on {np.mean(labels_onnx != labels):.2%} of pixels")

# %%
# Conclusion
# ----------
# The answer at the top of this page is this build's: on micrographs like the
# ones it learnt from, how the U-Net compares with the best of the tuned
# thresholds and the forest, with its interval; the sweep says at which noise
# that holds, and the shifted micrographs what a change of sample costs. For
# your own material, label a few micrographs of it, train the U-Net and the
# forest on them, tune the thresholds on others, and compare on images you
# kept apart.

# sphinx_gallery_thumbnail_number = 5
