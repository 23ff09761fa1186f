"""
Step 5, optimization: what number is the network minimising?
============================================================

Training needs one number that says how wrong the network is: the cost
function (:timestamp:`00:13:17 </guides/dragonfly-daily-15#step-optimization>`).
For "particle or not" in every pixel, it is the binary cross-entropy. We write
it out, compute it by hand for the trained model of step 4, check it against
Keras, and look at where in an image the cost comes from.
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np
from scipy.ndimage import binary_dilation
from skimage.morphology import disk
from skimage.segmentation import find_boundaries

from dlis_gallery import start_run
from dlis_gallery.workflow import result

run = start_run("workflow_5_optimization")
data = np.load(result("plot_1_data_input.py", "micrographs.npz"))
model = keras.saving.load_model(result("plot_4_model_training.py", "unet.keras"))

# %%
# The cost function, written out
# ------------------------------
# The network gives each pixel a score :math:`z`; the sigmoid
# :math:`p = 1 / (1 + e^{-z})` turns it into a probability of "particle". With
# the true label :math:`y` (1 or 0), over all :math:`N` pixels:
#
# .. math:: L = -\frac{1}{N} \sum_{i=1}^{N} \left[ y_i \log p_i + (1 - y_i) \log (1 - p_i) \right]
#
# A confident right answer costs almost nothing; a confident wrong one costs a
# lot. In code, the logarithms are taken of the score itself
# (:math:`\log p = -\log(1 + e^{-z})`, NumPy's ``logaddexp``), so a very
# confident score never rounds a probability to exactly 0 or 1.
images, masks = (
    data["validation_images"][..., None],
    data["validation_masks"][..., None].astype("float32"),
)
scores = keras.ops.convert_to_numpy(model(images))
z = scores.astype("float64")
log_p, log_not_p = -np.logaddexp(0, -z), -np.logaddexp(0, z)  # log p and log(1 - p)
probability = np.exp(log_p)
per_pixel = -(masks * log_p + (1 - masks) * log_not_p)
by_hand = float(per_pixel.mean())
by_keras = float(
    keras.ops.convert_to_numpy(
        keras.losses.BinaryCrossentropy(from_logits=True)(masks, scores)
    )
)
run.table(
    "Cost of the trained U-Net on the validation micrographs",
    [
        {"method": "written out in NumPy", "cross-entropy": by_hand},
        {"method": "keras.losses.BinaryCrossentropy", "cross-entropy": by_keras},
        {
            "method": "a network that always says 50 %",
            "cross-entropy": float(np.log(2)),
        },
    ],
)

# %%
# Where the cost comes from
# -------------------------
# Blur makes the answer uncertain near particle edges: is that where the cost
# is? The share of the cost within 2 pixels of an edge, against the share of
# pixels there:
near_edge = np.stack(
    [
        binary_dilation(find_boundaries(mask[..., 0]), structure=disk(2))
        for mask in masks > 0
    ]
)[..., None]
print(
    f"{per_pixel[near_edge].sum() / per_pixel.sum():.0%} of the cost lies within 2 px "
    f"of a particle edge, "
    f"on {near_edge.mean():.0%} of the pixels."
)
fig, axes = plt.subplots(1, 3, figsize=(11, 3.6), layout="constrained")
fig.suptitle(
    "A validation micrograph, the network's probability of particle, and the cost of "
    "each pixel"
)
for ax, (title, shown, cmap) in zip(
    axes,
    [
        ("micrograph", images[0, ..., 0], "gray"),
        ("probability of particle", probability[0, ..., 0], "viridis"),
        ("cost per pixel", per_pixel[0, ..., 0], "magma"),
    ],
):
    ax.imshow(shown, cmap=cmap)
    ax.set_title(title)
    ax.set_axis_off()

# %%
# Conclusion
# ----------
# The number Keras minimises is exactly the formula above. Optimisation means
# changing the weights to make it smaller; how to know *which way* to change
# them is step 6.
