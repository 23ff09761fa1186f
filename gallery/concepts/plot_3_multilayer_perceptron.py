"""
What do hidden layers add to a perceptron?
==========================================

One perceptron draws one straight line. Put layers of them between input and
output and the network can draw curves, closed shapes, anything: these hidden
layers are the "deep" of deep learning
(:timestamp:`00:09:37 </guides/dragonfly-daily-15#multi-layer-perceptron>`).
We ask networks with 0, 1 and 2 hidden layers to tell which pixels of the
Shepp-Logan phantom are tissue, knowing only each pixel's position.
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers
from skimage.transform import resize

from dlis_gallery import start_run
from dlis_gallery.images import bundled_gray
from dlis_gallery.profile import steps_per_call

run = start_run("multilayer_perceptron")
EPOCHS = run.pick(smoke=2, quick=100, full=400)
rng = np.random.default_rng(5)

# %%
# The task: inside or outside, from (row, column)
# -----------------------------------------------
# Tissue (brightness above 0.15) is an ellipse with two dark ellipses cut out
# of it: no straight line separates it from the rest. Test pixels are not
# scattered between training pixels (a network could then just copy its
# neighbours): the image is cut into 16x16 tiles laid out like a chessboard,
# the network trains on the light tiles and is tested on the dark ones, up to
# 8 pixels from anything it saw.
phantom = resize(bundled_gray("shepp_logan_phantom"), (128, 128), anti_aliasing=True)
labels = (phantom > 0.15).astype("float32").ravel()
rows, cols = np.mgrid[0:128, 0:128]
coordinates = np.stack([rows.ravel(), cols.ravel()], axis=1).astype("float32") / 64 - 1
dark_tile = ((rows // 16 + cols // 16) % 2 == 1).ravel()
train, test = rng.permutation(np.flatnonzero(~dark_tile)), np.flatnonzero(dark_tile)

# %%
# Three networks
# --------------
# Zero hidden layers is the perceptron of the previous page. Each hidden layer
# is a row of perceptrons with a ReLU activation feeding the next.
architectures = {
    "0 hidden layers": [],
    "1 hidden layer (32)": [32],
    "2 hidden layers (32, 32)": [32, 32],
}
maps, rows_out = {}, []
with run.timed("training"):
    for name, hidden in architectures.items():
        model = keras.Sequential(
            [keras.Input(shape=(2,))]
            + [layers.Dense(width, activation="relu") for width in hidden]
            + [layers.Dense(1, activation="sigmoid")]
        )
        model.compile(
            optimizer=keras.optimizers.Adam(0.01),
            loss="binary_crossentropy",
            steps_per_execution=steps_per_call(len(train) // 256),  # an epoch a call
        )
        model.fit(
            coordinates[train], labels[train], epochs=EPOCHS, batch_size=256, verbose=0
        )
        probability = keras.ops.convert_to_numpy(model(coordinates))[:, 0]
        predicted = probability > 0.5
        maps[name] = probability.reshape(128, 128)
        rows_out.append(
            {
                "method": name,
                "weights": model.count_params(),
                "accuracy on the dark tiles": float(
                    np.mean(predicted[test] == labels[test])
                ),
            }
        )
run.table("Tissue or not, from position alone, on tiles not used in training", rows_out)

# %%
# See the boundaries
# ------------------
# A perceptron can only cut the image in two along one straight line, or call
# every pixel the same; a hidden layer lets straight lines combine into closed
# shapes. The dark ellipses inside are the hard part: compare the maps, and
# the table for what each layer adds in this build. Grey levels are each
# network's probability of tissue; the orange line is where it crosses one
# half, the boundary it draws.
fig, axes = plt.subplots(2, 2, figsize=(9, 8.6), layout="constrained")
fig.suptitle(
    "Pixels of the Shepp-Logan phantom called tissue, by networks of growing depth"
)
axes[0, 0].imshow(labels.reshape(128, 128), cmap="gray")
axes[0, 0].set_title("Truth")
for ax, (name, shown) in zip(axes.ravel()[1:], maps.items()):
    picture = ax.imshow(shown, cmap="gray", vmin=0, vmax=1)
    if shown.min() < 0.5 < shown.max():
        ax.contour(shown, levels=[0.5], colors="orange", linewidths=1.5)
    ax.set_title(name)
fig.colorbar(picture, ax=axes, fraction=0.03, label="probability of tissue")
for ax in axes.ravel():
    ax.set_axis_off()

# %%
# Conclusion
# ----------
# Each hidden layer lets the network combine the straight lines of the layer
# before into more complex boundaries. Image networks use the same idea, with
# convolutions instead of dense layers (next page).
