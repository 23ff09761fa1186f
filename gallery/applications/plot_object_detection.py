"""
Can a network find touching particles that blob detectors merge?
=================================================================

Counting particles, nuclei or stars means finding the centre of every object,
including the ones that touch. Classical detectors look for bright, round
blobs: the Laplacian of Gaussian (``blob_log``), its faster cousin the
difference of Gaussians (``blob_dog``), and local maxima of a filtered image
(``peak_local_max``). Two blobs closer than their own size melt into one for
them, and a sloping background invents or hides faint ones. The guide shows
deep-learning detection at :timestamp:`00:01:37 </guides/dragonfly-daily-15>`.

A scientist trains a detector on their own kind of sample: a few annotated
fields of the acquisition, then the rest of it. So do we: a small U-Net
learns to paint a narrow peak on every spot centre of synthetic fields whose
centres are known exactly, every classical detector is tuned on separate
fields, and all of them are scored on held-out fields. Then we ask where the
network's advantage comes from (a sweep of the gap between touching spots)
and what happens on a field unlike the training ones (domain shift).
"""

# %%
# Setup
# -----
import os
from functools import partial

import keras
import matplotlib.pyplot as plt
import numpy as np
import tifffile
from keras import layers
from scipy.ndimage import gaussian_laplace
from skimage.feature import blob_dog, blob_log, peak_local_max

from dlis_gallery import start_run
from dlis_gallery.figures import score_chart, sweep_chart, training_curve
from dlis_gallery.images import bundled_gray
from dlis_gallery.inference import how_to_apply
from dlis_gallery.metrics import detection_scores
from dlis_gallery.networks import answered

run = start_run("object_detection")
POOL, STEPS, BATCH = run.pick(
    smoke=(16, 20, 4), quick=(256, 300, 8), full=(2000, 4000, 16)
)
TUNING, TEST = run.pick(smoke=(3, 3), quick=(16, 16), full=(48, 48))
GAPS = [2, 3, 4, 5, 6]  # the sweep: centre-to-centre gap of touching pairs, in pixels
LEVEL_TUNING, LEVEL_TEST = run.pick(smoke=(2, 2), quick=(8, 10), full=(16, 24))
TOLERANCE = 3.0  # a detection counts if it lies within 3 pixels of a true centre
rng = run.rng()

# %%
# Your kind of sample: fields with exact centres
# ----------------------------------------------
# Gaussian spots 1.5 to 2.5 pixels wide and of random brightness, about one
# in three with a touching partner 2.5 to 4.5 pixels away, on a sloping
# background with noise. The network's target is a heat map with a narrow
# peak (sigma 1 pixel) on every centre, narrow enough that a touching pair
# stays two peaks. Each field also says which spots belong to a pair.


