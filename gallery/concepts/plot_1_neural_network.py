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
from dlis_gallery.profile import steps_per_call

run = start_run("neural_network")
EPOCHS = run.pick(smoke=3, quick=150, full=800)
WIDTHS = (2, 8, 64)

# %%
# The data: an intensity profile
# ------------------------------
# Row 160 of ``coins`` crosses four coins: a curve with sharp steps and noise.
# Positions are scaled to [-8, 8], so that a neuron can make a sharp step
# without first growing huge weights. The test data is row 163, never used in
# training: it crosses the same coins with noise of its own, so a fit that
# follows the coins scores well there, and a fit that follows row 160's noise
# does not.
coins = bundled_gray("coins")
profile, test_profile = coins[160], coins[163]
position = np.linspace(-8, 8, profile.size, dtype="float32")[:, None]
print(f"{profile.size} pixels to train on, {test_profile.size} to test on")
# One epoch here is 50 passes over the few hundred pixels, one batch each.
PASSES = 50
x_train = np.tile(position, (PASSES, 1))
y_train = np.tile(profile, PASSES)

# %%
# Networks of three widths
# ------------------------
# One hidden layer of ``width`` neurons with a smooth activation (tanh), and a
# linear output. Each neuron contributes one smooth step; more neurons, more
# steps the network can place. For a network this small, Keras spends as
# long calling the backend as the backend spends on a step, so one call runs
# a whole epoch's steps where the backend allows it (TensorFlow, JAX; see
# ``steps_per_call``): the same training, in less time.


def network(width):
    model = keras.Sequential(
        [
            keras.Input(shape=(1,)),
            layers.Dense(width, activation="tanh"),
            layers.Dense(1),
        ],
        name=f"width_{width}",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.03),
        loss="mse",
        steps_per_execution=steps_per_call(PASSES),
    )
    return model


snapshots = {}
rows = []
with run.timed("training"):
    for width in WIDTHS:
        model = network(width)
        snapshots[width] = []
        for stage in (
            max(1, EPOCHS // 20),
            max(1, EPOCHS // 4),
            max(1, EPOCHS - EPOCHS // 20 - EPOCHS // 4),
        ):
            model.fit(
                x_train, y_train, epochs=stage, batch_size=profile.size, verbose=0
            )
            snapshots[width].append(keras.ops.convert_to_numpy(model(position))[:, 0])
        fitted = snapshots[width][-1]
        rows.append(
            {
                "method": f"{width} hidden neurons",
                "weights": model.count_params(),
                "training MSE (row 160)": float(np.mean((fitted - profile) ** 2)),
                "test MSE (row 163)": float(np.mean((fitted - test_profile) ** 2)),
            }
        )
rows.append(
    {
        "method": "mean brightness (no network)",
        "weights": 1,
        "training MSE (row 160)": float(np.var(profile)),
        "test MSE (row 163)": float(np.mean((profile.mean() - test_profile) ** 2)),
    }
)
run.table(
    "Fit of the intensity profile: the training row and a row never trained on", rows
)

# %%
# Watch the fits
# --------------
# Columns: more neurons; lines: more training. Two neurons can draw at most two
# smooth steps; 64 are enough to follow every coin edge, if training finds
# where to put them.
fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), sharey=True, layout="constrained")
fig.suptitle(
    "Brightness along row 160 of coins (grey) and the network's fit after more and "
    "more training"
)
for ax, width in zip(axes, WIDTHS):
    ax.plot(position[:, 0], profile, color="0.7", lw=3, label="data")
    for snapshot, style, label in zip(
        snapshots[width], (":", "--", "-"), ("early", "middle", "end")
    ):
        ax.plot(position[:, 0], snapshot, style, label=f"{label} of training")
    ax.set_title(f"{width} hidden neurons")
    ax.set_xlabel("position along the row")
axes[0].set_ylabel("brightness")
axes[0].legend(fontsize="small")

# %%
# Conclusion
# ----------
# A network is a flexible function with adjustable weights; training moves
# the weights until the function matches the data. Width buys flexibility,
# and the test row tells whether that flexibility fits the signal or the
# noise: compare its column of the table with the training row's.
