"""
Step 7, iteration: does the network improve with more examples and more epochs?
===============================================================================

Training repeats: more examples, more passes, the weights settling towards
good values (:timestamp:`00:14:43 </guides/dragonfly-daily-15#step-iteration>`).
We train the same U-Net on a quarter, a half and all of the training pairs and
follow the validation loss epoch by epoch: the learning curves.
"""

# %%
# Setup
# -----
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from dlis_gallery import start_run
from dlis_gallery.workflow import definitions, result

run = start_run("workflow_7_iteration")
EPOCHS = run.pick(smoke=1, quick=6, full=30)
ALL_PAIRS = run.pick(smoke=32, quick=800, full=12000)
data = np.load(result("plot_1_data_input.py", "micrographs.npz"))
build_unet = definitions("plot_2_network_selection.py")["build_unet"]
pairs = definitions("plot_3_training_data.py")["pairs"]
x, y = pairs(data["train_images"], data["train_masks"], ALL_PAIRS)
x_val, y_val = pairs(
    data["validation_images"],
    data["validation_masks"],
    run.pick(smoke=8, quick=200, full=1000),
    seed=1,
)

# %%
# Learning curves
# ---------------
curves, rows = {}, []
with run.timed("training"):
    for share in (0.25, 0.5, 1.0):
        count = int(share * ALL_PAIRS)
        history = build_unet().fit(
            x[:count],
            y[:count],
            validation_data=(x_val, y_val),
            epochs=EPOCHS,
            batch_size=16,
            verbose=0,
        )
        curves[count] = history.history["val_loss"]
        rows.append(
            {
                "method": f"{count} pairs",
                "validation loss, epoch 1": curves[count][0],
                f"validation loss, epoch {EPOCHS}": curves[count][-1],
            }
        )
run.table("Validation loss as training goes on", rows)

# %%
# The same losses, epoch by epoch:
fig, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")
for count, curve in curves.items():
    ax.plot(range(1, len(curve) + 1), curve, "o-", label=f"{count} training pairs")
ax.set(
    xlabel="epoch",
    ylabel="validation cross-entropy",
    title="Learning curves: more data, more epochs",
)
ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole
ax.legend()

# %%
# Conclusion
# ----------
# Read the curves for two things: whether each epoch still lowers the
# validation loss, and whether more pairs lower it faster. While the curves
# still fall, more data and more epochs still pay; when they flatten, more of
# the same stops helping. Step 8 shows what happens when training goes on too
# long.
