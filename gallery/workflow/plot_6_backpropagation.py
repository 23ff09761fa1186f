"""
Step 6, backpropagation: which weights does one training step change, and by how much?
=======================================================================================

Backpropagation finds, for every weight, how the cost changes when the weight
changes: the gradient (:timestamp:`00:14:28 </guides/dragonfly-daily-15#step-backpropagation>`).
We take the trained U-Net of step 4, compute the gradient of the cost on one
batch, see how it is spread over the layers, and take one small step against
it to watch the cost fall. (The concepts page on backpropagation does the
chain rule by hand.)
"""

# %%
# Setup
# -----
import keras
import matplotlib.pyplot as plt
import numpy as np

from dlis_gallery import start_run
from dlis_gallery.workflow import definitions, result

run = start_run("workflow_6_backpropagation")
data = np.load(result("plot_1_data_input.py", "micrographs.npz"))
pairs = definitions("plot_3_training_data.py")["pairs"]
trained = keras.saving.load_model(result("plot_4_model_training.py", "unet.keras"))
x, y = pairs(data["validation_images"], data["validation_masks"], 16, seed=2)
cost = keras.losses.BinaryCrossentropy(from_logits=True)

# %%
# The gradient of every weight
# ----------------------------
# One step of plain gradient descent with learning rate 1 subtracts exactly
# the gradient the backend computed by backpropagation, so the gradient is the
# weights before minus the weights after.


def copy_of(model, optimizer):
    twin = keras.models.clone_model(model)
    twin.set_weights(model.get_weights())
    twin.compile(optimizer=optimizer, loss=cost)
    return twin


probe = copy_of(trained, keras.optimizers.SGD(learning_rate=1.0))
before = probe.get_weights()
probe.train_on_batch(x, y)
gradients = [b - a for b, a in zip(before, probe.get_weights())]
names = [weight.path for weight in probe.weights]
kernels = [
    (name.split("/")[0], float(np.sqrt(np.mean(g**2))))
    for name, g in zip(names, gradients)
    if name.endswith("kernel")
]

# %%
# One small step downhill
# -----------------------
# The same gradient, scaled by a small enough learning rate, should lower the
# cost of the batch: that is one iteration of training. Too large a step can
# overshoot. The change column says which happened here.
start = float(keras.ops.convert_to_numpy(cost(y, trained(x))))
rows = [{"method": "trained model", "cost on the batch": start, "change": 0.0}]
for rate in (0.003, 0.03, 0.3):
    stepped = copy_of(trained, keras.optimizers.SGD(learning_rate=rate))
    stepped.train_on_batch(x, y)
    after = float(keras.ops.convert_to_numpy(cost(y, stepped(x))))
    rows.append(
        {
            "method": f"after one step, learning rate {rate}",
            "cost on the batch": after,
            "change": after - start,
        }
    )
run.table("One gradient step on 16 validation pairs", rows)

# %%
# How strongly the batch pulls on each layer's weights:
fig, ax = plt.subplots(figsize=(7, 3.4), layout="constrained")
ax.bar(range(len(kernels)), [value for _, value in kernels], color="steelblue")
ax.set_xticks(
    range(len(kernels)),
    [name for name, _ in kernels],
    rotation=30,
    ha="right",
    fontsize="small",
)
ax.set(
    ylabel="RMS gradient of the kernel",
    title="How strongly one batch pulls on each layer's weights",
)

# %%
# Conclusion
# ----------
# Backpropagation gives every weight its share of the blame; the optimizer
# moves each weight a little against it. Repeating this is step 7.
