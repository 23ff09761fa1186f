"""The gallery's metrics on hand-made cases, and the detection matching against brute force."""

import itertools

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

from dlis_gallery.metrics import (
    detection_scores,
    errors_by_place,
    iou_per_class,
    mean_interval,
    mean_iou,
    psnr,
    ssim,
)


def test_psnr_of_a_known_error_and_clipping():
    reference = np.full((8, 8), 0.5)
    assert psnr(reference, reference + 0.1) == pytest.approx(20.0)
    reference = np.full((4, 4), 0.9)
    assert psnr(reference, np.full((4, 4), 1.7)) == psnr(reference, np.ones((4, 4))), "clipped to [0, 1]"


def test_ssim_is_one_for_the_same_image_and_lower_for_a_noisy_one():
    image = np.random.default_rng(0).uniform(size=(32, 32))
    assert ssim(image, image) == pytest.approx(1.0)
    assert ssim(image, image + np.random.default_rng(1).normal(0, 0.2, image.shape)) < 0.9


def test_mean_iou_by_hand():
    truth = np.array([[0, 0, 1, 1], [0, 0, 1, 1]])
    predicted = np.array([[0, 1, 1, 1], [0, 0, 1, 2]])
    # class 0: 3 / 4; class 1: 3 / 5; class 2: 0 / 1
    assert mean_iou(truth, predicted, 3) == pytest.approx((3 / 4 + 3 / 5 + 0) / 3)
    assert iou_per_class(truth, predicted, 3) == pytest.approx([3 / 4, 3 / 5, 0])
    assert np.isnan(iou_per_class(truth, truth, 3)[2])
    assert mean_iou(truth, truth, 3) == 1.0, "a class absent from both is not scored"


def test_errors_by_place_by_hand():
    truth = np.zeros((9, 9), int)
    truth[4:, 4:] = 1  # a corner of class 1: its boundary pixels touch class 0, diagonals too
    predicted = truth.copy()
    predicted[3, 3] = 1  # diagonal to the corner: next to the boundary
    predicted[0, 8] = 1  # four pixels from class 1: inside
    predicted[8, 8] = 0  # the far corner of class 1: inside
    assert errors_by_place(truth, predicted) == pytest.approx({"at boundaries": 100 / 81, "inside": 200 / 81})
    wider = errors_by_place(truth, predicted, reach=4)
    assert wider == pytest.approx({"at boundaries": 200 / 81, "inside": 100 / 81}), "(0, 8) is 4 from class 1"
    assert errors_by_place(truth, truth) == {"at boundaries": 0.0, "inside": 0.0}


def test_errors_by_place_add_up_to_the_wrong_pixels():
    rng = np.random.default_rng(0)
    truth = np.digitize(rng.normal(size=(40, 50)).cumsum(axis=1), [-2, 2])
    predicted = np.where(rng.uniform(size=truth.shape) < 0.1, rng.integers(0, 3, truth.shape), truth)
    errors = errors_by_place(truth, predicted)
    assert errors["at boundaries"] + errors["inside"] == pytest.approx(np.mean(truth != predicted) * 100)
    assert errors["at boundaries"] > 0 and errors["inside"] > 0


def test_detection_scores_by_hand():
    truth = [(10, 10), (20, 20), (30, 30)]
    found = [(11, 10), (20, 22.5), (50, 50), (29, 30.5)]
    scores = detection_scores(found, truth, tolerance=3)
    assert scores["hits"] == 3
    assert scores["precision"] == pytest.approx(3 / 4)
    assert scores["recall"] == 1.0
    assert scores["f1"] == pytest.approx(2 * 0.75 / 1.75)
    assert scores["matched"].tolist() == [True, True, True]


def test_one_detection_counts_for_one_object_only():
    scores = detection_scores([(10, 10)], [(10, 11), (10, 9)], tolerance=3)
    assert scores["hits"] == 1 and scores["recall"] == 0.5 and scores["precision"] == 1.0


