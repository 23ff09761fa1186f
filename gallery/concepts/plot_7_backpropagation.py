"""
Where do a network's gradients come from? Backpropagation by hand
=================================================================

Training adjusts each weight against the gradient of the error; backpropagation
is how those gradients are computed, by the chain rule, layer by layer from the
output back (:timestamp:`00:14:28 </guides/dragonfly-daily-15#backpropagation>`).
We do it by hand in NumPy for a two-layer network, check it against the
backend's automatic differentiation and against finite differences, then watch
gradient descent walk down a loss surface.
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np

from dlis_gallery import start_run
from dlis_gallery.images import bundled_gray

run = start_run("backpropagation")
rng = np.random.default_rng(9)

# %%
# A two-layer network and its data
# --------------------------------
# Predict a pixel of ``camera`` from the three pixels to its left: inputs
# :math:`x` (3 numbers), a hidden layer :math:`h = \tanh(x W_1 + b_1)` of 4
# neurons, and the output :math:`\hat y = h W_2 + b_2`. The cost is the mean
# squared error over the :math:`n` examples:
#
# .. math:: L = \frac{1}{n} \sum_i (\hat y_i - y_i)^2
camera = bundled_gray("camera").astype("float64")
rows, cols = rng.integers(0, 512, 64), rng.integers(3, 512, 64)
x = np.stack(
    [camera[rows, cols - 3], camera[rows, cols - 2], camera[rows, cols - 1]], axis=1
)
y = camera[rows, cols][:, None]
W1, b1 = rng.normal(0, 0.5, (3, 4)), rng.normal(0, 0.1, 4)
W2, b2 = rng.normal(0, 0.5, (4, 1)), rng.normal(0, 0.1, 1)


def forward(W1, b1, W2, b2):
    h = np.tanh(x @ W1 + b1)
    return h, h @ W2 + b2


def loss(W1, b1, W2, b2):
    return float(np.mean((forward(W1, b1, W2, b2)[1] - y) ** 2))


# %%
# Backpropagation by hand
# -----------------------
# Start at the cost and apply the chain rule one layer at a time. With
# :math:`\delta = \partial L / \partial \hat y = 2 (\hat y - y) / n`:
#
# .. math:: \frac{\partial L}{\partial W_2} = h^T \delta, \quad \frac{\partial L}{\partial b_2} = \sum_i \delta_i
#
# .. math:: \frac{\partial L}{\partial z} = (\delta W_2^T) \odot (1 - h^2), \quad z = x W_1 + b_1
#
# .. math:: \frac{\partial L}{\partial W_1} = x^T \frac{\partial L}{\partial z}, \quad \frac{\partial L}{\partial b_1} = \sum_i \frac{\partial L}{\partial z_i}
h, y_hat = forward(W1, b1, W2, b2)
delta = 2 * (y_hat - y) / len(y)
by_hand = {"W2": h.T @ delta, "b2": delta.sum(axis=0)}
dz = (delta @ W2.T) * (1 - h**2)
by_hand |= {"W1": x.T @ dz, "b1": dz.sum(axis=0)}

# %%
# The backend's automatic gradients
# ---------------------------------
# Keras has no backend-neutral "gradient" function, but every optimizer uses
# the backend's automatic differentiation. One step of plain gradient descent
# with learning rate 1 subtracts exactly the gradient: the gradient is the
# weights before the step minus the weights after it.
model = keras.Sequential(
    [
        keras.Input(shape=(3,)),
        keras.layers.Dense(4, activation="tanh"),
        keras.layers.Dense(1),
    ]
)
start = [W1, b1, W2, b2]
model.set_weights([value.astype("float32") for value in start])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss="mse")
model.train_on_batch(x.astype("float32"), y.astype("float32"))
automatic = dict(
    zip(
        ("W1", "b1", "W2", "b2"),
        (before - after for before, after in zip(start, model.get_weights())),
    )
)

# %%
# Finite differences
# ------------------
# The slowest and most trustworthy check: nudge each weight by a tiny
# :math:`\epsilon` both ways and measure the change of the cost.


def finite_differences(epsilon=1e-6):
    found = {}
    for index, name in enumerate(("W1", "b1", "W2", "b2")):
        values = start[index]
        gradient = np.zeros_like(values)
        for position in np.ndindex(values.shape):
            nudged = [value.copy() for value in start]
            nudged[index][position] += epsilon
            up = loss(*nudged)
            nudged[index][position] -= 2 * epsilon
            gradient[position] = (up - loss(*nudged)) / (2 * epsilon)
        found[name] = gradient
    return found


numerical = finite_differences()


def largest_relative_difference(a, b):
    return max(
        float(np.abs(a[name] - b[name]).max() / np.abs(b[name]).max()) for name in a
    )


run.table(
    "Largest difference between gradients, relative to the largest gradient",
    [
        {
            "method": "by hand vs the backend's autodiff (float32)",
            "relative difference": largest_relative_difference(by_hand, automatic),
        },
        {
            "method": "by hand vs finite differences (float64)",
            "relative difference": largest_relative_difference(by_hand, numerical),
        },
    ],
)

# %%
# The two agree to the precision of the numbers used: single precision
# (float32, about 1e-7) for the backend, the finite-difference error for the
# numerical check.
#
# Walking down a loss surface
# ---------------------------
# With two weights we can draw the cost everywhere. A detector's response
# :math:`y = w\,x + b` is calibrated against known intensities; each gradient
# step (the same chain rule, now for two weights) moves downhill.
true_w, true_b = 1.8, -0.3
intensity = rng.uniform(0, 1, 50)
measured = true_w * intensity + true_b + rng.normal(0, 0.05, 50)
path = [np.array([-0.5, 1.2])]
for _ in range(run.pick(smoke=5, quick=80, full=80)):
    w, b = path[-1]
    error = w * intensity + b - measured
    path.append(
        path[-1] - 0.6 * np.array([2 * np.mean(error * intensity), 2 * np.mean(error)])
    )
path = np.array(path)
ws, bs = np.meshgrid(np.linspace(-1, 3, 120), np.linspace(-1.5, 1.5, 120))
surface = np.mean((ws[..., None] * intensity + bs[..., None] - measured) ** 2, axis=-1)
fig, ax = plt.subplots(figsize=(6, 4.5), layout="constrained")
ax.contour(ws, bs, np.log10(surface), levels=20, cmap="viridis")
ax.plot(*path.T, "o-", color="crimson", ms=3, label="gradient descent")
ax.plot(true_w, true_b, "k*", ms=12, label="true calibration")
ax.set(
    xlabel="gain w",
    ylabel="offset b",
    title="Cost of a calibration line over its two weights, and the descent",
)
ax.legend()
print(
    f"after {len(path) - 1} steps: w = {path[-1][0]:.3f}, b = {path[-1][1]:.3f} (true "
    f"{true_w}, {true_b})"
)

# %%
# Conclusion
# ----------
# Backpropagation is the chain rule, applied from the cost back to every
# weight; frameworks do it automatically and get the same numbers as a careful
# hand calculation. Training is then only many small steps against it.
