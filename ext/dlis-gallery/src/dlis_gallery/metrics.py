"""The scores the gallery reports, computed one way everywhere, and how sure we are of them.

Every application page compares a network with classical methods on held-out
images.  The scores (PSNR, SSIM, mean IoU, detection F1) and the interval
around a mean are defined here once, tested once, and imported by the
examples, so that two pages never disagree on what "F1" means.

Images are floats in [0, 1]: PSNR and SSIM use that data range, and clip a
result into it first (a method may overshoot; the detector cannot show it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

DATA_RANGE = 1.0
CONFIDENCE = 0.95
#: The range of each bounded score, by a word of its name: an interval never leaves it.
BOUNDS = {
    "SSIM": (-1.0, 1.0),
    "IoU": (0.0, 1.0),
    "F1": (0.0, 1.0),
    "precision": (0.0, 1.0),
    "recall": (0.0, 1.0),
    "error": (0.0, float("inf")),
}


def bounds_of(metric: str) -> tuple[float, float] | None:
    """The range of the score named ``metric`` (``"mean IoU"``, ``"recall, touching"``), if bounded.

    Examples
    --------
    >>> bounds_of("recall, touching"), bounds_of("PSNR (dB)")
    ((0.0, 1.0), None)
    """
    return next((bounds for word, bounds in BOUNDS.items() if word in metric), None)


def psnr(reference: np.ndarray, image: np.ndarray) -> float:
    """Peak signal-to-noise ratio of ``image`` against ``reference``, in dB (higher is better).

    Parameters
    ----------
    reference : numpy.ndarray
        The true image, floats in [0, 1].
    image : numpy.ndarray
        The result to score, same shape; clipped into [0, 1] first.

    Returns
    -------
    float
        ``10 log10(1 / mean squared error)``: 3 dB more is half the squared error.

    Examples
    --------
    >>> import numpy as np
    >>> round(psnr(np.zeros((4, 4)), np.full((4, 4), 0.1)), 2)
    20.0
    """
    return float(peak_signal_noise_ratio(reference, np.clip(image, 0, DATA_RANGE), data_range=DATA_RANGE))


def ssim(reference: np.ndarray, image: np.ndarray) -> float:
    """Structural similarity of ``image`` to ``reference``, from -1 to 1 (higher is better).

    Parameters
    ----------
    reference : numpy.ndarray
        The true image, floats in [0, 1], at least 7 pixels on each side.
    image : numpy.ndarray
        The result to score, same shape; clipped into [0, 1] first.

    Returns
    -------
    float
        scikit-image's ``structural_similarity`` with a data range of 1.

    Examples
    --------
    >>> import numpy as np
    >>> image = np.linspace(0, 1, 64).reshape(8, 8)
    >>> ssim(image, image)
    1.0
    """
    return float(structural_similarity(reference, np.clip(image, 0, DATA_RANGE), data_range=DATA_RANGE))


def iou_per_class(truth: np.ndarray, predicted: np.ndarray, classes: int) -> list[float]:
    """Intersection over union of each class label ``0 .. classes - 1``.

    Parameters
    ----------
    truth, predicted : numpy.ndarray
        Label images of the same shape (integers).
    classes : int
        How many classes there are.

    Returns
    -------
    list of float
        One IoU per class, from 0 to 1; NaN for a class absent from both images.

    Examples
    --------
    >>> import numpy as np
    >>> iou_per_class(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1]), 2)
    [0.5, 0.6666666666666666]
    """
    scores = []
    for label in range(classes):
        union = np.sum((truth == label) | (predicted == label))
        both = np.sum((truth == label) & (predicted == label))
        scores.append(float(both / union) if union else float("nan"))
    return scores


def mean_iou(truth: np.ndarray, predicted: np.ndarray, classes: int) -> float:
    """The IoU of each class averaged over the classes present (higher is better).

    Parameters
    ----------
    truth, predicted : numpy.ndarray
        Label images of the same shape (integers).
    classes : int
        How many classes there are.

    Returns
    -------
    float
        The mean of :func:`iou_per_class` over the classes in ``truth`` or
        ``predicted``; 1 when neither holds any.

    Examples
    --------
    >>> import numpy as np
    >>> round(mean_iou(np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1]), 2), 3)
    0.583
    """
    scores = [score for score in iou_per_class(truth, predicted, classes) if not np.isnan(score)]
    return float(np.mean(scores)) if scores else 1.0


def errors_by_place(truth: np.ndarray, predicted: np.ndarray, reach: int = 1) -> dict:
    """Where a label image is wrong: next to a true boundary between classes, or inside one.

    A pixel is next to a boundary when another class lies within ``reach``
    pixels of it in ``truth`` (a square of side ``2 reach + 1``).  There blur
    and noise leave its class uncertain for any method; an error farther in is
    one a better method could avoid.

    Parameters
    ----------
    truth, predicted : numpy.ndarray
        Label images of the same shape (integers).
    reach : int
        How far from another class a pixel still counts as next to a boundary.

    Returns
    -------
    dict
        ``"at boundaries"`` and ``"inside"``: the wrong pixels of each place, in
        per cent of all pixels (their sum is 100 minus the pixel accuracy).

    Examples
    --------
    >>> import numpy as np
    >>> truth = np.zeros((4, 6), int)
    >>> truth[:, 3:] = 1
    >>> predicted = truth.copy()
    >>> predicted[:, 2] = 1  # the boundary one column off
    >>> predicted[0, 0] = 1  # and a speck inside the first class
    >>> errors_by_place(truth, predicted)
    {'at boundaries': 16.666666666666664, 'inside': 4.166666666666666}
    """
    from scipy.ndimage import maximum_filter, minimum_filter

    side = 2 * reach + 1
    boundary = maximum_filter(truth, size=side) != minimum_filter(truth, size=side)
    wrong = truth != predicted
    return {
        "at boundaries": float(np.mean(wrong & boundary) * 100),
        "inside": float(np.mean(wrong & ~boundary) * 100),
    }


def phase_measures(labels: np.ndarray, classes: int, spacing=(1.0, 1.0, 1.0)) -> dict:
    """What a materials scientist reports of each phase of a label volume: its volume
    fraction and its surface area per unit volume (``skimage.measure.marching_cubes`` on
    the phase, in the units of ``spacing``).

    Parameters
    ----------
    labels : numpy.ndarray
        A label volume (z, y, x) of integers ``0 .. classes - 1``.
    classes : int
        How many phases there are.
    spacing : tuple of float
        The voxel size along z, y and x.

    Returns
    -------
    dict
        ``"fraction"`` and ``"surface"``: one value per phase (surface area over
        the volume's size; 0 for a phase absent from the volume).

    Examples
    --------
    >>> import numpy as np
    >>> cube = np.zeros((10, 10, 10), int)
    >>> cube[2:6, 2:6, 2:6] = 1
    >>> measured = phase_measures(cube, 2)
    >>> [round(value, 3) for value in measured["fraction"]]
    [0.936, 0.064]
    >>> round(measured["surface"][1] * 1000)  # about 6 faces of 4 x 4, corners cut
    81
    """
    from skimage.measure import marching_cubes, mesh_surface_area

    size = labels.size * float(np.prod(spacing))
    fractions, surfaces = [], []
    for phase in range(classes):
        mask = labels == phase
        fractions.append(float(mask.mean()))
        if mask.any() and not mask.all():
            vertices, faces, *_ = marching_cubes(np.pad(mask, 1).astype("float32"), 0.5, spacing=spacing)
            surfaces.append(float(mesh_surface_area(vertices, faces)) / size)
        else:
            surfaces.append(0.0)
    return {"fraction": fractions, "surface": surfaces}


def phase_errors(true: dict, found: dict) -> dict:
    """How far the phases' volume fractions and surface areas found in a label volume
    are from the true ones, averaged over the phases (lower is better).

    Both arguments are what ``phase_measures`` returns, so that a volume's true
    measures, which take most of the time, are computed once for every method
    compared on it.

    Returns
    -------
    dict
        ``"fraction"``: the mean absolute error of the volume fractions, in
        percentage points; ``"surface"``: the mean relative error of the
        surface areas, in per cent.

    Examples
    --------
    >>> import numpy as np
    >>> truth = np.zeros((10, 10, 10), int)
    >>> truth[2:6, 2:6, 2:6] = 1
    >>> grown = np.zeros_like(truth)
    >>> grown[2:7, 2:6, 2:6] = 1
    >>> errors = phase_errors(phase_measures(truth, 2), phase_measures(grown, 2))
    >>> {name: round(error, 1) for name, error in errors.items()}
    {'fraction': 1.6, 'surface': 10.3}
    """
    fraction = np.mean(np.abs(np.subtract(found["fraction"], true["fraction"]))) * 100
    relative = [abs(f - t) / t for f, t in zip(found["surface"], true["surface"], strict=True) if t > 0]
    return {"fraction": float(fraction), "surface": float(np.mean(relative) * 100)}


def detection_scores(found: np.ndarray, truth: np.ndarray, tolerance: float) -> dict:
    """Precision, recall and F1 of detected centres against true ones.

    Each detection may match one true centre within ``tolerance`` pixels, and the
    matching is the one with the most such pairs (among those, the shortest
    total distance).  Distances beyond the tolerance cost more than any set of
    pairs within it, so the assignment never trades a hit for a shorter total
    (the cut-off matching of spot-detection tools).  Finding nothing scores 0,
    unless there was nothing to find (then every score is 1).

    Parameters
    ----------
    found : array_like
        Detected centres, one ``(row, column)`` per line.
    truth : array_like
        True centres, one ``(row, column)`` per line.
    tolerance : float
        The largest distance, in pixels, at which a detection still counts.

    Returns
    -------
    dict
        ``precision``, ``recall`` and ``f1`` (0 to 1), ``hits`` (how many true
        centres were found) and ``matched`` (for each true centre, whether it
        was found).

    Examples
    --------
    >>> scores = detection_scores([[10, 10], [30, 31]], [[10, 11], [20, 20]], tolerance=3)
    >>> scores["precision"], scores["recall"], scores["matched"].tolist()
    (0.5, 0.5, [True, False])
    """
    found = np.asarray(found, dtype=float).reshape(-1, 2)
    truth = np.asarray(truth, dtype=float).reshape(-1, 2)
    matched = np.zeros(len(truth), dtype=bool)
    if len(found) and len(truth):
        distances = cdist(found, truth)
        too_far = tolerance * (min(distances.shape) + 1)
        rows, cols = linear_sum_assignment(np.where(distances <= tolerance, distances, too_far))
        within = distances[rows, cols] <= tolerance
        matched[cols[within]] = True
    hits = int(matched.sum())
    nothing_to_find = len(truth) == 0
    precision = hits / len(found) if len(found) else float(nothing_to_find)
    recall = hits / len(truth) if len(truth) else 1.0
    f1 = 2 * hits / (len(found) + len(truth)) if len(found) + len(truth) else 1.0
    return {"precision": precision, "recall": recall, "f1": f1, "hits": hits, "matched": matched}


def mean_interval(
    values: Sequence[float], confidence: float = CONFIDENCE, bounds: tuple[float, float] | None = None
) -> tuple[float, float, float]:
    """The mean of ``values`` and its ``confidence`` interval (Student's t).

    A score with a range (``bounds``: an F1 lies in 0 to 1) gets the t interval
    cut at that range: the true mean lies inside it, so the cut interval holds
    it whenever the whole one does, and never claims a precision of 1.003.

    Parameters
    ----------
    values : sequence of float
        Independent measurements: one per held-out image or noise draw.
    confidence : float
        The interval's confidence level (0.95: 95 %).
    bounds : tuple of float, optional
        The lowest and highest value the score can take.

    Returns
    -------
    tuple of float
        ``(mean, low, high)``; ``low`` and ``high`` are NaN with fewer than two values.

    Examples
    --------
    >>> mean, low, high = mean_interval([1.0, 2.0, 3.0])
    >>> mean, round(low, 3), round(high, 3)
    (2.0, -0.484, 4.484)
    >>> mean_interval([1.0, 0.96, 1.0], bounds=(0, 1))[2]
    1.0
    """
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if values.size < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf((1 + confidence) / 2, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return mean, float(low), float(high)
