"""
Step 4, model training: how does the network learn from the pairs?
==================================================================

Training shows the network the pairs, batch after batch, and nudges its
weights and biases to make its answers closer to the targets
(:timestamp:`00:12:18 </guides/dragonfly-daily-15#step-model-training>`). We
train the U-Net chosen in step 2 on the pairs of step 3, watch the loss fall,
and save the model in Keras format for the steps after this one.
"""

# %%
# Setup
# -----
import json

import keras
import matplotlib.pyplot as plt
import numpy as np

from dlis_gallery import start_run
from dlis_gallery.figures import training_curve
from dlis_gallery.workflow import definitions, output, result

run = start_run("workflow_4_model_training")
STEP = "plot_4_model_training.py"
EPOCHS = run.pick(smoke=1, quick=8, full=40)
data = np.load(result("plot_1_data_input.py", "micrographs.npz"))
build_unet = definitions("plot_2_network_selection.py")["build_unet"]
pairs = definitions("plot_3_training_data.py")["pairs"]

# %%
# Train
# -----
# Validation pairs come from the validation micrographs: the loss on them tells
# whether what the network learns carries over to images it does not train on.
x, y = pairs(
    data["train_images"],
    data["train_masks"],
    run.pick(smoke=32, quick=1200, full=12000),
)
x_val, y_val = pairs(
    data["validation_images"],
    data["validation_masks"],
    run.pick(smoke=8, quick=200, full=1000),
    seed=1,
)
model = build_unet()
with run.timed("training"):
    history = model.fit(
        x,
        y,
        validation_data=(x_val, y_val),
        epochs=EPOCHS,
        batch_size=16,
        verbose=0,
        callbacks=[run.epoch_log(EPOCHS)],
    )
model.save(output(STEP, "unet.keras"))
output(STEP, "history.json").write_text(json.dumps(history.history))
run.table(
    "After training",
    [
        {
            "method": "U-Net",
            "epochs": EPOCHS,
            "training loss": history.history["loss"][-1],
            "validation loss": history.history["val_loss"][-1],
        }
    ],
)

# %%
# The loss, epoch by epoch
# ------------------------
training_curve(history, "cross-entropy")

# %%
# What the trained U-Net answers
# ------------------------------
# Three validation patches it never trained on: the input, the true mask, and
# the network's probability that each pixel is particle (the sigmoid of its
# output). A falling loss should show here as masks that match.
probability = keras.ops.convert_to_numpy(keras.ops.sigmoid(model(x_val[:3])))
fig, axes = plt.subplots(3, 3, figsize=(9, 9.6), layout="constrained")
fig.suptitle("Validation patches: input, true mask, and the U-Net's probability")
for row, index in zip(axes, range(3), strict=True):
    row[0].imshow(x_val[index, ..., 0], cmap="gray")
    row[1].imshow(y_val[index, ..., 0], cmap="gray", vmin=0, vmax=1)
    row[2].imshow(probability[index, ..., 0], cmap="magma", vmin=0, vmax=1)
for ax, title in zip(axes[0], ["input", "true mask", "probability"], strict=True):
    ax.set_title(title)
for ax in axes.ravel():
    ax.set_axis_off()

# %%
# Conclusion
# ----------
# The trained model is saved (``unet.keras``); steps 5 to 9 load it rather
# than train again. What exactly is being minimised is step 5.

# sphinx_gallery_thumbnail_number = 2
# sphinx_gallery_parallel = False
