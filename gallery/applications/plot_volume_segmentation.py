"""
Is a 3D network worth it for a micro-CT volume?
===============================================

Dragonfly's users segment volumes: micro-CT of a porous rock or a battery
electrode, FIB-SEM of a catalyst, confocal stacks. Its deep-learning module
trains 2D networks that label one slice at a time, 2.5D networks that also
see the neighbouring slices, and 3D networks that see the volume, and the
guide separates material phases at
:timestamp:`00:03:09 </guides/dragonfly-daily-15>`. The question a
materials scientist faces is whether the 3D network is worth its cost: over
slice-by-slice 2D, and over the classical 3D methods.

We answer it on synthetic volumes of a three-phase material (pores, matrix
and a bright inclusion phase) as micro-CT shows them: blurred, noisy, darker
in the middle than at the edges (beam hardening's cupping), with slices twice
as thick as the pixels are wide. The true phase of every voxel is known. A
2D, a 2.5D and a 3D U-Net learn from labelled volumes; their opponents are
3D smoothing with flat-field correction and multi-Otsu, and a random-forest
voxel classifier on 3D features (ilastik's approach), tuned and trained on
the same volumes. Besides the overlap (IoU), we score what a materials
scientist reports: each phase's volume fraction and surface area.
"""

# %%
# Setup
# -----
import os
from functools import partial

import keras
import numpy as np
from keras import layers
from skimage.feature import multiscale_basic_features
from skimage.filters import gaussian, threshold_multiotsu
from sklearn.ensemble import RandomForestClassifier

from dlis_gallery import start_run
from dlis_gallery.figures import (
    orthogonal_views,
    phase_surfaces,
    score_chart,
    sweep_chart,
    training_curve,
)
from dlis_gallery.inference import apply_network, how_to_apply
from dlis_gallery.metrics import (
    iou_per_class,
    mean_interval,
    mean_iou,
    phase_errors,
    phase_measures,
)
from dlis_gallery.networks import answered
from dlis_gallery.tuning import once_per_image

run = start_run("volume_segmentation")
TRAIN, STEPS = run.pick(smoke=(2, 10), quick=(6, 300), full=(24, 4000))
TUNING, TEST = run.pick(smoke=(1, 2), quick=(2, 6), full=(4, 16))
LEVEL_TUNING, LEVEL_TEST = run.pick(smoke=(1, 2), quick=(1, 3), full=(2, 8))
SHAPE = run.pick(smoke=(8, 32, 32), quick=(24, 64, 64), full=(48, 128, 128))
BLOCK = run.pick(smoke=(8, 16, 16), quick=(16, 32, 32), full=(16, 64, 64))
VOXELS = run.pick(smoke=2000, quick=60_000, full=200_000)  # for the forest
SPACING = (2.0, 1.0, 1.0)  # micrometres along z, y, x: slices twice as thick
PHASES = 3
NOISE = 0.2  # the main case: a fast scan (phases 0.25 apart)
LEVELS = [0.1, 0.15, 0.2, 0.3]  # the sweep: the detector's noise
rng = run.rng()

# %%
# Your kind of sample: volumes with exact labels
# ----------------------------------------------
# A smooth 3D random field, cut at two levels, gives three interpenetrating
# phases with features 4 to 7 micrometres across, at grey levels near 0.25,
# 0.5 and 0.75. The scanner blurs them, the middle of each slice is up to
# 30 % darker than its edge and the brightness drifts slowly along z, and the
# detector adds noise. The labels are the phases before all that.


def clean_volume(shape, rng, features=(4, 7), cupping=0.3):
    size = rng.uniform(*features)
    field = gaussian(rng.normal(size=shape), sigma=[size / step for step in SPACING])
    cuts = np.quantile(field, [rng.uniform(0.25, 0.4), rng.uniform(0.6, 0.75)])
    labels = np.digitize(field, cuts)
    levels = np.array([0.25, 0.5, 0.75]) + rng.normal(0, 0.02, PHASES)
    z, y, x = np.meshgrid(*(np.linspace(-1, 1, side) for side in shape), indexing="ij")
    light = 1 - cupping * (1 - (y**2 + x**2) / 2) + 0.05 * rng.uniform(-1, 1) * z
    blurred = gaussian(levels[labels], sigma=[1.2 / step for step in SPACING])
    return (blurred * light).astype("float32"), labels.astype("int32")


def scan(shape, rng, noise, **sample):
    clean, labels = clean_volume(shape, rng, **sample)
    return (clean + rng.normal(0, noise, shape)).astype("float32"), labels


