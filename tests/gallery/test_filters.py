"""wide_gaussian gives scikit-image's Gaussian blur, whatever the sigma, shape or axes."""

from __future__ import annotations

import numpy as np
import pytest
from skimage.filters import gaussian

from dlis_gallery.filters import blur_matrix, wide_gaussian


@pytest.mark.parametrize(
    ("shape", "sigma"),
    [
        ((256, 312), 256),  # the widest flat-field radius: the kernel spans the image eight times
        ((256, 312), 85.3),  # a micrograph's uneven light
        ((64, 80), 3),  # narrower than the image
        ((64, 80), 0.5),  # five taps, far fewer than the pixels: SciPy convolves
        ((7, 5), 40),  # an image smaller than the kernel's radius
        ((1, 9), 2),  # an axis of one pixel
        ((12, 32, 32), (12, 24, 24)),  # a volume, a sigma per axis
        ((12, 32, 32), (0.6, 1.2, 1.2)),
        ((5, 6), (0, 2)),  # no blur along one axis
    ],
)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_the_blur_is_scikit_images(shape, sigma, dtype):
    image = np.random.default_rng(3).normal(size=shape).astype(dtype)
    expected = gaussian(image, sigma=sigma)
    found = wide_gaussian(image, sigma)
    assert found.dtype == expected.dtype
    np.testing.assert_allclose(found, expected, rtol=0, atol=1e-12 if dtype == "float64" else 1e-6)


def test_an_edge_pixel_gets_the_weight_of_every_tap_beyond_it():
    # a step at the left edge: nearest-pixel padding repeats it, so the blur stays near it there
    line = np.r_[np.ones(3), np.zeros(17)]
    blurred = wide_gaussian(line[None, :], (0, 5))[0]
    assert blurred[0] > 0.5 > blurred[-1]
    np.testing.assert_allclose(blur_matrix(20, 5.0).sum(axis=1), 1)


def test_a_remembered_matrix_cannot_be_changed():
    matrix = blur_matrix(8, 2.0)
    assert blur_matrix(8, 2.0) is matrix
    with pytest.raises(ValueError, match="read-only"):
        matrix[0, 0] = 1


@pytest.mark.parametrize(
    ("image", "sigma", "match"),
    [
        (np.ones((8, 8), "uint16"), 2, "float32 or float64"),  # scikit-image would rescale it first
        (np.ones((8, 8)), (1, -1), "negative"),  # scikit-image refuses it too
    ],
)
def test_what_scikit_image_would_change_or_refuse_is_refused(image, sigma, match):
    with pytest.raises(ValueError, match=match):
        wide_gaussian(image, sigma)
