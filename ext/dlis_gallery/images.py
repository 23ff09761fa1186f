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
    """``skimage.data.<name>()`` as a float32 grayscale image in [0, 1]."""
    image = getattr(data, name)()
    if image.ndim == 3:
        image = rgb2gray(image[..., :3])
    return img_as_float(image).astype("float32")


def random_patches(images: list[np.ndarray], size: int, count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` random ``size``x``size`` crops, drawn evenly from ``images``, shape (count, size, size)."""
    crops = np.empty((count, size, size), dtype="float32")
    for index in range(count):
        image = images[index % len(images)]
        top = rng.integers(0, image.shape[0] - size + 1)
        left = rng.integers(0, image.shape[1] - size + 1)
        crops[index] = image[top : top + size, left : left + size]
    return crops
