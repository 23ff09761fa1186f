"""Figures the gallery draws the same way on every page: training curves, scores, sweeps, zooms.

Every figure lays itself out with matplotlib's constrained layout (titles never
overlap panels); a zoom is placed where the image has structure
(:func:`busiest_region`), and label images carry a key of their colours.
"""

from __future__ import annotations


def training_curve(history, ylabel: str, log: bool = False):
    """The training and validation loss per epoch of a Keras ``History``.

    Parameters
    ----------
    history : keras.callbacks.History
        What ``model.fit`` returned (with validation data).
    ylabel : str
        What the loss is ("mean squared error").
    log : bool
        A logarithmic loss axis.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> history = SimpleNamespace(history={"loss": [0.3, 0.2, 0.15], "val_loss": [0.35, 0.25, 0.2]})
    >>> figure = training_curve(history, "mean squared error")
    >>> figure.axes[0].get_xlabel(), all(tick.is_integer() for tick in figure.axes[0].get_xticks())
    ('epoch', True)
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
    epochs = range(1, len(history.history["loss"]) + 1)
    ax.plot(epochs, history.history["loss"], "o-", ms=3, label="training")
    ax.plot(epochs, history.history["val_loss"], "o-", ms=3, label="validation")
    ax.set(
        xlabel="epoch",
        ylabel=ylabel,
        title="Training curve: loss per epoch",
        yscale="log" if log else "linear",
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole
    ax.legend()
    return fig


def score_chart(comparison, metrics=None):
    """Every method's mean score with its 95 % interval, one panel per metric; the network in colour.

    Parameters
    ----------
    comparison : dlis_gallery.results.Comparison
        The measured comparison.
    metrics : list of str, optional
        The metrics to show; by default those the comparison gives verdicts on.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from dlis_gallery.results import Comparison
    >>> scores = {"PSNR (dB)": {"BM3D": [30.1, 29.8, 31.0], "Network": [31.2, 30.9, 31.5]}}
    >>> compared = Comparison(scores, network="Network", items="crops", verdict_on=["PSNR (dB)"])
    >>> len(score_chart(compared).axes)
    1
    """
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
        layout="constrained",
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
    return fig


def sweep_chart(sweep, title=None):
    """The network's margin over the best other method at each level of a sweep, with its
    95 % interval; levels where it is ahead shaded, each crossover marked.

    Parameters
    ----------
    sweep : dlis_gallery.sweeps.Sweep
        The measured sweep.
    title : str, optional
        The figure's title; by default it names the knob.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from dlis_gallery.sweeps import Sweep
    >>> swept = Sweep({2: {"BM3D": [20.0, 21.0, 20.5], "Network": [22.0, 23.1, 22.4]},
    ...                50: {"BM3D": [30.0, 31.0, 30.5], "Network": [30.1, 30.9, 30.6]}},
    ...               knob="photons per pixel", metric="PSNR (dB)", network="Network", items="crops")
    >>> sweep_chart(swept).axes[0].get_xlabel()
    'photons per pixel'
    """
    import matplotlib.pyplot as plt
    import numpy as np

    record = sweep.record()
    levels = np.array([verdict["level"] for verdict in record["verdicts"]], dtype=float)
    margins = np.array([verdict["margin"] for verdict in record["verdicts"]])
    low = np.array([verdict["low"] for verdict in record["verdicts"]])
    high = np.array([verdict["high"] for verdict in record["verdicts"]])
    logarithmic = levels.min() > 0 and levels.max() / levels.min() >= 10
    fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
    ax.axhline(0, color="0.4", lw=1)
    ahead = np.array([verdict["outcome"] == "ahead" for verdict in record["verdicts"]])
    ax.fill_between(levels, 0, np.where(ahead, high, 0), color="tab:orange", alpha=0.15, lw=0)
    bars = [margins - low, high - margins]
    ax.errorbar(levels, margins, yerr=bars, fmt="o-", color="tab:orange", capsize=4)
    for crossover in record["crossovers"]:
        a, b = crossover["between"]
        where = float(np.sqrt(a * b)) if logarithmic else (a + b) / 2
        ax.axvline(where, color="tab:blue", ls="--", lw=1.2)
        ax.annotate(
            f"{crossover['from']} → {crossover['to']}",
            (where, ax.get_ylim()[1]),
            textcoords="offset points",
            xytext=(4, -14),
            fontsize=10,
            color="tab:blue",
        )
    if logarithmic:
        ax.set_xscale("log")
    ax.set_xticks(levels, [f"{level:g}" for level in levels])
    ax.minorticks_off()
    ax.set(
        xlabel=record["knob"],
        ylabel=f"margin in {record['metric']}",
        title=title or f"{record['network']} against the best {record['against']}: above zero it is better",
    )
    ax.grid(alpha=0.3)
    return fig


def busiest_region(image, shape=(48, 48)):
    """The window of ``shape`` where ``image`` has the most structure (the largest mean
    gradient), as the pair of slices :func:`zoomed_panels` enlarges.

    Examples
    --------
    >>> import numpy as np
    >>> image = np.zeros((100, 100))
    >>> image[60:, 70:] = 1  # two edges, meeting at (60, 70)
    >>> rows, columns = busiest_region(image, (20, 20))
    >>> (rows.start, rows.stop), (columns.start, columns.stop)
    ((59, 79), (69, 89))
    """
    import numpy as np
    from scipy.ndimage import uniform_filter
    from skimage.filters import sobel

    rows, columns = shape
    energy = uniform_filter(sobel(np.asarray(image, float)), size=shape, mode="constant")
    half_rows, half_columns = rows // 2, columns // 2
    inside = energy[
        half_rows : image.shape[0] - rows + half_rows + 1,
        half_columns : image.shape[1] - columns + half_columns + 1,
    ]
    top, left = np.unravel_index(int(np.argmax(inside)), inside.shape)
    return slice(int(top), int(top) + rows), slice(int(left), int(left) + columns)


def zoomed_panels(images, region, title, columns=2, legend=None, **shown):
    """Images side by side, at most ``columns`` to a row, each with the same
    ``region`` (a pair of slices) boxed and enlarged in an inset.

    Parameters
    ----------
    images : mapping
        Title -> image (2-D), or title -> ``(image, settings)`` to show one image
        with other ``imshow`` settings.
    region : tuple of slice
        The rows and columns to enlarge (:func:`busiest_region` finds where
        an image has structure).
    title : str
        The figure's title.
    columns : int
        Images per row.
    legend : mapping, optional
        For label images: label -> name, drawn as a key of their colours.
    **shown
        Settings for ``imshow``; by default grey levels from 0 to 1.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> image = np.random.default_rng(0).random((64, 64))
    >>> figure = zoomed_panels({"noisy": image, "smooth": image / 2}, busiest_region(image, (16, 16)), "Zoom")
    >>> len(figure.axes) >= 2
    True
    >>> labels = {"labels": np.arange(64 * 64).reshape(64, 64) % 3}
    >>> key = zoomed_panels(labels, (slice(0, 8), slice(0, 8)), "Phases", legend={0: "a", 1: "b", 2: "c"},
    ...                     cmap="viridis", vmin=0, vmax=2).legends[0]
    >>> [text.get_text() for text in key.get_texts()]
    ['a', 'b', 'c']
    """
    import matplotlib.pyplot as plt

    shown = {"cmap": "gray", "vmin": 0, "vmax": 1, "interpolation": "nearest", **shown}
    rows = -(-len(images) // columns)
    panels = {name: image if isinstance(image, tuple) else (image, {}) for name, image in images.items()}
    first = next(iter(panels.values()))[0]
    width = 11
    height = rows * width / columns * first.shape[0] / first.shape[1] + (1.4 if legend else 0.8)
    fig, axes = plt.subplots(rows, columns, figsize=(width, height), squeeze=False, layout="constrained")
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
    if legend:
        _colour_key(fig, legend, shown)
    fig.suptitle(title)
    return fig


def _colour_key(fig, legend, shown, more=()):
    """A key of the colours of the labels in ``legend`` (label -> name) as ``shown``'s
    ``cmap``, ``vmin`` and ``vmax`` draw them, with ``more`` patches after, under the figure."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    colours = plt.get_cmap(shown.get("cmap", "viridis"))
    low, high = shown.get("vmin", 0), shown.get("vmax", max(legend))
    span = max(high - low, 1)
    key = [Patch(color=colours((value - low) / span), label=name) for value, name in legend.items()]
    key += list(more)
    fig.legend(handles=key, loc="outside lower center", ncols=len(key), frameon=False)


