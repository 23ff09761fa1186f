"""
Is a convolutional layer just an image filter that learns?
==========================================================

Scientists already use convolutions: a blur is one, an edge filter is another.
A convolutional layer applies many small filters at once, and training chooses
their weights (:timestamp:`00:17:50 </guides/dragonfly-daily-15#convolutional-neural-networks-cnns>`).
We first load two known filters into a Keras ``Conv2D`` layer and check that it
reproduces SciPy, then train a small CNN to find edges in ``camera`` and look at
the filters and feature maps it learnt, on the ``cell`` image it never saw.
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers
from scipy import ndimage as ndi
from skimage.filters import sobel
from skimage.util import montage

from dlis_gallery import start_run
from dlis_gallery.images import bundled_gray, random_patches

run = start_run("convolutional_network")
EPOCHS = run.pick(smoke=1, quick=8, full=40)
rng = np.random.default_rng(6)
camera = bundled_gray("camera")

# %%
# A convolution layer with known filters
# --------------------------------------
# A 3x3 box blur and a horizontal Sobel filter, written into the weights of a
# ``Conv2D`` layer with two output channels.
box = np.full((3, 3), 1 / 9, dtype="float32")
sobel_h = np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]], dtype="float32")
conv = layers.Conv2D(2, 3, padding="same", use_bias=False)
conv.build((None, None, None, 1))
conv.set_weights([np.stack([box, sobel_h], axis=-1)[:, :, None, :]])
filtered = keras.ops.convert_to_numpy(conv(camera[None, ..., None]))[0]
by_scipy = [ndi.correlate(camera, kernel, mode="constant") for kernel in (box, sobel_h)]
differences = [float(np.abs(filtered[..., i] - by_scipy[i]).max()) for i in range(2)]
print(
    f"largest difference to scipy.ndimage.correlate: box {differences[0]:.1e}, Sobel "
    f"{differences[1]:.1e}"
)

# %%
# A CNN that learns to find edges
# -------------------------------
# Input: patches of ``camera``; target: the Sobel edge magnitude of the same
# patch. Two layers of 8 filters and one output filter.
patches = random_patches([camera], 48, run.pick(smoke=32, quick=1500, full=6000), rng)
edges = np.stack([sobel(patch) for patch in patches])
inputs = keras.Input(shape=(None, None, 1))
first = layers.Conv2D(8, 3, padding="same", activation="relu", name="first")(inputs)
second = layers.Conv2D(8, 3, padding="same", activation="relu", name="second")(first)
model = keras.Model(inputs, layers.Conv2D(1, 3, padding="same", name="edges")(second))
model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
with run.timed("training"):
    model.fit(
        patches[..., None],
        edges[..., None],
        epochs=EPOCHS,
        batch_size=32,
        verbose=0,
        callbacks=[run.epoch_log(EPOCHS)],
    )

cell = bundled_gray("cell")[200:456, 200:456]
learnt = keras.ops.convert_to_numpy(model(cell[None, ..., None]))[0, ..., 0]
truth = sobel(cell)
rows = [
    {
        "method": "Conv2D with the box filter vs scipy",
        "max abs difference": differences[0],
    },
    {
        "method": "Conv2D with the Sobel filter vs scipy",
        "max abs difference": differences[1],
    },
    {
        "method": "trained CNN vs Sobel magnitude, on cell",
        "max abs difference": float(np.abs(learnt - truth).max()),
    },
]
print(
    f"trained CNN on cell: mean squared error {np.mean((learnt - truth) ** 2):.2e} "
    f"(edge magnitudes up to {truth.max():.2f})"
)
run.table("How close the layers come to the filters", rows)

# %%
# What the first layer learnt
# ---------------------------
# Each of the 8 filters of the first layer, and what it makes of ``cell``. Look
# for filters that respond to horizontal edges, to vertical ones, or that pass
# the image on.
kernels = keras.ops.convert_to_numpy(model.get_layer("first").kernel)[:, :, 0, :]
feature_model = keras.Model(inputs, first)  # the same layers, stopped after the first
features = keras.ops.convert_to_numpy(feature_model(cell[None, ..., None]))[0]
filter_grid = montage(
    kernels.transpose(2, 0, 1), grid_shape=(2, 4), padding_width=1, fill=0
)
maps = features.transpose(2, 0, 1)
low, high = maps.min(axis=(1, 2), keepdims=True), maps.max(axis=(1, 2), keepdims=True)
maps = (maps - low) / np.maximum(high - low, 1e-12)  # each map scaled to 0..1 alone
map_grid = montage(maps, grid_shape=(2, 4), padding_width=4, fill=1)
fig, (left, right) = plt.subplots(
    1,
    2,
    figsize=(12, 4.8),
    gridspec_kw={"width_ratios": [1, 1.5]},
    layout="constrained",
)
limit = np.abs(kernels).max()
shown = left.imshow(filter_grid, cmap="RdBu_r", vmin=-limit, vmax=limit)
fig.colorbar(shown, ax=left, shrink=0.7, label="weight")
left.set_title("The 8 learnt 3x3 filters")
right.imshow(map_grid, cmap="magma")
right.set_title("Their feature maps of cell (each scaled to its own range)")
for ax in (left, right):
    ax.set_axis_off()

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.8), layout="constrained")
fig.suptitle("Edges of cell, an image the CNN never saw: input, Sobel, and the CNN")
for ax, (title, shown) in zip(
    axes, [("cell", cell), ("Sobel magnitude", truth), ("CNN output", learnt)]
):
    ax.imshow(shown, cmap="gray")
    ax.set_title(title)
    ax.set_axis_off()

# %%
# Conclusion
# ----------
# A ``Conv2D`` layer computes exactly the correlations image processing has
# always used; what deep learning adds is that the filters are learnt from
# examples, many at a time, stacked in layers.

# sphinx_gallery_thumbnail_number = 2