def test_dense_layout_where_the_shortest_assignment_undercounts():
    """The minimum-total-distance assignment pairs detection 0 with truth 2 (too
    far) to save distance; the capped matching finds two hits."""
    found = np.array([[5.1, 2.2], [0.3, 0.1], [6.5, 7.3]])
    truth = np.array([[4.9, 5.8], [4.3, 7.5], [6.5, 0.0]])
    distances = cdist(found, truth)
    rows, cols = linear_sum_assignment(distances)
    assert np.sum(distances[rows, cols] <= 3) == 1, "the naive score of this layout"
    assert detection_scores(found, truth, tolerance=3)["hits"] == 2


def _most_hits(found, truth, tolerance):
    distances = cdist(found, truth)
    return max(
        sum(distances[i, j] <= tolerance for i, j in enumerate(order))
        for order in itertools.permutations(range(len(truth)), len(found))
    )


def test_capped_matching_finds_the_most_hits_on_random_dense_layouts():
    rng = np.random.default_rng(7)
    for _ in range(300):
        found, truth = rng.uniform(0, 8, (3, 2)), rng.uniform(0, 8, (4, 2))
        assert detection_scores(found, truth, 3)["hits"] == _most_hits(found, truth, 3)


@pytest.mark.parametrize(
    ("found", "truth", "expected"),
    [
        ([], [], (1.0, 1.0, 1.0)),
        ([], [(1, 1)], (0.0, 0.0, 0.0)),
        ([(1, 1)], [], (0.0, 1.0, 0.0)),
    ],
)
def test_empty_inputs(found, truth, expected):
    scores = detection_scores(found, truth, 3)
    assert (scores["precision"], scores["recall"], scores["f1"]) == expected
    assert scores["hits"] == 0


def test_mean_interval_is_students_t():
    mean, low, high = mean_interval([1.0, 2.0, 3.0, 4.0])
    # t(0.975, 3) = 3.182; s = 1.291; half width = 3.182 * 1.291 / 2
    assert mean == 2.5
    assert (low, high) == pytest.approx((2.5 - 2.054, 2.5 + 2.054), abs=1e-3)


def test_mean_interval_of_one_value_is_undefined():
    mean, low, high = mean_interval([0.7])
    assert mean == 0.7 and np.isnan(low) and np.isnan(high)


def test_intervals_of_bounded_scores_stay_within_their_range_and_keep_their_coverage():
    from dlis_gallery.results import Comparison

    rng = np.random.default_rng(0)
    precision = np.clip(1 - np.abs(rng.normal(0, 0.01, 6)), 0, 1)
    scores = {
        "precision": {"LoG": list(precision), "Network": [1.0, 1.0, 0.99, 1.0, 1.0, 0.98]},
        "PSNR (dB)": {"LoG": [30.0, 31.0, 29.0, 30.5, 30.2, 29.9], "Network": [31.0] * 6},
    }
    rows = Comparison(scores, network="Network", items="scenes", verdict_on=["precision"]).record()["rows"]
    assert all(0 <= row["precision low"] <= row["precision"] <= row["precision high"] <= 1 for row in rows)
    unbounded = mean_interval(scores["precision"]["Network"])
    assert unbounded[2] > 1, "the plain t interval would pass 1 here"
    covered = 0
    true_mean = np.mean(np.clip(rng.normal(0.97, 0.03, 1_000_000), 0, 1))
    for _ in range(400):  # the cut interval covers the true mean as often as the whole one
        draws = np.clip(rng.normal(0.97, 0.03, 8), 0, 1)
        _, low, high = mean_interval(draws, bounds=(0, 1))
        whole = mean_interval(draws)
        assert (low <= true_mean <= high) == (whole[1] <= true_mean <= whole[2])
        covered += low <= true_mean <= high
    assert covered > 0.85 * 400
