"""
How much of an image patch survives being squeezed into a few numbers?
======================================================================

An autoencoder learns to compress its input into a short code and to rebuild
the input from that code alone (:timestamp:`00:19:11 </guides/dragonfly-daily-15#autoencoder>`).
Whatever the code keeps is what the network found essential; trained to rebuild
*clean* patches from noisy ones, the same network becomes a denoiser. We
squeeze 16x16 patches (256 numbers) into codes of 2, 8 and 32 numbers.
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers
from skimage.util import montage

from dlis_gallery import start_run
from dlis_gallery.images import bundled_gray, random_patches
from dlis_gallery.metrics import psnr
from dlis_gallery.profile import steps_per_call

run = start_run("autoencoder")
PATCHES = run.pick(smoke=64, quick=8000, full=40000)
EPOCHS = run.pick(smoke=1, quick=12, full=60)
CODE_SIZES = (2, 8, 32)
rng = np.random.default_rng(8)

# %%
# Patches, and held-out patches from other images
# -----------------------------------------------
train_images = [
    bundled_gray(name)
    for name in ("camera", "astronaut", "brick", "grass", "chelsea", "coffee")
]
held_out_images = {name: bundled_gray(name) for name in ("coins", "moon", "gravel")}
x_train = random_patches(train_images, 16, PATCHES, rng).reshape(PATCHES, 256)
held_out = {
    name: random_patches([image], 16, 300, rng).reshape(300, 256)
    for name, image in held_out_images.items()
}
x_test = np.concatenate(list(held_out.values()))

# %%
# The autoencoder: encoder, code, decoder
# ---------------------------------------


def autoencoder(code_size):
    patch = keras.Input(shape=(256,))
    code = layers.Dense(code_size, name="code")(
        layers.Dense(128, activation="relu")(patch)
    )
    rebuilt = layers.Dense(256, activation="sigmoid")(
        layers.Dense(128, activation="relu")(code)
    )
    model = keras.Model(patch, rebuilt, name=f"code_{code_size}")
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss="mse",
        steps_per_execution=steps_per_call(50),  # fewer calls into the backend
    )
    return model, keras.Model(patch, code)


models, encoders, rows = {}, {}, []
with run.timed("training"):
    for size in CODE_SIZES:
        models[size], encoders[size] = autoencoder(size)
        models[size].fit(x_train, x_train, epochs=EPOCHS, batch_size=64, verbose=0)
        rebuilt = keras.ops.convert_to_numpy(models[size](x_test))
        rows.append(
            {
                "method": f"code of {size} numbers",
                "compression": f"{256 // size}x",
                "PSNR (dB)": psnr(x_test, rebuilt),
            }
        )

    # The denoising variant: noisy patches in, clean patches out.
    noisy_train = np.clip(x_train + rng.normal(0, 0.1, x_train.shape), 0, 1).astype(
        "float32"
    )
    noisy_test = np.clip(x_test + rng.normal(0, 0.1, x_test.shape), 0, 1).astype(
        "float32"
    )
    denoiser, _ = autoencoder(32)
    denoiser.fit(noisy_train, x_train, epochs=EPOCHS, batch_size=64, verbose=0)
    denoised = keras.ops.convert_to_numpy(denoiser(noisy_test))
run.table("Held-out patches of coins, moon and gravel rebuilt from their code", rows)

# %%
# The denoising autoencoder against the noisy patches it was given:
run.table(
    "Denoising autoencoder (code of 32), Gaussian noise sigma 0.1",
    [
        {"method": "noisy patch", "PSNR (dB)": psnr(x_test, noisy_test)},
        {"method": "denoising autoencoder", "PSNR (dB)": psnr(x_test, denoised)},
    ],
)

# %%
# Reconstructions
# ---------------
# Four held-out patches, each panel showing all four side by side. Two numbers
# can hold little more than the mean brightness and the main gradient; 32 can
# hold edges and some texture.
shown = x_test[[5, 305, 605, 40]]


def as_tiles(patches):
    """The 16x16 patches (one per row of ``patches``) in a 2x2 grid, white between."""
    tiles = patches.reshape(-1, 16, 16)
    return montage(tiles, grid_shape=(2, 2), padding_width=1, fill=1)


def through(model, patches):
    return keras.ops.convert_to_numpy(model(patches))


fig, axes = plt.subplots(2, 2, figsize=(8, 8.4), layout="constrained")
fig.suptitle("Held-out 16x16 patches, rebuilt from codes of 2, 8 and 32 numbers")
panels = [("original", shown)]
panels += [(f"code of {size}", through(models[size], shown)) for size in CODE_SIZES]
for ax, (title, patches) in zip(axes.ravel(), panels, strict=True):
    ax.imshow(as_tiles(patches), cmap="gray", vmin=0, vmax=1)
    ax.set_title(title)
    ax.set_axis_off()

# %%
# The denoising autoencoder trained on noisy copies: what it is given and what
# it gives back, for the same four patches.
noisy = shown + 0.1 * rng.normal(size=shown.shape)
fig, axes = plt.subplots(1, 3, figsize=(12, 4.6), layout="constrained")
fig.suptitle("A noisy copy of each patch, and the denoising autoencoder's answer")
panels = [("original", shown), ("noisy input", noisy)]
panels += [("denoised", through(denoiser, noisy))]
for ax, (title, patches) in zip(axes, panels, strict=True):
    ax.imshow(as_tiles(patches), cmap="gray", vmin=0, vmax=1)
    ax.set_title(title)
    ax.set_axis_off()

# %%
# A map of the codes
# ------------------
# With a code of two numbers, every patch is a point in a plane. Patches of the
# same image land together: the code has organised them without being told
# where they came from.
fig, ax = plt.subplots(figsize=(5.5, 4.5), layout="constrained")
for name, patches in held_out.items():
    codes = keras.ops.convert_to_numpy(encoders[2](patches))
    ax.scatter(codes[:, 0], codes[:, 1], s=6, label=name, alpha=0.6)
ax.set(
    xlabel="code number 1",
    ylabel="code number 2",
    title="2-number codes of held-out patches, by image",
)
ax.legend()

# %%
# Conclusion
# ----------
# The code size sets how much an autoencoder must throw away; what it keeps is
# what matters most across its training images. Its decoder half is the same
# idea as the U-Net's expanding path, without the skips.
