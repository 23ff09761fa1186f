"""
Step 2, network selection: which kind of network fits a pixel-labelling task?
=============================================================================

The task decides the network (:timestamp:`00:17:50 </guides/dragonfly-daily-15#step-network-selection>`):
we want a label for every pixel, so the output is an image as large as the
input. We compare three candidates by what they can see (their receptive field),
their size, and whether they take images of any size, and pick one.
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers
from skimage.measure import label, regionprops

from dlis_gallery import start_run
from dlis_gallery.workflow import result

run = start_run("workflow_2_network_selection")
data = np.load(result("plot_1_data_input.py", "micrographs.npz"))

# %%
# Three candidates
# ----------------
# A dense network (every pixel of a 64x64 patch connected to every output), a
# plain stack of convolutions, and a small U-Net.


def dense_network():
    patch = keras.Input(shape=(64 * 64,))
    return keras.Model(
        patch,
        layers.Dense(64 * 64)(layers.Dense(256, activation="relu")(patch)),
        name="dense",
    )


def plain_cnn(width=16):
    image = keras.Input(shape=(None, None, 1))
    x = image
    for _ in range(3):
        x = layers.Conv2D(width, 3, padding="same", activation="relu")(x)
    return keras.Model(image, layers.Conv2D(1, 1)(x), name="plain_cnn")


def build_unet(width=16):
    """The network the next steps train: two levels down, two up, with skips.
    It takes any image whose sides are divisible by 4."""
    image = keras.Input(shape=(None, None, 1))
    down1 = layers.Conv2D(width, 3, padding="same", activation="relu")(image)
    down2 = layers.Conv2D(2 * width, 3, padding="same", activation="relu")(
        layers.MaxPooling2D()(down1)
    )
    bottom = layers.Conv2D(4 * width, 3, padding="same", activation="relu")(
        layers.MaxPooling2D()(down2)
    )
    up2 = layers.Concatenate()([layers.UpSampling2D()(bottom), down2])
    up2 = layers.Conv2D(2 * width, 3, padding="same", activation="relu")(up2)
    up1 = layers.Concatenate()([layers.UpSampling2D()(up2), down1])
    up1 = layers.Conv2D(width, 3, padding="same", activation="relu")(up1)
    model = keras.Model(
        image, layers.Conv2D(1, 1, name="particle_logit")(up1), name="unet"
    )
    model.compile(
        optimizer=keras.optimizers.Adam(2e-3),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
    )
    return model


# %%
# Compare them
# ------------
# The receptive field is how many pixels across each output pixel can see: a
# 3x3 convolution adds 2 pixels times the current pixel spacing, a 2x2 pooling
# adds 1 spacing and doubles the spacing. For the U-Net: 1, then +2 (conv),
# +1 (pool), +4 (conv), +2 (pool), +8 (bottom conv), +4 and +2 (convs up).
rows = [
    {
        "method": "dense network",
        "weights": dense_network().count_params(),
        "receptive field (px)": "64 (whole patch)",
        "any image size": "no",
    },
    {
        "method": "plain CNN, 3 layers",
        "weights": plain_cnn().count_params(),
        "receptive field (px)": 1 + 3 * 2,
        "any image size": "yes",
    },
    {
        "method": "U-Net, 2 levels",
        "weights": build_unet().count_params(),
        "receptive field (px)": 1 + 2 + 1 + 4 + 2 + 8 + 4 + 2,
        "any image size": "divisible by 4",
    },
]
run.table("Candidates for labelling every pixel", rows)

# %%
# How far should a pixel see? Compare with the particles of step 1: the
# median diameter of the particles in the training masks.
diameters = [
    region.equivalent_diameter_area
    for mask in data["train_masks"]
    for region in regionprops(label(mask))
]
particle = float(np.median(diameters))
cnn, unet = rows[1]["receptive field (px)"], rows[2]["receptive field (px)"]
print(
    f"A typical particle is {particle:.1f} px across (median of {len(diameters)} "
    f"particles). "
    f"The plain CNN sees {cnn} px, {cnn / particle:.1f} particles' worth; the U-Net "
    f"sees {unet} px, "
    f"{unet / particle:.1f} particles' worth."
)
fig, (size, sight) = plt.subplots(1, 2, figsize=(10, 3.2), layout="constrained")
fig.suptitle(
    "The three candidates: how many weights they train, and how far each output pixel "
    "sees"
)
names = ["dense", "plain CNN", "U-Net"]
size.bar(names, [row["weights"] for row in rows], color=["0.6", "0.6", "teal"])
size.set(yscale="log", ylabel="weights")
sight.bar(
    names,
    [64, cnn, unet],
    color=["0.6", "0.6", "teal"],
)
sight.axhline(particle, color="crimson", ls=":", label="typical particle diameter")
sight.set(ylabel="receptive field (pixels)")
sight.legend(fontsize="small")

# %%
# Conclusion
# ----------
# The dense network is the largest and sees a fixed patch only; the plain CNN
# is the smallest and sees the least; the U-Net sees the farthest, with a
# fraction of the dense network's weights. Whether a network sees a whole
# particle and its surroundings is the line printed above. ``build_unet`` is
# the network the next steps train.
