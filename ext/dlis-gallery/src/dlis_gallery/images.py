"""Images for the gallery: scikit-image's bundled pictures as float grayscale, and patches.

Nothing is downloaded: every image here ships inside scikit-image.  Training
and held-out images are chosen by each example; this module only loads them
the same way everywhere and cuts training patches.
"""

from __future__ import annotations

import numpy as np
from skimage import data, img_as_float
from skimage.color import rgb2gray


def bundled_gray(name: str) -> np.ndarray:
    """One of scikit-image's bundled pictures as a float32 grey image in [0, 1].

    Parameters
    ----------
    name : str
        The name of a function of :mod:`skimage.data` (``"camera"``, ``"cell"``,
        ``"moon"``, ...); colour pictures are turned grey.

    Returns
    -------
    numpy.ndarray
        A 2-D float32 image.

    Examples
    --------
    >>> image = bundled_gray("camera")
    >>> image.shape, image.dtype, float(image.max()) <= 1
    ((512, 512), dtype('float32'), True)
    """
    image = getattr(data, name)()
    if image.ndim == 3:
        image = rgb2gray(image[..., :3])
    return img_as_float(image).astype("float32")


def random_patches(images: list[np.ndarray], size: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """Random square crops, drawn from each image in turn.

    Parameters
    ----------
    images : list of numpy.ndarray
        2-D images, each at least ``size`` on each side.
    size : int
        The side of a crop, in pixels.
    count : int
        How many crops.
    rng : numpy.random.Generator
        Where the crops' corners come from.

    Returns
    -------
    numpy.ndarray
        float32, shape ``(count, size, size)``.

    Examples
    --------
    >>> import numpy as np
    >>> crops = random_patches([bundled_gray("moon")], 32, 5, np.random.default_rng(0))
    >>> crops.shape
    (5, 32, 32)
    """
    crops = np.empty((count, size, size), dtype="float32")
    for index in range(count):
        image = images[index % len(images)]
        top = rng.integers(0, image.shape[0] - size + 1)
        left = rng.integers(0, image.shape[1] - size + 1)
        crops[index] = image[top : top + size, left : left + size]
    return crops