def error_maps(images, truth, title):
    """Where each image departs from ``truth``: the absolute difference, on one
    colour scale for all (so a darker map is a closer answer), at most three to a row.

    Parameters
    ----------
    images : mapping
        Title -> result, each the shape of ``truth``.
    truth : numpy.ndarray
        The true image.
    title : str
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> truth = np.zeros((32, 32))
    >>> figure = error_maps({"a": truth + 0.1, "b": truth + 0.2}, truth, "Errors")
    >>> figure.axes[0].get_title().splitlines()
    ['a', 'mean error 0.100']
    """
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


def orthogonal_views(volumes, spacing, title, truth=None, legend=None, **shown):
    """Three slices through the middle of each volume, as a 3-D viewer shows them: the XY
    plane, and the XZ and YZ planes across it, drawn to scale; one row a volume.

    Parameters
    ----------
    volumes : mapping
        Title -> volume (z, y, x), or title -> ``(volume, settings)`` to show one
        with other ``imshow`` settings (a grey input beside label volumes).
    spacing : tuple of float
        The voxel size along z, y and x (the planes are drawn to this scale).
    title : str
        The figure's title.
    truth : numpy.ndarray, optional
        True labels: voxels of a label volume that differ from them are marked
        red (``truth`` itself, and volumes given with their own settings, are
        left unmarked).
    legend : mapping, optional
        For label volumes: label -> name, drawn as a key of their colours.
    **shown
        Settings for ``imshow`` of the label volumes.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> labels = np.random.default_rng(0).integers(0, 3, (8, 20, 24))
    >>> figure = orthogonal_views({"truth": labels, "found": labels % 2}, (2.0, 1.0, 1.0), "Phases",
    ...                           truth=labels, cmap="viridis", vmin=0, vmax=2)
    >>> [axis.get_title() for axis in figure.axes[:3]]
    ['truth: XY (z = 4)', 'XZ (y = 10)', 'YZ (x = 12)']
    >>> "wrong" in figure.axes[3].get_title()
    True
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Patch

    depth_z, depth_y, depth_x = spacing
    panels = {name: shown if isinstance(shown, tuple) else (shown, None) for name, shown in volumes.items()}
    first = next(iter(panels.values()))[0]
    planes, rows, cols = first.shape
    middle = (planes // 2, rows // 2, cols // 2)
    extents = [cols * depth_x, cols * depth_x, rows * depth_y]  # the panels' widths, to scale
    heights = [rows * depth_y, planes * depth_z, planes * depth_z]
    width = 11
    scale = width / sum(extents)
    height = len(panels) * max(heights) * scale + (1.4 if legend else 0.8)
    fig, axes = plt.subplots(
        len(panels), 3, figsize=(width, height), squeeze=False, layout="constrained",
        gridspec_kw={"width_ratios": extents},
    )  # fmt: skip
    red = np.array([1.0, 0.1, 0.1, 1.0])
    for row, (name, (volume, settings)) in zip(axes, panels.items(), strict=True):
        cuts = _middle_planes(volume, middle)
        aspects = (depth_y / depth_x, depth_z / depth_x, depth_z / depth_y)
        wrong = None
        if truth is not None and settings is None and volume is not truth:
            wrong = [true != cut for true, cut in zip(_middle_planes(truth, middle), cuts, strict=True)]
        for index, (ax, cut, aspect) in enumerate(zip(row, cuts, aspects, strict=True)):
            ax.imshow(cut, aspect=aspect, interpolation="nearest", **(settings or shown))
            if wrong is not None:
                overlay = np.zeros((*cut.shape, 4))
                overlay[wrong[index]] = red
                ax.imshow(overlay, aspect=aspect, interpolation="nearest")
            ax.set_axis_off()
        label = f"{name}: XY (z = {middle[0]})"
        if wrong is not None:
            label += f", {np.mean(truth != volume):.1%} wrong"
        row[0].set_title(label)
        row[1].set_title(f"XZ (y = {middle[1]})")
        row[2].set_title(f"YZ (x = {middle[2]})")
    if legend:
        _colour_key(fig, legend, shown, [Patch(color=red, label="wrong")] if truth is not None else [])
    fig.suptitle(title)
    return fig


def _middle_planes(volume, middle):
    """The XY, XZ and YZ planes of ``volume`` through the voxel ``middle``."""
    return volume[middle[0]], volume[:, middle[1]], volume[:, :, middle[2]]


def phase_surfaces(masks, spacing, title, step=2):
    """The surface of a phase, rendered in 3-D (``skimage.measure.marching_cubes``), side by
    side for each mask, with its area in the title.

    Parameters
    ----------
    masks : mapping
        Title -> boolean volume (z, y, x): where the phase is.
    spacing : tuple of float
        The voxel size along z, y and x.
    title : str
        The figure's title.
    step : int
        marching_cubes' step: 2 draws a quarter of the triangles (the area is
        measured at full resolution).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> ball = np.linalg.norm(np.mgrid[-8:9, -8:9, -8:9], axis=0) < 6
    >>> figure = phase_surfaces({"ball": ball, "none": ball & False}, (1.0, 1.0, 1.0), "A ball")
    >>> [axis.get_title().split(",")[0] for axis in figure.axes]
    ['ball', 'none']
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection
    from skimage.measure import marching_cubes, mesh_surface_area

    fig = plt.figure(figsize=(3.7 * len(masks), 4.2), layout="constrained")
    for index, (name, mask) in enumerate(masks.items()):
        ax = fig.add_subplot(1, len(masks), index + 1, projection="3d")
        padded = np.pad(mask.astype("float32"), 1)  # closed surfaces where the phase meets the edge
        area = 0.0
        if padded.max() > 0:  # a phase found nowhere has no surface
            vertices, faces, *_ = marching_cubes(padded, 0.5, spacing=spacing)
            area = mesh_surface_area(vertices, faces)
            drawn, triangles, *_ = marching_cubes(padded, 0.5, spacing=spacing, step_size=step)
            surface = Poly3DCollection(drawn[triangles][:, :, ::-1], linewidths=0, alpha=0.9)
            surface.set_facecolor("tab:orange")
            ax.add_collection3d(surface)
        extent = np.array(mask.shape[::-1]) * np.array(spacing[::-1])
        ax.set(xlim=(0, extent[0]), ylim=(0, extent[1]), zlim=(0, extent[2]), xticks=[], yticks=[], zticks=[])
        ax.set_box_aspect(extent)
        ax.set_title(f"{name}, surface {area:,.0f}")
    fig.suptitle(title)
    return fig
