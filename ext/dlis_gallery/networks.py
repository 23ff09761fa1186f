"""Trained networks a reader takes home: saved with what they expect, loaded, applied to any image.

An application page trains a network and then throws nothing away: the
network is saved as a ``.keras`` file that also carries, as ``dlis.json``
inside the same archive, what it expects (its input, its normalisation), how
it was trained (profile, data) and what it measured.  A scientist loads it
with :func:`load_network` and applies it to an image of any size with
:func:`predict_tiled`, which cuts the image into overlapping tiles, so that
neither the network's size limits nor the memory decide which images it can
take.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

#: The archive member that says what a saved network expects.
ABOUT = "dlis.json"


def save_network(model, path: Path, about: Mapping) -> Path:
    """Save ``model`` to ``path`` (a ``.keras`` file) with ``about`` inside it."""
    model.save(path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(ABOUT, json.dumps(about, indent=1, default=str))
    return path


def load_network(path) -> tuple:
    """The network saved at ``path`` and the mapping that says what it expects."""
    import keras

    from . import layers  # noqa: F401  (registers the layers a saved network may use)

    with zipfile.ZipFile(path) as archive:
        about = json.loads(archive.read(ABOUT)) if ABOUT in archive.namelist() else {}
    return keras.saving.load_model(path, compile=False), about


def percentile_normalise(image: np.ndarray, low: float = 1.0, high: float = 99.8) -> np.ndarray:
    """``image`` as float32 with its ``low`` and ``high`` percentiles at 0 and 1.

    The way to bring a microscope's 8-, 12- or 16-bit image to the range a
    network was trained on, without a few hot pixels deciding the scale.
    """
    bottom, top = np.percentile(image, [low, high])
    return ((np.asarray(image, "float32") - bottom) / max(top - bottom, 1e-12)).astype("float32")


def predict_tiled(
    model, image: np.ndarray, tile: int = 256, margin: int = 16, scale: int = 1, batch: int = 8
):
    """``model`` applied to a 2-D ``image`` of any size, tile by tile.

    Each ``tile`` x ``tile`` square is given to the network with ``margin``
    pixels of its surroundings on every side; those margins, where the
    network lacks context, are cut from its answer before the answers are
    stitched together.  The image is padded by reflection to a whole number
    of tiles and the answer cropped back.  ``scale`` is how much larger the
    network's output is than its input (2 for a 2x super-resolution
    network).  Returns one value per output pixel, or a last axis of
    channels when the network gives several (class scores).  For a network
    whose sides must be divisible by ``n``, choose ``tile + 2 * margin``
    divisible by ``n``.
    """
    import keras

    rows, cols = image.shape
    padded_rows, padded_cols = -(-rows // tile) * tile, -(-cols // tile) * tile
    padded = np.pad(
        np.asarray(image, "float32"),
        ((margin, padded_rows - rows + margin), (margin, padded_cols - cols + margin)),
        mode="reflect",
    )
    corners = [(top, left) for top in range(0, padded_rows, tile) for left in range(0, padded_cols, tile)]
    answer = None
    for start in range(0, len(corners), batch):
        chunk = corners[start : start + batch]
        windows = np.stack(
            [padded[top : top + tile + 2 * margin, left : left + tile + 2 * margin] for top, left in chunk]
        )
        outputs = keras.ops.convert_to_numpy(model(windows[..., None], training=False))
        if answer is None:
            answer = np.zeros((padded_rows * scale, padded_cols * scale, outputs.shape[-1]), outputs.dtype)
        inner = slice(margin * scale, (margin + tile) * scale)
        for (top, left), output in zip(chunk, outputs, strict=True):
            answer[top * scale : (top + tile) * scale, left * scale : (left + tile) * scale] = output[
                inner, inner
            ]
    answer = answer[: rows * scale, : cols * scale]
    return answer[..., 0] if answer.shape[-1] == 1 else answer
