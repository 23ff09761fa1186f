"""Figures every training example draws the same way."""

from __future__ import annotations


def training_curve(history, ylabel: str, log: bool = False):
    """The training and validation loss per epoch of a Keras ``History``."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3))
    epochs = range(1, len(history.history["loss"]) + 1)
    ax.plot(epochs, history.history["loss"], "o-", ms=3, label="training")
    ax.plot(epochs, history.history["val_loss"], "o-", ms=3, label="validation")
    ax.set(
        xlabel="epoch",
        ylabel=ylabel,
        title="Training curve: loss per epoch",
        yscale="log" if log else "linear",
    )
    ax.legend()
    fig.tight_layout()
    return fig
