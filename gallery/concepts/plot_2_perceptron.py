"""
What is a perceptron, and is it the same as a Keras ``Dense(1)`` layer?
=======================================================================

A perceptron weighs its inputs, adds a bias and says yes or no
(:timestamp:`00:06:38 </guides/dragonfly-daily-15#perceptron>`). It is the
building block of every network in this gallery. We write one in NumPy from
its update rule, train the equivalent ``keras.layers.Dense(1)``, and let both
separate two classes of pixels of ``coins``: coin or background, from two
features of each pixel.
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np
from scipy import ndimage as ndi
from skimage.filters import threshold_otsu

from dlis_gallery import start_run
from dlis_gallery.images import bundled_gray

run = start_run("perceptron")
EPOCHS = run.pick(smoke=2, quick=30, full=60)
rng = np.random.default_rng(4)

# %%
# Two features per pixel
# ----------------------
# The pixel's brightness after a light blur, and the local contrast (standard
# deviation in a 7x7 window). The labels come from an Otsu threshold of a
# strongly blurred image: coin (1) or background (0).
coins = bundled_gray("coins")
brightness = ndi.gaussian_filter(coins, 1)
contrast = np.sqrt(
    np.maximum(ndi.uniform_filter(coins**2, 7) - ndi.uniform_filter(coins, 7) ** 2, 0)
)
labels = (
    ndi.gaussian_filter(coins, 4) > threshold_otsu(ndi.gaussian_filter(coins, 4))
).astype("float32")
features = np.stack([brightness.ravel(), contrast.ravel()], axis=1)
picked = rng.choice(features.shape[0], 4000, replace=False)
train, test = picked[:3000], picked[3000:]
# Standardise with the training pixels' mean and spread only: the test pixels
# must play no part in any choice, not even this one.
features = (features - features[train].mean(axis=0)) / features[train].std(axis=0)
x_train, y_train, x_test, y_test = (
    features[train],
    labels.ravel()[train],
    features[test],
    labels.ravel()[test],
)

# %%
# The perceptron in NumPy
# -----------------------
# Predict 1 when :math:`w \cdot x + b > 0`. For each wrong answer, move the
# weights towards the right one: :math:`w \leftarrow w + \eta\,(y - \hat y)\,x`.
weights, bias, rate = np.zeros(2), 0.0, 0.1
for _ in range(EPOCHS):
    for x, y in zip(x_train, y_train):
        predicted = float(weights @ x + bias > 0)
        weights += rate * (y - predicted) * x
        bias += rate * (y - predicted)
numpy_accuracy = float(np.mean((x_test @ weights + bias > 0) == y_test))

# %%
# The same in Keras
# -----------------
# ``Dense(1)`` computes the same weighted sum. Keras trains it by gradient
# descent, so the step becomes a sigmoid (a soft yes/no) and the update rule
# becomes the gradient of the cross-entropy; the decision is still
# :math:`w \cdot x + b > 0`.
model = keras.Sequential(
    [keras.Input(shape=(2,)), keras.layers.Dense(1, activation="sigmoid")]
)
model.compile(optimizer=keras.optimizers.SGD(0.5), loss="binary_crossentropy")
with run.timed("training"):
    model.fit(x_train, y_train, epochs=EPOCHS, batch_size=32, verbose=0)
dense_weights, dense_bias = (
    keras.ops.convert_to_numpy(value) for value in model.layers[0].weights
)
keras_accuracy = float(
    np.mean((x_test @ dense_weights[:, 0] + dense_bias[0] > 0) == y_test)
)
rows = [
    {"method": "perceptron (NumPy update rule)", "held-out accuracy": numpy_accuracy},
    {"method": "keras Dense(1) + sigmoid", "held-out accuracy": keras_accuracy},
]
run.table("Coin or background, 1000 pixels not used in training", rows)

# %%
# Both draw a straight line
# -------------------------
# A perceptron's decision boundary is always a straight line in feature
# space: the line where the weighted sum is zero.
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
fig.suptitle(
    "Pixels of coins in feature space, and the line each perceptron draws between the "
    "classes"
)
left.scatter(*x_test.T, c=y_test, cmap="coolwarm", s=6, alpha=0.6)
span = np.linspace(features[:, 0].min(), features[:, 0].max(), 2)
for (w, b), style, name in [
    ((weights, bias), "-", "NumPy"),
    ((dense_weights[:, 0], dense_bias[0]), "--", "Keras"),
]:
    left.plot(
        span, -(w[0] * span + b) / w[1], style, color="k", label=f"{name} boundary"
    )
left.set(
    xlabel="brightness (standardised)",
    ylabel="local contrast (standardised)",
    ylim=(-2, 4),
)
left.legend()
right.imshow(
    ((features @ dense_weights[:, 0] + dense_bias[0]) > 0).reshape(coins.shape),
    cmap="gray",
)
right.set_title("Pixels the Keras perceptron calls coin")
right.set_axis_off()

# %%
# Conclusion
# ----------
# A Keras ``Dense(1)`` layer *is* a perceptron with a soft step. It can only
# separate classes that a straight line separates; the next page shows what
# hidden layers add.

# sphinx_gallery_thumbnail_number = 1
