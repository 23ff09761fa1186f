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


def psnr(reference: np.ndarray, image: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB of ``image`` against ``reference`` (higher is better)."""
    return float(peak_signal_noise_ratio(reference, np.clip(image, 0, DATA_RANGE), data_range=DATA_RANGE))


def ssim(reference: np.ndarray, image: np.ndarray) -> float:
    """Structural similarity of ``image`` to ``reference``, from -1 to 1 (higher is better)."""
    return float(structural_similarity(reference, np.clip(image, 0, DATA_RANGE), data_range=DATA_RANGE))


def iou_per_class(truth: np.ndarray, predicted: np.ndarray, classes: int) -> list[float]:
    """Intersection over union of each class label ``0 .. classes - 1`` (NaN for a
    class absent from both ``truth`` and ``predicted``)."""
    scores = []
    for label in range(classes):
        union = np.sum((truth == label) | (predicted == label))
        both = np.sum((truth == label) & (predicted == label))
        scores.append(float(both / union) if union else float("nan"))
    return scores


def mean_iou(truth: np.ndarray, predicted: np.ndarray, classes: int) -> float:
    """:func:`iou_per_class` averaged over the classes present in ``truth`` or
    ``predicted`` (higher is better)."""
    scores = [score for score in iou_per_class(truth, predicted, classes) if not np.isnan(score)]
    return float(np.mean(scores)) if scores else 1.0


def detection_scores(found: np.ndarray, truth: np.ndarray, tolerance: float) -> dict:
    """Precision, recall and F1 of detected centres against true ones.

    Each detection may match one true centre within ``tolerance`` pixels, and the
    matching is the one with the most such pairs (among those, the shortest
    total distance).  Distances beyond the tolerance cost more than any set of
    pairs within it, so the assignment never trades a hit for a shorter total
    (the cut-off matching of spot-detection tools).  ``matched`` tells, for each
    true centre, whether it was found.  Finding nothing scores 0, unless there
    was nothing to find (then every score is 1).
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


def mean_interval(values: Sequence[float], confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """The mean of ``values`` and its ``confidence`` interval (Student's t).

    The values are independent measurements (one per held-out image or noise
    draw); with fewer than two the interval is undefined (NaN).
    """
    values = np.asarray(values, dtype=float)
    mean = float(values.mean())
    if values.size < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf((1 + confidence) / 2, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
    return mean, float(mean - half), float(mean + half)
