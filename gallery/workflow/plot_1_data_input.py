"""
Step 1, data input: what should the images look like before a network sees them?
=================================================================================

Every project starts with images and the answers we want for them
(:timestamp:`00:08:51 </guides/dragonfly-daily-15#step-data-input>`). Our
story for all nine steps: finding particles in noisy micrographs, pixel by
pixel. We make micrographs whose particles are known exactly, put their
intensities on a common scale, and split them once and for all into training,
validation and test sets.
"""

# %%
# Setup
# -----
import matplotlib.pyplot as plt
import numpy as np
from skimage.data import binary_blobs
from skimage.filters import gaussian

from dlis_gallery import start_run
from dlis_gallery.workflow import output

run = start_run("workflow_1_data_input")
STEP = "plot_1_data_input.py"
COUNTS = run.pick(smoke=(6, 2, 2), quick=(48, 8, 8), full=(300, 40, 40))
rng = np.random.default_rng(10)

# %%
# Micrographs with exact answers
# ------------------------------
# Particles (the mask) on an unevenly lit background, blurred by the optics,
# with detector noise. In a real project these are your images and your
# annotations.


def micrograph(size, rng):
    mask = binary_blobs(
        size,
        blob_size_fraction=6.4 / size,  # particles about 6 px across, whatever the size
        volume_fraction=0.25,
        rng=int(rng.integers(2**31)),
    )
    light = gaussian(rng.normal(size=(size, size)), size / 4)
    light = 0.3 + 0.15 * light / np.abs(light).max()
    image = (
        light
        + 0.35 * gaussian(mask.astype("float64"), 1.2)
        + rng.normal(0, 0.12, (size, size))
    )
    return 1000 + 3000 * image, mask  # in detector counts, as a camera would give them


# %%
# A common scale
# --------------
# Networks learn best from numbers around 0 to 1. Each image is scaled by its
# own 1st and 99th percentiles, which also copes with exposure changing from
# image to image.


def normalised(image):
    low, high = np.percentile(image, (1, 99))
    return ((image - low) / (high - low)).astype("float32")


sets = {}
for name, count in zip(("train", "validation", "test"), COUNTS):
    pairs = [micrograph(128, rng) for _ in range(count)]
    sets[name] = (
        np.stack([normalised(image) for image, _ in pairs]),
        np.stack([mask for _, mask in pairs]),
    )
np.savez_compressed(
    output(STEP, "micrographs.npz"),
    **{
        f"{key}_{part}": value
        for key, (x, y) in sets.items()
        for part, value in (("images", x), ("masks", y))
    },
)
run.table(
    "The data set",
    [
        {
            "method": name,
            "images": len(x),
            "pixels each": "128 x 128",
            "particle fraction": float(y.mean()),
        }
        for name, (x, y) in sets.items()
    ],
)

# %%
# Look at the data
# ----------------
# The two top panels look alike: scaling changes the numbers (read the colour
# bars), not the picture.
raw, mask = micrograph(128, np.random.default_rng(0))
fig, axes = plt.subplots(2, 2, figsize=(10, 8.4), layout="constrained")
fig.suptitle("One micrograph: raw counts, normalised, its particles, and the histogram")
for ax, shown, title, label in (
    (axes[0, 0], raw, "raw detector counts", "counts"),
    (axes[0, 1], normalised(raw), "normalised: the same picture, new numbers", "value"),
):
    picture = ax.imshow(shown, cmap="gray")
    fig.colorbar(picture, ax=ax, fraction=0.046, label=label)
    ax.set_title(title)
axes[1, 0].imshow(mask, cmap="gray")
axes[1, 0].set_title("particles (the answer)")
for ax in (axes[0, 0], axes[0, 1], axes[1, 0]):
    ax.set_axis_off()
axes[1, 1].hist(normalised(raw).ravel(), bins=60, color="0.4")
axes[1, 1].set(title="normalised intensities", xlabel="value", ylabel="pixels")

# %%
# Conclusion
# ----------
# The test set is put aside now and only used in step 8: an honest score needs
# images that played no part in any decision. Next: which network?

# sphinx_gallery_parallel = False