# %%
# The networks learn from blocks of labelled volumes, turned and flipped at
# random, each with fresh noise anywhere from 0.1 to 0.3: one network for
# every noise level of the sweep below. The forest learns from a random
# sample of the labelled voxels of the same volumes, each with one noise
# draw from that range. The thresholds' two radii are tuned on separate
# volumes at each level.
train = [clean_volume(SHAPE, rng) for _ in range(TRAIN)]
train_noisy = [
    clean + rng.normal(0, rng.uniform(0.1, 0.3), SHAPE) for clean, _ in train
]
validation = [scan(SHAPE, rng, NOISE) for _ in range(2)]
tuning = [scan(SHAPE, rng, NOISE) for _ in range(TUNING)]
held_out = [scan(SHAPE, rng, NOISE) for _ in range(TEST)]
run.declare_data(
    train=[clean for clean, _ in train],
    validation=[x for x, _ in validation],
    tuning=[x for x, _ in tuning],
    test=[x for x, _ in held_out],
)


class Blocks(keras.utils.PyDataset):
    """Training batches: random blocks, turned and flipped, with fresh noise."""

    def __init__(self, volumes, batch, steps, rng, block=BLOCK):
        super().__init__()
        self.volumes, self.batch, self.steps, self.rng = volumes, batch, steps, rng
        self.block = block

    def __len__(self):
        return self.steps

    def __getitem__(self, index):
        pick, images, labels = self.rng, [], []
        for _ in range(self.batch):
            clean, truth = self.volumes[pick.integers(len(self.volumes))]
            corner = [
                pick.integers(0, s - b + 1) for s, b in zip(clean.shape, self.block)
            ]
            box = tuple(slice(c, c + b) for c, b in zip(corner, self.block))
            turns = pick.integers(4)
            image, truth = (
                np.rot90(a[box], turns, axes=(1, 2)) for a in (clean, truth)
            )
            flips = tuple(axis for axis in range(3) if pick.integers(2))
            image, truth = np.flip(image, flips), np.flip(truth, flips)
            images.append(image + pick.normal(0, pick.uniform(0.1, 0.3), image.shape))
            labels.append(truth)
        return np.stack(images)[..., None].astype("float32"), np.stack(labels)


voxel = " x ".join(f"{step:g}" for step in SPACING)
print(
    f"{TRAIN} labelled volumes of {'x'.join(map(str, SHAPE))} voxels ({voxel} "
    f"micrometres) to learn from; {TEST} held out"
)

# %%
# Three U-Nets: what each one sees
# --------------------------------
# One builder makes all three, so they differ only in what a voxel's answer
# can see. The **2D** U-Net's filters are 1 x 3 x 3: each slice is labelled on
# its own, exactly as a 2D U-Net run slice by slice. The **2.5D** U-Net's
# first filters are 3 x 3 x 3, so it sees the slice above and below (the
# neighbouring slices as channels), and the rest is 2D. The **3D** U-Net's
# filters and poolings are 3D throughout. Two poolings: the volume's sides
# must divide by 4.


def unet(sees, name, widths=(8, 16, 32)):
    pool = (2, 2, 2) if sees == "3D" else (1, 2, 2)

    def block(x, width, first=False):
        for _ in range(2):
            deep = sees == "3D" or (sees == "2.5D" and first)
            kernel = (3, 3, 3) if deep else (1, 3, 3)
            x = layers.Conv3D(width, kernel, padding="same", activation="relu")(x)
            first = False
        return x

    inputs = keras.Input(shape=(None, None, None, 1))
    down1 = block(inputs, widths[0], first=True)
    down2 = block(layers.MaxPooling3D(pool)(down1), widths[1])
    x = block(layers.MaxPooling3D(pool)(down2), widths[2])
    for skip, width in ((down2, widths[1]), (down1, widths[0])):
        x = block(layers.Concatenate()([layers.UpSampling3D(pool)(x), skip]), width)
    model = keras.Model(inputs, layers.Conv3D(PHASES, 1)(x), name=name)
    schedule = keras.optimizers.schedules.CosineDecay(1e-3, STEPS, alpha=0.02)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def segment(model, volume, multiple=4):
    pads = [(0, -side % multiple) for side in volume.shape]
    padded = np.pad(volume, pads, mode="reflect")
    labels = answered(model, padded[None, ..., None]).argmax(axis=-1)[0]
    return labels[tuple(slice(0, side) for side in volume.shape)]


