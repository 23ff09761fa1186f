"""
Your own images: a 16-bit, two-channel z-stack, segmented slice by slice
========================================================================

A microscope does not hand you a float image scaled to [0, 1]. It writes a
TIFF file: 16-bit counts, several channels, several focal planes. This page
takes such a file from disk to a saved result, the way the guide's last step
applies a trained network to new images
(:timestamp:`00:17:50 </guides/dragonfly-daily-15#step-application>`):
read the stack, choose a channel, bring it to the scale the network learnt,
segment every plane in overlapping tiles, and save the labels as a TIFF
beside the original.

The network is the U-Net of the nine training steps, trained on synthetic
particle micrographs. Nothing can be downloaded while this site is built, so
the page first writes the file a microscope would have written; with your
own file, start at "Read the stack".
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np
import tifffile
from skimage.filters import gaussian
from skimage.measure import label

from dlis_gallery import start_run
from dlis_gallery.metrics import iou_per_class
from dlis_gallery.networks import percentile_normalise, predict_tiled
from dlis_gallery.workflow import definitions, result

run = start_run("own_images")
PLANES = run.pick(smoke=2, quick=5, full=9)
rng = np.random.default_rng(21)

# %%
# The file a microscope writes
# ----------------------------
# Channel 0 shows particles (the micrographs of training step 1, in detector
# counts); channel 1 a smooth second stain. Each plane is cropped to 121 x 117
# pixels: a size the network was not built for. ImageJ's TIFF flavour records
# the axes, so Fiji opens the file as a hyperstack.
micrograph = definitions("plot_1_data_input.py")["micrograph"]
planes, truth = [], []
for _ in range(PLANES):
    particles, mask = micrograph(128, rng)
    field = gaussian(rng.normal(size=(128, 128)), 8)
    stain = 1000 + 150 * field / field.std()
    planes.append(np.stack([particles, stain])[:, :121, :117])
    truth.append(mask[:121, :117])
stack = np.clip(np.stack(planes), 0, 65535).astype("uint16")
tifffile.imwrite("my_stack.tif", stack, imagej=True, metadata={"axes": "ZCYX"})

# %%
# Read the stack
# --------------
# ``tifffile`` reads the counts as they are, with their axes. Everything from
# here on is what you would run on your own file.
with tifffile.TiffFile("my_stack.tif") as tiff:
    stack = tiff.asarray()
    axes = tiff.series[0].axes
print(f"{axes}: {stack.shape}, {stack.dtype}, counts {stack.min()} to {stack.max()}")

# %%
# Choose a channel and a scale
# ----------------------------
# The network learnt one channel of particles, each image scaled by its own
# 1st and 99th percentiles (training step 1). The same scaling here, plane by
# plane, puts your counts where the network expects them, whatever the
# camera's offset and gain.
CHANNEL = axes.index("C")
particles = np.take(stack, 0, axis=CHANNEL)  # Z, Y, X
scaled = np.stack([percentile_normalise(plane, 1, 99) for plane in particles])

# %%
# Segment every plane in overlapping tiles
# ----------------------------------------
# The U-Net needs sides divisible by 4; tiles of 64 pixels with 16-pixel
# margins (windows of 96) take any plane size, and memory does not grow with
# the plane. A positive score means particle.
unet = keras.saving.load_model(result("plot_4_model_training.py", "unet.keras"))
with run.timed("segmentation"):
    scores = [predict_tiled(unet, plane, tile=64, margin=16) for plane in scaled]
    found = np.stack(scores) > 0
rows = [
    {
        "plane": z,
        "true particles": int(label(truth[z]).max()),
        "particles found": int(label(found[z]).max()),
        "IoU": iou_per_class(truth[z], found[z], 2)[1],
    }
    for z in range(PLANES)
]
run.table("Each plane: particles counted, and overlap with the truth", rows)

# %%
# Save the result beside the original
# -----------------------------------
# 8-bit labels with the same Z, Y, X axes: open both files in Fiji and overlay
# them.
labels = found.astype("uint8")
tifffile.imwrite(
    "my_stack_particles.tif", labels, imagej=True, metadata={"axes": "ZYX"}
)
saved = tifffile.imread("my_stack_particles.tif")
print(f"saved my_stack_particles.tif: {saved.shape}, {saved.dtype}")

# %%
# Look at one plane
# -----------------
# The raw counts (with their colour bar), the scaled plane the network sees,
# and the particles it found, outlined in orange over the true ones in white.
fig, axes_ = plt.subplots(1, 3, figsize=(13, 4.6), layout="constrained")
fig.suptitle("Plane 0 of the stack: raw counts, scaled input, particles found")
shown = axes_[0].imshow(particles[0], cmap="gray")
fig.colorbar(shown, ax=axes_[0], fraction=0.046, label="counts")
axes_[0].set_title("channel 0, raw (16-bit)")
shown = axes_[1].imshow(scaled[0], cmap="gray")
fig.colorbar(shown, ax=axes_[1], fraction=0.046, label="scaled")
axes_[1].set_title("scaled by its percentiles")
axes_[2].imshow(truth[0], cmap="gray")
axes_[2].contour(found[0], levels=[0.5], colors="orange", linewidths=1)
axes_[2].set_title("found (orange) over truth (white)")
for ax in axes_:
    ax.set_axis_off()

# %%
# Limits
# ------
# The network learnt particles about 6 pixels across on an unevenly lit
# background, from synthetic micrographs. On your images, check the table's
# kind of numbers on a few planes you have annotated by hand before you count
# anything; if particles are much larger or smaller, rescale the planes or
# retrain on your own annotations (the nine training steps show how).

# sphinx_gallery_parallel = False
