"""
What does it mean that a neural network "fits a function"?
==========================================================

The guide calls neural networks computational constructs that fit functions to
data (:timestamp:`00:04:51 </guides/dragonfly-daily-15#neural-networks>`). The
function can be anything with an input and an output: here, the brightness
along one line across the ``coins`` image, as a function of position. We fit it
with small networks of growing width and watch the fit improve as they train.
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers

from dlis_gallery import start_run
from dlis_gallery.images import bundled_gray

run = start_run("neural_network")
EPOCHS = run.pick(smoke=3, quick=150, full=800)
WIDTHS = (2, 8, 64)

# %%
# The data: an intensity profile
# ------------------------------
# Row 160 of ``coins`` crosses four coins: a curve with sharp steps and noise.
# Positions are scaled to [-8, 8], so that a neuron can make a sharp step
# without first growing huge weights. Every fifth pixel is kept for testing.
profile = bundled_gray("coins")[160]
position = np.linspace(-8, 8, profile.size, dtype="float32")[:, None]
held_out = np.arange(profile.size) % 5 == 0
print(f"{profile.size} pixels; {held_out.sum()} held out")
# One epoch here is 50 passes over the few hundred pixels, one batch each.
x_train = np.tile(position[~held_out], (50, 1))
y_train = np.tile(profile[~held_out], 50)

# %%
# Networks of three widths
# ------------------------
# One hidden layer of ``width`` neurons with a smooth activation (tanh), and a
# linear output. Each neuron contributes one smooth step; more neurons, more
# steps the network can place.


def network(width):
    model = keras.Sequential(
        [keras.Input(shape=(1,)), layers.Dense(width, activation="tanh"), layers.Dense(1)],
        name=f"width_{width}",
    )
    model.compile(optimizer=keras.optimizers.Adam(0.03), loss="mse")
    return model


snapshots = {}
rows = []
with run.timed("training"):
    for width in WIDTHS:
        model = network(width)
        snapshots[width] = []
        for stage in (max(1, EPOCHS // 20), max(1, EPOCHS // 4), max(1, EPOCHS - EPOCHS // 20 - EPOCHS // 4)):
            model.fit(x_train, y_train, epochs=stage, batch_size=int((~held_out).sum()), verbose=0)
            snapshots[width].append(keras.ops.convert_to_numpy(model(position))[:, 0])
        fitted = snapshots[width][-1]
        rows.append(
            {
                "method": f"{width} hidden neurons",
                "weights": model.count_params(),
                "held-out MSE": float(np.mean((fitted[held_out] - profile[held_out]) ** 2)),
            }
        )
rows.append(
    {"method": "mean brightness (no network)", "weights": 1, "held-out MSE": float(np.var(profile[held_out]))}
)
run.table("Fit of the intensity profile, pixels not used in training", rows)

# %%
# Watch the fits
# --------------
# Columns: more neurons; lines: more training. Two neurons can only draw two
# smooth steps; 64 follow every coin edge.
fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), sharey=True)
fig.suptitle("Brightness along row 160 of coins (grey) and the network's fit after more and more training")
for ax, width in zip(axes, WIDTHS):
    ax.plot(position[:, 0], profile, color="0.7", lw=3, label="data")
    for snapshot, style, label in zip(snapshots[width], (":", "--", "-"), ("early", "middle", "end")):
        ax.plot(position[:, 0], snapshot, style, label=f"{label} of training")
    ax.set_title(f"{width} hidden neurons")
    ax.set_xlabel("position along the row")
axes[0].set_ylabel("brightness")
axes[0].legend(fontsize="small")
fig.tight_layout()

# %%
# Conclusion
# ----------
# A network is a flexible function with adjustable weights; training moves
# the weights until the function matches the data. Width buys flexibility,
# and the held-out pixels tell whether that flexibility fits the signal or the
# noise.
