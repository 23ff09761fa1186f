"""
Step 9, application: how do we run the trained model on a large new image of any size?
======================================================================================

The trained and validated model now meets new images
(:timestamp:`00:17:50 </guides/dragonfly-daily-15#step-application>`), which
are larger than anything it saw and of a size it was not built for (its sides
need to be divisible by 4). We pad, split the image into overlapping tiles,
label each, and stitch the centres back together, then count the particles.
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np
from skimage.measure import label, regionprops
from skimage.morphology import remove_small_objects

from dlis_gallery import start_run
from dlis_gallery.metrics import iou_per_class
from dlis_gallery.networks import predict_tiled
from dlis_gallery.workflow import definitions, result

run = start_run("workflow_9_application")
model = keras.saving.load_model(result("plot_4_model_training.py", "unet.keras"))
step_1 = definitions("plot_1_data_input.py")
raw, truth = step_1["micrograph"](
    run.pick(smoke=128, quick=768, full=1536), np.random.default_rng(99)
)
raw, truth = (
    raw[:-13, :-37],
    truth[:-13, :-37],
)  # a size divisible by nothing in particular
image = step_1["normalised"](raw)
print(f"new image: {image.shape[0]} x {image.shape[1]} pixels")

# %%
# Tiles with overlap
# ------------------
# Each tile is 256 pixels with a margin of 16 on every side that is thrown
# away after labelling, so that no tile's border (where the network lacks
# context) reaches the result. Mirror padding (the edge pixel repeated)
# makes the image a whole number of tiles. ``predict_tiled`` does exactly
# that, a few tiles at a time, so memory does not grow with the image; the
# same function applies the application pages' downloadable networks to
# your own images.
with run.timed("labelling"):
    scores = predict_tiled(model, image, tile=256, margin=16)
# Specks of a few pixels are noise, not particles: a size filter removes
# them, and the true particles are counted with the same rule (a particle is
# more than ``SPECK`` pixels), or the count would compare two definitions.
SPECK = 20
found = remove_small_objects(scores > 0, max_size=SPECK)
true_particles = label(remove_small_objects(truth.astype(bool), max_size=SPECK))
found_particles = label(found)


def matched(true_labels, found_labels):
    """True particles one found region covers with an IoU above 0.5 (one to one)."""
    count = 0
    for region in regionprops(true_labels):
        inside = found_labels[tuple(region.coords.T)]
        best = np.bincount(inside[inside > 0]).argmax() if (inside > 0).any() else 0
        if best:
            overlap = np.sum(inside == best)
            count += (
                overlap / (region.area + np.sum(found_labels == best) - overlap) > 0.5
            )
    return int(count)


merged = sum(
    len(set(true_particles[tuple(region.coords.T)].ravel()) - {0}) > 1
    for region in regionprops(found_particles)
)
rows = [
    {
        "method": "true particles",
        "particles": int(true_particles.max()),
        "matched": int(true_particles.max()),
        "merged regions": 0,
        "IoU": 1.0,
    },
    {
        "method": "U-Net, tiled",
        "particles": int(found_particles.max()),
        "matched": matched(true_particles, found_particles),
        "merged regions": int(merged),
        "IoU": iou_per_class(truth, found, 2)[1],
    },
]
run.table(
    f"A new {image.shape[0]}x{image.shape[1]} micrograph, particles > {SPECK} pixels",
    rows,
)

# %%
# How close the count comes is printed above, measured in this build, with
# how many true particles a found region matches one to one (an overlap of
# more than half), and how many found regions hold more than one true
# particle: touching particles the network labelled as one. Splitting those
# (a watershed on the distance to the background) is the next step of a
# counting pipeline, at the price of cutting some single particles in two.
#
# The result
# ----------
# The whole micrograph, and an enlarged corner where particles touch.
corner = (slice(0, 120), slice(0, 120))
fig, axes = plt.subplots(2, 3, figsize=(12, 8.6), layout="constrained")
fig.suptitle(
    "A new, larger micrograph labelled tile by tile (below: its top-left corner)"
)
for column, (title, shown) in enumerate(
    [
        ("new micrograph", image),
        ("particles found", found),
        ("true particles", true_particles > 0),
    ]
):
    for row, view in enumerate((shown, shown[corner])):
        axes[row, column].imshow(view, cmap="gray", interpolation="nearest")
        axes[row, column].set_axis_off()
    axes[0, column].set_title(title)
    axes[0, column].add_patch(
        plt.Rectangle((0, 0), 120, 120, fill=False, edgecolor="orange", lw=1.5)
    )

# %%
# Conclusion
# ----------
# Tiling with margins lets a network built for small patches label images of
# any size, with memory that does not grow with the image, and the count of
# particles it gives is checked here against the truth under the same
# definition of a particle. That closes the loop of the guide: data, network,
# pairs, training, cost, gradients, iteration, validation, application.

# sphinx_gallery_parallel = False
