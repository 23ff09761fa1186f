"""Figures the gallery draws the same way on every page: training curves, score charts, zoomed comparisons."""

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


def score_chart(comparison, metrics=None):
    """Every method's mean score with its 95 % interval, one panel per metric
    (by default the metrics the comparison gives verdicts on); the network in colour."""
    import matplotlib.pyplot as plt

    record = comparison.record()
    metrics = metrics or [verdict["metric"] for verdict in record["verdicts"]]
    rows = record["rows"]
    fig, axes = plt.subplots(
        1,
        len(metrics),
        figsize=(max(8.0, 4.2 * len(metrics) + 1.5), 0.45 * len(rows) + 1.4),  # >= 600 px shown
        sharey=True,
        squeeze=False,
    )
    positions = range(len(rows))[::-1]
    for ax, metric in zip(axes[0], metrics, strict=True):
        for position, row in zip(positions, rows, strict=True):
            mine = row["method"] == record["network"]
            mean, low, high = row[metric], row[f"{metric} low"], row[f"{metric} high"]
            ax.errorbar(
                mean,
                position,
                xerr=[[mean - low], [high - mean]],
                fmt="o",
                color="tab:orange" if mine else "0.35",
                capsize=3,
                ms=7 if mine else 5,
            )
        arrow = "higher" if record["metrics"][metric] > 0 else "lower"
        ax.set(xlabel=f"{metric} ({arrow} is better)")
        ax.grid(axis="x", alpha=0.3)
    axes[0, 0].set_yticks(list(positions), [row["method"] for row in rows])
    fig.suptitle(f"Mean and 95 % interval over {record['count']} held-out {record['items']}")
    fig.tight_layout()
    return fig


def zoomed_panels(images, region, title, columns=2, **shown):
    """Images side by side, at most ``columns`` to a row, each with the same
    ``region`` (a pair of slices) boxed and enlarged in an inset.

    ``shown`` goes to ``imshow`` (by default grey levels from 0 to 1); an image
    given as ``(image, settings)`` is shown with those settings instead.
    """
    import matplotlib.pyplot as plt

    shown = {"cmap": "gray", "vmin": 0, "vmax": 1, "interpolation": "nearest", **shown}
    rows = -(-len(images) // columns)
    panels = {name: image if isinstance(image, tuple) else (image, {}) for name, image in images.items()}
    first = next(iter(panels.values()))[0]
    width = 11
    height = rows * width / columns * first.shape[0] / first.shape[1] + 0.8
    fig, axes = plt.subplots(rows, columns, figsize=(width, height), squeeze=False)
    (top, bottom), (left, right) = (region[0].start, region[0].stop), (region[1].start, region[1].stop)
    # with fewer images than axes, the spare axes stay empty
    for ax, (name, (image, settings)) in zip(axes.ravel(), panels.items(), strict=False):
        ax.imshow(image, **{**shown, **settings})
        inset = ax.inset_axes([0.54, 0.02, 0.44, 0.44])
        inset.imshow(image, **{**shown, **settings})
        inset.set(xlim=(left - 0.5, right - 0.5), ylim=(bottom - 0.5, top - 0.5), xticks=[], yticks=[])
        ax.indicate_inset_zoom(inset, edgecolor="red", alpha=1)
        for spine in inset.spines.values():
            spine.set_edgecolor("red")
        ax.set_title(name)
    for ax in axes.ravel():
        ax.set_axis_off()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def error_maps(images, truth, title):
    """Where each image departs from ``truth``: the absolute difference, on one
    colour scale for all (so a darker map is a closer answer), at most three to a row."""
    import matplotlib.pyplot as plt
    import numpy as np

    errors = {name: np.abs(image - truth) for name, image in images.items()}
    top = max(float(np.percentile(error, 99.5)) for error in errors.values())
    columns = min(3, len(errors))
    rows = -(-len(errors) // columns)
    width = 4.6 * columns + 1.2
    height = rows * (width - 1.2) / columns * truth.shape[0] / truth.shape[1] + 1.2
    fig, axes = plt.subplots(rows, columns, figsize=(width, height), squeeze=False, layout="constrained")
    for ax, (name, error) in zip(axes.ravel(), errors.items(), strict=False):
        shown = ax.imshow(error, cmap="magma", vmin=0, vmax=top)
        ax.set_title(f"{name}\nmean error {error.mean():.3f}")
    for ax in axes.ravel():
        ax.set_axis_off()
    fig.colorbar(shown, ax=axes.ravel().tolist(), shrink=0.8, label="absolute error")
    fig.suptitle(title)
    return fig
