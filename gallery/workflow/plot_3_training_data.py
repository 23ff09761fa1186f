"""
Step 3, training data: how are input/target pairs made, and how many are there?
================================================================================

A network learns from pairs: an input and the answer it should give
(:timestamp:`00:19:39 </guides/dragonfly-daily-15#step-training-data>`). Here
the input is a patch of a training micrograph and the target the particle mask
of the same patch. Cutting random patches, flipped and rotated, turns a few
dozen micrographs into thousands of pairs.
"""

# %%
# Setup
# -----
import matplotlib.pyplot as plt
import numpy as np

from dlis_gallery import start_run
from dlis_gallery.workflow import result

run = start_run("workflow_3_training_data")
PATCHES = run.pick(smoke=32, quick=1200, full=12000)
data = np.load(result("plot_1_data_input.py", "micrographs.npz"))

# %%
# Cutting pairs
# -------------
# The same crop, flip and rotation for image and mask, or the answer would no
# longer match the question. Flips and quarter turns are safe for micrographs:
# particles have no "up".


def pairs(images, masks, count, size=64, seed=0):
    rng = np.random.default_rng(seed)
    inputs = np.empty((count, size, size, 1), "float32")
    targets = np.empty((count, size, size, 1), "float32")
    for index in range(count):
        which = rng.integers(len(images))
        top, left = rng.integers(0, images.shape[1] - size + 1, 2)
        image = images[which, top : top + size, left : left + size]
        mask = masks[which, top : top + size, left : left + size]
        turns, flip = rng.integers(4), rng.integers(2)
        image, mask = np.rot90(image, turns), np.rot90(mask, turns)
        if flip:
            image, mask = image[:, ::-1], mask[:, ::-1]
        inputs[index, ..., 0], targets[index, ..., 0] = image, mask
    return inputs, targets


x, y = pairs(data["train_images"], data["train_masks"], PATCHES)
run.table(
    "Training pairs",
    [
        {
            "method": "patches of 64x64",
            "pairs": len(x),
            "from micrographs": len(data["train_images"]),
            "particle fraction": float(y.mean()),
        }
    ],
)

# %%
# Look at some pairs
# ------------------
fig, axes = plt.subplots(2, 3, figsize=(12, 8.4), layout="constrained")
fig.suptitle(
    "Six training pairs: each input patch (left) beside its target mask (right)"
)
gap = np.ones((x.shape[1], 4))
for column, ax in enumerate(axes.ravel()):
    ax.imshow(np.hstack([x[column, ..., 0], gap, y[column, ..., 0]]), cmap="gray")
    ax.set_title(f"pair {column + 1}")
    ax.set_axis_off()

# %%
# Conclusion
# ----------
# Patches keep training fast and memory small; the U-Net learns from local
# context and, being convolutional, later applies to whole images. ``pairs`` is
# what step 4 trains on.
