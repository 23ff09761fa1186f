"""A Gaussian blur as wide as the image, in the time of a narrow one.

A flat-field correction divides an image by a heavily blurred copy of
itself, and a synthetic sample's uneven light is a heavily blurred random
field: Gaussians whose sigma is a good fraction of the image.  scikit-image's
:func:`~skimage.filters.gaussian` convolves each axis with a kernel of
``8 * sigma + 1`` taps, so its cost grows with sigma: blurring a 256x312
micrograph at sigma 256 costs about as much as a hundred at sigma 2, and the
segmentation page's tuning tries such radii on every tuning micrograph at
every noise level.  :func:`wide_gaussian` gives the same answer (the same
kernel, cut at 4 sigma, and the same nearest-pixel edges) as one matrix
product per axis, whose cost depends on the image's size only; along an axis
much longer than the kernel it leaves the blur to SciPy's convolution, which
is then the cheaper.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy import ndimage

#: Where the kernel is cut, in sigmas: scikit-image's and SciPy's default.
TRUNCATE = 4.0
#: An axis this many times longer than the kernel is blurred by SciPy's convolution,
#: which is then the cheaper (and keeps the matrices small on large images).
LONGER_THAN_KERNEL = 4


@lru_cache(maxsize=64)  # a tuning blurs image after image of one size at the same few sigmas
def blur_matrix(size: int, sigma: float) -> np.ndarray:
    """The ``size`` x ``size`` matrix that blurs a line of ``size`` pixels by a Gaussian of ``sigma``.

    Row ``i`` holds the weight of each pixel in output pixel ``i``: the kernel
    centred on ``i``, with the weights that fall beyond an end added to that
    end's pixel (SciPy's ``mode="nearest"``).  Each row sums to 1.  The matrix is
    remembered, and so read-only.

    Examples
    --------
    >>> matrix = blur_matrix(5, 1.0)
    >>> matrix.shape, bool(np.allclose(matrix.sum(axis=1), 1))
    ((5, 5), True)
    >>> blur_matrix(3, 0.0)
    array([[1., 0., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    """
    if sigma <= 0:
        return _read_only(np.eye(size))
    radius = _radius(sigma)
    taps = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * (taps / sigma) ** 2)
    kernel /= kernel.sum()
    output, pixel = np.arange(size)[:, None], np.arange(size)[None, :]
    offset = pixel - output + radius  # where pixel falls in output's kernel
    matrix = np.where((offset >= 0) & (offset <= 2 * radius), kernel[offset.clip(0, 2 * radius)], 0.0)
    below = np.concatenate([[0.0], np.cumsum(kernel)])  # below[m]: the weight of the kernel's first m taps
    # the taps that fall before the first pixel land on it, those after the last on the last
    matrix[:, 0] += below[(radius - output[:, 0]).clip(0, 2 * radius + 1)]
    matrix[:, -1] += 1 - below[(size + radius - output[:, 0]).clip(0, 2 * radius + 1)]
    return _read_only(matrix)


def _radius(sigma: float) -> int:
    """How many taps the kernel has on each side of its centre, as SciPy cuts it."""
    return int(TRUNCATE * sigma + 0.5)


def _read_only(matrix: np.ndarray) -> np.ndarray:
    matrix.flags.writeable = False
    return matrix


def wide_gaussian(image: np.ndarray, sigma: float | Sequence[float]) -> np.ndarray:
    """``skimage.filters.gaussian(image, sigma)``, at a cost that stops growing with sigma.

    Along an axis much longer than the kernel (``LONGER_THAN_KERNEL`` times),
    SciPy's convolution does the blur, as it does for scikit-image; along the
    others, the matrix of :func:`blur_matrix`.

    Parameters
    ----------
    image : numpy.ndarray
        A float32 or float64 image or volume, grey (scikit-image would first
        scale an integer image to [0, 1]: do that yourself).
    sigma : float or sequence of float
        The Gaussian's standard deviation in pixels, one for every axis or one
        per axis; 0 leaves an axis as it is.

    Returns
    -------
    numpy.ndarray
        The blurred image, of the image's type, as scikit-image gives.

    Raises
    ------
    ValueError
        For an image of another type, or a negative sigma.

    Examples
    --------
    >>> from skimage.filters import gaussian
    >>> image = np.random.default_rng(0).random((40, 50))
    >>> bool(np.allclose(wide_gaussian(image, 30), gaussian(image, sigma=30)))
    True
    """
    if image.dtype not in (np.float32, np.float64):
        raise ValueError(f"wide_gaussian takes a float32 or float64 image, not {image.dtype}")
    blurred = np.asarray(image, dtype="float64")
    sigmas = np.broadcast_to(np.asarray(sigma, dtype="float64"), (blurred.ndim,))
    if (sigmas < 0).any():
        raise ValueError(f"sigma must not be negative: {sigma}")
    for axis, axis_sigma in enumerate(sigmas):
        taps = 2 * _radius(axis_sigma) + 1
        if blurred.shape[axis] > LONGER_THAN_KERNEL * taps and axis_sigma > 0:
            blurred = ndimage.gaussian_filter1d(blurred, axis_sigma, axis, mode="nearest", truncate=TRUNCATE)
        else:
            matrix = blur_matrix(blurred.shape[axis], float(axis_sigma))
            blurred = np.moveaxis(np.tensordot(matrix, blurred, (1, axis)), 0, axis)
    return blurred.astype("float32") if image.dtype == np.float32 else blurred