# %%
# Train
# -----
# Each network gets the same steps and the same voxels per step; the
# validation loss is measured on separate volumes every 25 steps. The time
# each one takes is its cost.
EVERY = min(25, STEPS)
x_val = np.stack([x for x, _ in validation])[..., None]
y_val = np.stack([y for _, y in validation])
networks, histories, costs = {}, {}, {}
for stream, (name, sees) in enumerate(
    [("2D U-Net, slice by slice", "2D"), ("2.5D U-Net", "2.5D"), ("3D U-Net", "3D")]
):
    model = unet(sees, f"unet_{sees.replace('.', '_')}")
    with run.timed("training" if sees == "3D" else f"training, {name}"):
        histories[name] = model.fit(
            Blocks(train, 4, EVERY, run.rng(10 + stream)),
            epochs=STEPS // EVERY,
            validation_data=(x_val, y_val),
            verbose=0,
        )
    networks[name] = partial(segment, model)
    costs[name] = (
        model,
        run.timings["training" if sees == "3D" else f"training, {name}"],
    )
run.learnt(histories["3D U-Net"], EVERY)
training_curve(histories["3D U-Net"], "cross-entropy (3D U-Net)")

# %%
# A voxel classifier, trained on the same labels
# ----------------------------------------------
# Each voxel is described by its intensity, edges and texture at scales from
# 1 to 8 voxels, in 3D (``multiscale_basic_features`` works on volumes); a
# random forest learns the phase from those features, on a random sample of
# labelled voxels spread over every training volume.
features = partial(multiscale_basic_features, sigma_min=1, sigma_max=8)
pick = run.rng(2)
described, phases = [], []
with run.timed("random forest training"):
    for image, (_, labels) in zip(train_noisy, train):
        chosen = pick.choice(labels.size, VOXELS // TRAIN, replace=False)
        described.append(features(image).reshape(labels.size, -1)[chosen])
        phases.append(labels.ravel()[chosen])
    forest = RandomForestClassifier(
        n_estimators=50, max_depth=15, n_jobs=-1, random_state=run.seed
    )
    forest.fit(np.concatenate(described), np.concatenate(phases))


def random_forest(volume):
    found = forest.predict(features(volume).reshape(volume.size, -1))
    return found.reshape(volume.shape)


# %%
# Thresholds in 3D, tuned
# -----------------------
# Multi-Otsu picks two thresholds from the volume's histogram. Before it, a
# 3D Gaussian smooths the noise and a flat-field correction (divide by a
# heavily blurred copy) evens out the cupping; both radii, in micrometres
# (so in half as many voxels along z), are tuned on the tuning volumes.
def multiotsu(volume):
    return np.digitize(volume, threshold_multiotsu(volume, classes=PHASES))


def blurred(volume, radius):
    return gaussian(volume, sigma=[radius / step for step in SPACING])


def flat_fielded(volume, smooth, radius, blur=blurred):
    return multiotsu(blur(volume, smooth) / blur(volume, radius))


# A radius of twice the volume's width blurs it flat: no correction at all, so
# the grid stops there (the largest radius is a limit, not an edge).
WIDEST = 2 * max(side * step for side, step in zip(SHAPE, SPACING))
RADII = {
    "smooth": [0.5, 1, 1.5, 2, 3, 4],
    "radius": [r for r in (8, 16, 32, 64, 128, 256) if r < WIDEST] + [WIDEST],
}


def tuned_thresholds(volumes, label=""):
    blur = once_per_image(blurred)  # each volume blurred once per radius tried

    def score(**knobs):
        return np.mean(
            [
                mean_iou(y, flat_fielded(x, **knobs, blur=blur), PHASES)
                for x, y in volumes
            ]
        )

    method = "Flat-fielded multi-Otsu" + label
    knobs = run.tune(method, score, RADII, limits={"radius": (0, WIDEST)})
    return partial(flat_fielded, **knobs)


with run.timed("tuning"):
    thresholds = tuned_thresholds(tuning)


# %%
# Score every method on the held-out volumes
# ------------------------------------------
# The overlap of each phase with the truth (IoU), and the two numbers a
# materials scientist reports: the error in each phase's volume fraction
# (percentage points) and in its surface area (per cent; the surface from
# ``marching_cubes``, to scale), each averaged over the three phases.
FRACTION, SURFACE = "volume fraction error (points)", "surface area error (%)"


def measures(labels):
    return phase_measures(labels, PHASES, SPACING)


def scored(methods, volumes):
    scores = {"mean IoU": {}, FRACTION: {}, SURFACE: {}}
    scores.update({f"IoU phase {phase}": {} for phase in range(PHASES)})
    for volume, truth in volumes:
        true = measures(truth)  # once per volume: surfaces take the time
        for name, method in methods.items():
            found = method(volume)
            errors = phase_errors(true, measures(found))
            measured = {
                "mean IoU": mean_iou(truth, found, PHASES),
                FRACTION: errors["fraction"],
                SURFACE: errors["surface"],
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
    **networks,
}
options = {
    "network": "3D U-Net",
    "other_networks": ["2D U-Net, slice by slice", "2.5D U-Net"],
    "items": "volumes",
    "verdict_on": ["mean IoU"],
    "lower_is_better": [FRACTION, SURFACE],
}
main_scores = scored(methods, held_out)
results = run.compare(main_scores, **options)
results

# %%
# The same numbers as a chart: each dot is a mean, each bar its 95 % interval.
score_chart(results, ["mean IoU", FRACTION, SURFACE])

# %%
# Is 3D worth its cost?
# ---------------------
# What each network took to train on this machine, and how much better its
# mean IoU is than the 2D U-Net's and than the best tuned classical method's
# on the same held-out volumes (the mean of the per-volume differences, with
# its 95 % interval).
best = max(
    ("Flat-fielded multi-Otsu", "Random forest on features"),
    key=lambda name: np.mean(main_scores["mean IoU"][name]),
)
rows = []
for name, (model, seconds) in costs.items():
    ious = np.asarray(main_scores["mean IoU"][name])
    over_2d = mean_interval(ious - main_scores["mean IoU"]["2D U-Net, slice by slice"])
    over_best = mean_interval(ious - main_scores["mean IoU"][best])
    rows.append(
        {
            "network": name,
            "weights": model.count_params(),
            "training (s)": seconds,
            "mean IoU": float(ious.mean()),
            **dict(zip(("vs 2D", "vs 2D low", "vs 2D high"), over_2d)),
            **dict(zip(("vs classical", "low", "high"), over_best)),
        }
    )
print(f"The best classical method on these volumes: {best}")
run.table("What each network costs and gains (mean IoU differences)", rows)

# %%
# Where the 3D U-Net pays off: the detector's noise
# -------------------------------------------------
# The phases are 0.25 apart, so a noise of 0.1 is a contrast-to-noise ratio
# of 2.5 and 0.3 one of 0.8. The same networks and forest at every level
# (they learnt every level), the thresholds' radii tuned again at each.
sweep = {}
with run.timed("sweep"):
    for noise in LEVELS:
        level_tuning = [scan(SHAPE, rng, noise) for _ in range(LEVEL_TUNING)]
        at_level = {
            **methods,
            "Flat-fielded multi-Otsu": tuned_thresholds(
                level_tuning, f" at noise {noise}"
            ),
        }
        level_test = [scan(SHAPE, rng, noise) for _ in range(LEVEL_TEST)]
        sweep[noise] = {  # mean IoU only: the surfaces would take most of the time
            name: [mean_iou(y, method(x), PHASES) for x, y in level_test]
            for name, method in at_level.items()
        }
swept = run.sweep(
    sweep,
    knob="noise (phases 0.25 apart)",
    metric="mean IoU",
    network="3D U-Net",
    items="volumes",
)
swept

# %%
sweep_chart(swept)

# %%
# Look at one held-out volume
# ---------------------------
# As a 3D viewer shows it: the XY slice through the middle, and the XZ and
# YZ slices across it (drawn to scale: the slices are twice as thick as the
# pixels). Wrong voxels are red. Look along z in the XZ and YZ slices: the
# 2D U-Net labels each slice on its own, so its answer can jump from one
# slice to the next.
volume, truth = held_out[0]
shown = {"cmap": "viridis", "vmin": 0, "vmax": PHASES - 1}
orthogonal_views(
    {
        "Scan": (volume, {"cmap": "gray"}),
        "True phases": truth,
        **{
            name: methods[name](volume)
            for name in (best, "2D U-Net, slice by slice", "3D U-Net")
        },
    },
    SPACING,
    "A held-out volume: its true phases and the labels of three methods",
    truth=truth,
    legend={0: "pores", 1: "matrix", 2: "inclusions"},
    **shown,
)

# %%
# The pores' surface, in 3D: true, from the 3D U-Net and from the best
# classical method. Isolated wrong voxels become specks and holes in the
# surface and add to its area.
phase_surfaces(
    {
        "True pores": truth == 0,
        "3D U-Net": networks["3D U-Net"](volume) == 0,
        best: methods[best](volume) == 0,
    },
    SPACING,
    "The pore phase of the held-out volume",
)

# %%
# Finer features, stronger cupping: domain shift
# ----------------------------------------------
# Every method keeps what it learnt or was tuned on and meets volumes with
# finer features (2 to 4 micrometres) and stronger cupping (45 %), at the
# same noise. Nothing is re-trained or re-tuned.
shifted = [scan(SHAPE, rng, NOISE, features=(2, 4), cupping=0.45) for _ in range(TEST)]
run.declare_data(shifted=[x for x, _ in shifted])
shift = run.compare(scored(methods, shifted), **options, case="shift")
shift

# %%
# Use it on your volumes
# ----------------------
# The trained 3D U-Net is saved with how to apply it, measured here: where
# these volumes had their 1st and 99th percentiles (yours are scaled to
# match), the noise it learnt, how far one output voxel sees (the tiles'
# overlap) and the size its sides must divide by. The downloads at the end of
# this page include it. On your material, retrain it on a few labelled
# volumes of yours first (the shifted ones above show why).
model_3d = costs["3D U-Net"][0]
how = how_to_apply(model_3d, "segment", train_noisy, multiple=4, classes=PHASES)
side = how.smallest_side()  # room for the overlap on both sides
sample, _ = scan((side, side, side), np.random.default_rng(5), NOISE)
saved = run.save_network(
    model_3d,
    how,
    learnt="three phases in 3D, blurred, with cupping, noise 0.1 to 0.3",
    sample=sample,  # the bioimage.io package's test volume: the smallest it takes
)
saved

# %%
# A volume larger than any training block is cut into blocks that overlap by
# the network's reach and stitched back. Tiled or whole, the labels agree:
big, big_truth = scan([2 * side for side in SHAPE], np.random.default_rng(7), NOISE)
tiled = apply_network((model_3d, how), big, "ZYX")
whole = apply_network((model_3d, how), big, "ZYX", tile=max(big.shape))
print(
    f"{'x'.join(map(str, big.shape))} voxels in blocks of up to 48, overlap "
    f"{how.halo}: tiled and whole differ on {np.mean(tiled != whole):.3%} of voxels; "
    f"mean IoU {mean_iou(big_truth, tiled, PHASES):.3f}"
)

# %%
# Micro-CT and FIB-SEM software writes volumes as TIFF stacks; OME-TIFF keeps
# the voxel size in its metadata, so Fiji, napari and Dragonfly measure in
# micrometres. We write this volume as a scanner would (16-bit, its voxel
# size), and from here on it is your own file.
from dlis_gallery.image_files import write_image

# sphinx_gallery_start_ignore
os.chdir(saved.path.parent)  # the build keeps networks apart
# sphinx_gallery_end_ignore
counts = (big * 20000 + 5000).clip(0, 65535).astype("uint16")
write_image("my_volume.ome.tif", counts, "ZYX", SPACING)

# %%
# With your own file, this block is all you need: the network file from this
# page and your volume's name. The labels keep the voxel size.
from dlis_gallery.image_files import read_image, write_image
from dlis_gallery.inference import apply_network

# sphinx_gallery_start_ignore
os.chdir(saved.path.parent)  # the build keeps networks apart
# sphinx_gallery_end_ignore

volume = read_image("my_volume.ome.tif")
labels = apply_network("volume_segmentation.keras", volume.data, volume.axes)
write_image("my_volume_labels.ome.tif", labels, volume.axes, volume.pixel_size)
print(read_image("my_volume_labels.ome.tif").spatial_size())

# %%
# Or from a shell:
#
# .. code-block:: bash
#
#    dlis-apply volume_segmentation.keras my_volume.ome.tif -o my_volume_labels.ome.tif
#
# This volume was made here, so we know its true phases:
print(f"mean IoU {mean_iou(big_truth, labels, PHASES):.3f}")

# %%
# Conclusion
# ----------
# The answer at the top of this page is this build's: on volumes like the
# ones it learnt from, how the 3D U-Net compares with the best of the tuned
# 3D thresholds and the voxel classifier, with its interval; the cost table
# says what seeing in 3D bought over the 2D and 2.5D U-Nets and what it cost
# to train; the sweep says at which noise that holds, and the shifted volumes
# what a change of sample costs. For your own material, label a few volumes
# (or a few slices of each in all three directions), train the networks and
# the forest on them, tune the thresholds on others, and compare on volumes
# you kept apart.

# sphinx_gallery_thumbnail_number = 4