def scene(
    shape, rng, gap=(2.5, 4.5), size=(1.5, 2.5), noise=0.06, background=0.2, slope=0.3
):
    rows, cols = np.mgrid[0 : shape[0], 0 : shape[1]]
    count = max(3, round(rng.integers(8, 20) * shape[0] * shape[1] / 96**2))
    centres = rng.uniform(4, np.array(shape) - 4, size=(count, 2))
    angles, gaps = rng.uniform(0, 2 * np.pi, count // 3), rng.uniform(*gap, count // 3)
    partners = centres[: count // 3] + gaps[:, None] * np.stack(
        [np.sin(angles), np.cos(angles)], 1
    )
    centres = np.clip(np.concatenate([centres, partners]), 2, np.array(shape) - 3)
    touching = np.arange(len(centres)) < count // 3
    touching[count:] = True
    image, heat = np.zeros(shape), np.zeros(shape)
    for (r, c), width, brightness in zip(
        centres, rng.uniform(*size, len(centres)), rng.uniform(0.3, 1.0, len(centres))
    ):
        distance2 = (rows - r) ** 2 + (cols - c) ** 2
        image += brightness * np.exp(-distance2 / (2 * width**2))
        heat = np.maximum(heat, np.exp(-distance2 / 2))
    tilt = rng.uniform(-slope, slope, 2)
    image += background + tilt[0] * rows / shape[0] + tilt[1] * cols / shape[1]
    image += rng.normal(0, noise, shape)
    return image.astype("float32"), heat.astype("float32"), centres, touching


# %%
# The network learns from one pool of noise-free fields whose pairs cover every
# gap of the sweep below (1.75 to 6.25 pixels): one network for all of it, as a
# scientist would train one detector for a whole acquisition. Each training
# batch turns and flips its fields at random and adds fresh noise.
pool = [scene((96, 96), rng, gap=(1.75, 6.25), noise=0.0) for _ in range(POOL)]
validation = [scene((96, 96), rng) for _ in range(max(4, TUNING // 2))]
tuning = [scene((96, 96), rng) for _ in range(TUNING)]
held_out = [scene((160, 224), rng) for _ in range(TEST)]
run.declare_data(
    train=[s[0] for s in pool],
    validation=[s[0] for s in validation],
    tuning=[s[0] for s in tuning],
    test=[s[0] for s in held_out],
)


class Fields(keras.utils.PyDataset):
    """Training batches: fields of the pool, turned and flipped, with fresh noise."""

    def __init__(self, fields, batch, steps, rng):
        super().__init__()
        self.fields, self.batch, self.steps, self.rng = fields, batch, steps, rng

    def __len__(self):
        return self.steps

    def __getitem__(self, index):
        images, heats = [], []
        for chosen in self.rng.integers(len(self.fields), size=self.batch):
            turns, flip = self.rng.integers(4), self.rng.integers(2)
            image, heat = (np.rot90(field, turns) for field in self.fields[chosen][:2])
            image, heat = (image[:, ::-1], heat[:, ::-1]) if flip else (image, heat)
            images.append(image + self.rng.normal(0, 0.06, image.shape))
            heats.append(heat)
        return np.stack(images)[..., None].astype("float32"), np.stack(heats)[..., None]


print(f"{POOL} training fields, {TUNING} for tuning, {TEST} held out (160x224)")

# %%
# Build the model: a small U-Net
# ------------------------------
# Two poolings give each output pixel a view of about 40 pixels, enough to
# judge the background around a spot; the skips keep the peaks sharp.


def block(x, width):
    x = layers.Conv2D(width, 3, padding="same", activation="relu")(x)
    return layers.Conv2D(width, 3, padding="same", activation="relu")(x)


inputs = keras.Input(shape=(None, None, 1))
down1 = block(inputs, 16)
down2 = block(layers.MaxPooling2D()(down1), 32)
bottom = block(layers.MaxPooling2D()(down2), 64)
up2 = block(layers.Concatenate()([layers.UpSampling2D()(bottom), down2]), 32)
up1 = block(layers.Concatenate()([layers.UpSampling2D()(up2), down1]), 16)
model = keras.Model(inputs, layers.Conv2D(1, 1)(up1), name="heatmap_unet")


def peak_weighted_mse(target, predicted):
    """Squared error, ten times heavier on the peaks: most pixels are background,
    and a network trained on plain MSE learns that predicting nothing is cheap."""
    return keras.ops.mean((1 + 9 * target) * (predicted - target) ** 2)


schedule = keras.optimizers.schedules.CosineDecay(2e-3, STEPS, alpha=0.02)
model.compile(optimizer=keras.optimizers.Adam(schedule), loss=peak_weighted_mse)

# %%
# Train
# -----
# The validation loss is measured on separate fields every 25 steps.
EVERY = min(25, STEPS)
x_val = np.stack([s[0] for s in validation])[..., None]
y_val = np.stack([s[1] for s in validation])[..., None]
with run.timed("training"):
    history = model.fit(
        Fields(pool, BATCH, EVERY, run.rng(1)),
        epochs=STEPS // EVERY,
        validation_data=(x_val, y_val),
        verbose=0,
    )
run.learnt(history, EVERY)
training_curve(history, "weighted squared error", log=True)

# %%
# Four detectors, each with its knobs tuned
# -----------------------------------------
# Precision is the share of detections that are real, recall the share of
# spots found; F1 balances them. A detection matches at most one true centre
# within the tolerance, in the pairing that finds the most matches. Each
# detector's knobs are tuned for the best mean F1 on the tuning fields:
# threshold, the range of blob sizes (``sigma``, the smallest, and ``span``,
# the ratio of largest to smallest), ``overlap`` (the share of two blobs' area
# beyond which the fainter one is dropped; 1 keeps both) and the smallest
# distance between two peaks. The network's peak finding is tuned the same way.
heat_maps = {}


def heat_map(image):
    """The network's heat map of a field, computed once per field. The field is
    padded by reflection to sides divisible by 4, as the two poolings need."""
    key = image.tobytes()
    if key not in heat_maps:
        rows, cols = (-side % 4 for side in image.shape)
        padded = np.pad(image, ((0, rows), (0, cols)), mode="reflect")
        heat = answered(model, padded[None, ..., None])
        heat_maps[key] = heat[0, : image.shape[0], : image.shape[1], 0]
    return heat_maps[key]


DETECTORS = {
    "blob_log": lambda image, threshold, sigma, span, overlap: blob_log(
        image - np.median(image),
        sigma,
        sigma * span,
        num_sigma=4,
        threshold=threshold,
        overlap=overlap,
    )[:, :2],
    "blob_dog": lambda image, threshold, sigma, span, overlap: blob_dog(
        image - np.median(image),
        sigma,
        sigma * span,
        threshold=threshold,
        overlap=overlap,
    )[:, :2],
    "LoG + peak_local_max": lambda image, threshold, sigma, min_distance: (
        peak_local_max(
            -gaussian_laplace(image, sigma) * sigma**2,
            min_distance=min_distance,
            threshold_abs=threshold,
        )
    ),
    "Network": lambda image, threshold, min_distance: peak_local_max(
        heat_map(image), min_distance=min_distance, threshold_abs=threshold
    ),
}
blobs = {
    "threshold": [0.02, 0.04, 0.07, 0.1, 0.14, 0.2],
    "sigma": [0.6, 0.8, 1.2, 1.6, 2.2],
    "span": [1.0, 1.3, 1.7, 2.2],
    "overlap": [0.0, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0],
}
GRIDS = {
    "blob_log": blobs,
    "blob_dog": {**blobs, "threshold": [0.01, 0.02, 0.04, 0.07, 0.1, 0.14]},
    "LoG + peak_local_max": {
        "threshold": [0.02, 0.04, 0.07, 0.1, 0.15],
        "sigma": [0.6, 0.8, 1, 1.5, 2, 2.5],
        "min_distance": [1, 2, 3],
    },
    "Network": {
        "threshold": [0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7],
        "min_distance": [1, 2, 3],
    },
}
LIMITS = {"overlap": (0, 1), "span": (1, np.inf), "min_distance": (1, np.inf)}


def mean_f1(detector, fields, **knobs):
    return np.mean(
        [
            detection_scores(detector(f[0], **knobs), f[2], TOLERANCE)["f1"]
            for f in fields
        ]
    )


def tuned_on(fields, label=""):
    """Every detector with its knobs tuned for the best mean F1 on ``fields``."""
    return {
        method: partial(
            detector,
            **run.tune(
                method + label,
                partial(mean_f1, detector, fields),
                GRIDS[method],
                LIMITS,
            ),
        )
        for method, detector in DETECTORS.items()
    }


with run.timed("tuning"):
    tuned = tuned_on(tuning)


# %%
# Score every detector on the held-out fields
# -------------------------------------------
# Each score is computed per field and averaged over the fields (not pooled
# over all spots), so the interval reflects how much fields differ. Recall is
# also split: spots far from any other, and spots of a touching pair.
def scored(detectors, fields):
    metrics = ("F1", "precision", "recall", "recall, isolated", "recall, touching")
    scores = {metric: {} for metric in metrics}
    for method, detector in detectors.items():
        for image, _, centres, touching in fields:
            found = detection_scores(detector(image), centres, TOLERANCE)
            values = (found["f1"], found["precision"], found["recall"])
            values += (
                found["matched"][~touching].mean(),
                found["matched"][touching].mean(),
            )
            for metric, value in zip(metrics, values):
                scores[metric].setdefault(method, []).append(value)
    return scores


results = run.compare(
    scored(tuned, held_out),
    network="Network",
    items="scenes",
    verdict_on=["F1", "recall, touching"],
)
results

# %%
# The same numbers as a chart: each dot is a mean, each bar its 95 % interval.
# The bars show how much the held-out fields differ from one another; the
# verdicts compare the methods field by field, so a verdict can be clear where
# bars overlap.
score_chart(results)

# %%
# Where the network pays off: the gap between touching spots
# ----------------------------------------------------------
# The same network (it trained on every gap) against every classical detector
# tuned again at each gap, on fields whose pairs all sit that far apart (plus
# or minus a quarter pixel). At 2 pixels a pair is one blob for any method; at
# 6 pixels the pairs are apart and blob detectors see them again.
sweep = {}
with run.timed("sweep"):
    for gap in GAPS:
        spacing = (gap - 0.25, gap + 0.25)
        fields = [scene((96, 96), rng, gap=spacing) for _ in range(LEVEL_TUNING)]
        level = tuned_on(fields, f" at gap {gap}")
        test_fields = [scene((128, 128), rng, gap=spacing) for _ in range(LEVEL_TEST)]
        sweep[gap] = scored(level, test_fields)["F1"]
swept = run.sweep(
    sweep,
    knob="gap between touching spots (pixels)",
    metric="F1",
    network="Network",
    items="scenes",
)
swept

# %%
# The margin (the network's F1 minus the best classical detector's) at each
# gap, with its interval; a dashed line marks where the verdict changes.
sweep_chart(swept)

# %%
# Look at one held-out field
# --------------------------
# Circles mark true centres (orange: part of a touching pair), crosses the
# detections of the network and of the best classical detector by F1 above;
# the inset enlarges the first touching pair.
image, _, centres, touching = held_out[0]
best = results.verdicts[0].best
row, col = centres[touching][0]
fig, axes = plt.subplots(1, 2, figsize=(12, 4.9), layout="constrained")
fig.suptitle("A held-out field: true centres (circles) and detections (crosses)")
for ax, method in zip(axes, (best, "Network")):
    found = tuned[method](image)
    inset = ax.inset_axes([0.6, 0.02, 0.38, 0.38])
    for shown in (ax, inset):
        shown.imshow(image, cmap="gray")
        for group, colour in ((~touching, "lime"), (touching, "orange")):
            shown.scatter(
                centres[group, 1],
                centres[group, 0],
                s=60,
                facecolors="none",
                edgecolors=colour,
            )
        shown.scatter(found[:, 1], found[:, 0], s=30, marker="x", color="red")
    inset.set(
        xlim=(col - 10, col + 10), ylim=(row + 10, row - 10), xticks=[], yticks=[]
    )
    ax.indicate_inset_zoom(inset, edgecolor="white", alpha=1)
    ax.set_title(
        f"{method}: F1 {detection_scores(found, centres, TOLERANCE)['f1']:.2f}"
    )
    ax.set_axis_off()

# %%
# Another kind of field: domain shift
# -----------------------------------
# Every method keeps what it learnt or was tuned on, and meets fields unlike
# them: larger spots (2.5 to 3.5 pixels) on a brighter, steeper background.
# Nothing is re-tuned, as happens when a detector made for one acquisition
# is used on another.
shifted = [
    scene((160, 224), rng, size=(2.5, 3.5), background=0.4, slope=0.6)
    for _ in range(TEST)
]
run.declare_data(shifted=[s[0] for s in shifted])
shift = run.compare(
    scored(tuned, shifted),
    network="Network",
    items="scenes",
    verdict_on=["F1", "recall, touching"],
    case="shift",
)
shift

# %%
# On a real image: the Hubble Deep Field
# --------------------------------------
# There is no ground truth for the sky, so the counts below are what each
# detector reports, not a score.
sky = bundled_gray("hubble_deep_field")[300:500, 400:650]
sky = 0.2 + 0.8 * (sky - sky.min()) / (sky.max() - sky.min())
fig, axes = plt.subplots(1, 2, figsize=(12, 5.2), layout="constrained")
fig.suptitle("Hubble Deep Field crop: the objects each detector reports")
for ax, method in zip(axes, (best, "Network")):
    found = tuned[method](sky)
    ax.imshow(sky, cmap="gray")
    ax.scatter(found[:, 1], found[:, 0], s=25, marker="x", color="red")
    ax.set_title(f"{method}: {len(found)} objects")
    ax.set_axis_off()

# %%
# Use it on your images
# ---------------------
# The trained network is saved with how to apply it, measured here: where
# this page's fields had their 1st and 99th percentiles (yours are scaled to
# match), the noise it learnt, how far one output pixel sees (the tiles'
# overlap) and the peak finding tuned above. The downloads at the end of this
# page include it.
how = how_to_apply(
    model, "detect", [s[0] for s in tuning], multiple=4, peaks=run.tuned["Network"]
)
saved = run.save_network(
    model,
    how,
    learnt="Gaussian spots 1.5 to 2.5 pixels wide, a third touching, on a slope",
    sample=held_out[0][0],  # the bioimage.io package's test image
)
saved

# %%
# To try it as you would, we write a new field as a camera does: a 16-bit
# TIFF with its pixel size (0.1 micrometre).
field, _, true_centres, _ = scene((301, 277), np.random.default_rng(7))
# sphinx_gallery_start_ignore
os.chdir(saved.path.parent)  # the build keeps networks apart
# sphinx_gallery_end_ignore
counts = (field * 4000).clip(0, 65535).astype("uint16")
tifffile.imwrite(
    "my_field.tif",
    counts,
    imagej=True,
    resolution=(10, 10),
    metadata={"unit": "micron"},
)

# %%
# With your own file, this block is all you need: the network file from this
# page, and your image's name.
from dlis_gallery.image_files import read_image
from dlis_gallery.inference import apply_network

# sphinx_gallery_start_ignore
os.chdir(saved.path.parent)  # the build keeps networks apart
# sphinx_gallery_end_ignore

image = read_image("my_field.tif")
spots = apply_network("object_detection.keras", image.data, image.axes)
print(f"{len(spots)} spots found in {image.spatial_size()}")

# %%
# Or from a shell, writing a table of the spots:
#
# .. code-block:: bash
#
#    dlis-apply object_detection.keras my_field.tif -o my_field_spots.csv
#
# This field was made here, so we know its true centres:
scores = detection_scores(spots.centres[:, 1:], true_centres, TOLERANCE)
print(f"{len(true_centres)} true spots; F1 {scores['f1']:.3f}")

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
    spots_onnx = apply_network(saved.package.name, image.data, image.axes)
    print(f"ONNX: {len(spots_onnx)} spots, Keras: {len(spots)}")

# %%
# Conclusion
# ----------
# The answer at the top of this page is this build's: trained on fields like
# the test ones, the verdicts compare the network with the best tuned
# classical detector on all spots (F1) and on touching pairs (recall), each
# with its interval; the sweep says at which gaps that holds, and the shifted
# fields what happens when the sample changes under a trained detector. For
# your own particles: annotate a few fields, train on them, and tune the
# classical detectors on the same fields before you trust either.

# sphinx_gallery_thumbnail_number = 4
