"""
Step 8, validation: how good is the model on images it has never seen, and when does training go too far?
=========================================================================================================

A model is only as good as its score on data that played no part in training
(:timestamp:`00:27:10 </guides/dragonfly-daily-15#step-validation>`). We score
the model of step 4 on the test micrographs put aside in step 1, then provoke
overfitting, a network memorising a few training patches, and guard against
it with early stopping on the validation set.
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from dlis_gallery import start_run
from dlis_gallery.metrics import iou_per_class
from dlis_gallery.workflow import definitions, result

run = start_run("workflow_8_validation")
data = np.load(result("plot_1_data_input.py", "micrographs.npz"))
model = keras.saving.load_model(result("plot_4_model_training.py", "unet.keras"))
build_unet = definitions("plot_2_network_selection.py")["build_unet"]
pairs = definitions("plot_3_training_data.py")["pairs"]


def iou(masks, scores):
    return iou_per_class(masks > 0, scores > 0, 2)[1]


# %%
# The test set
# ------------
test_scores = keras.ops.convert_to_numpy(model(data["test_images"][..., None]))[..., 0]
train_scores = keras.ops.convert_to_numpy(model(data["train_images"][:8, ..., None]))[
    ..., 0
]
rows = [
    {
        "method": "step-4 model on training micrographs",
        "IoU": iou(data["train_masks"][:8], train_scores),
    },
    {
        "method": "step-4 model on test micrographs",
        "IoU": iou(data["test_masks"], test_scores),
    },
]

# %%
# Provoking overfitting, and catching it
# --------------------------------------
# Two training patches, a wider network and many epochs: the recipe for a
# network that memorises the noise of its two patches. The sign to look for is
# a training loss that keeps falling while the validation loss turns up.
# ``EarlyStopping`` watches the validation loss and keeps the best weights.
# Both networks are then scored on the test micrographs: the validation set
# chose when to stop, so it can no longer judge the result fairly.
few_x, few_y = pairs(data["train_images"], data["train_masks"], 2, seed=3)
x_val, y_val = pairs(
    data["validation_images"],
    data["validation_masks"],
    run.pick(smoke=4, quick=16, full=200),
    seed=1,
)
epochs = run.pick(smoke=2, quick=150, full=300)
same = dict(
    x=few_x,
    y=few_y,
    validation_data=(x_val, y_val),
    epochs=epochs,
    batch_size=16,
    verbose=0,
)  # both networks train alike; only early stopping differs
with run.timed("training"):
    overfit = build_unet(width=32)
    history = overfit.fit(**same)
    stopped = build_unet(width=32)
    stopper = keras.callbacks.EarlyStopping(patience=10, restore_best_weights=True)
    stopped.fit(**same, callbacks=[stopper])
test_images = data["test_images"][..., None]
for name, network in (("trained to the end", overfit), ("early stopping", stopped)):
    scores = keras.ops.convert_to_numpy(network(test_images))[..., 0]
    rows.append(
        {
            "method": f"2 patches, {name}, on test micrographs",
            "IoU": iou(data["test_masks"], scores),
        }
    )
best = int(np.argmin(history.history["val_loss"]))
print(
    f"validation loss lowest at epoch {best + 1} of {epochs}; early stopping stopped "
    f"at epoch {stopper.stopped_epoch + 1}"
)
run.table("Intersection over union of particle masks", rows)

# %%
# The losses of the network trained on two patches, epoch by epoch:
fig, ax = plt.subplots(figsize=(5.5, 3.6), layout="constrained")
ax.plot(history.history["loss"], label="training (2 patches)")
ax.plot(history.history["val_loss"], label="validation")
ax.axvline(best, color="k", ls=":", label="lowest validation loss")
ax.set(
    xlabel="epoch",
    ylabel="cross-entropy",
    yscale="log",
    title="Training on two patches: training and validation loss",
)
ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole
ax.legend()

# %%
# Conclusion
# ----------
# The test score is the number to report; it comes from images used for no
# decision at all. The validation set decides when to stop, and so is no
# longer an unbiased judge, which is why step 1 set the test set apart.
