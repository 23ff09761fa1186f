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
from skimage.measure import label
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
# context) reaches the result. Reflection padding makes the image a whole
# number of tiles. ``predict_tiled`` does exactly that, a few tiles at a
# time, so memory does not grow with the image; the same function applies
# the application pages' downloadable networks to your own images.
with run.timed("labelling"):
    scores = predict_tiled(model, image, tile=256, margin=16)
# Specks of a few pixels are noise, not particles: a size filter removes them.
found = remove_small_objects(scores > 0, max_size=20)
rows = [
    {"method": "true particles", "particles": int(label(truth).max()), "IoU": 1.0},
    {
        "method": "U-Net, tiled",
        "particles": int(label(found).max()),
        "IoU": iou_per_class(truth, found, 2)[1],
    },
]
run.table(f"A new {image.shape[0]}x{image.shape[1]} micrograph", rows)

# %%
# The result
# ----------
fig, axes = plt.subplots(1, 3, figsize=(12, 4.4))
fig.suptitle(
    "A new, larger micrograph labelled tile by tile: image, particles found, and truth"
)
for ax, (title, shown) in zip(
    axes,
    [("new micrograph", image), ("particles found", found), ("true particles", truth)],
):
    ax.imshow(shown, cmap="gray")
    ax.set_title(title)
    ax.set_axis_off()
fig.tight_layout()

# %%
# Conclusion
# ----------
# Tiling with margins lets a network built for small patches label images of
# any size, with memory that does not grow with the image. That closes the
# loop of the guide: data, network, pairs, training, cost, gradients,
# iteration, validation, application.

# sphinx_gallery_parallel = False
