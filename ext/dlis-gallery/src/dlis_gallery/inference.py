"""A trained network applied to a reader's image: one record of how, written by the example that trained it.

A network is only as good as the way it is used: the intensities must be
scaled as in training, the tiles must overlap by the network's reach, and
what comes out (a denoised image, class scores, a heat map) must be turned
into what a scientist wanted (an image in their units, a label image, a
table of spots).  The example that trains a network measures these facts and
saves them with it, as numbers (:class:`HowToApply`, ``apply`` in the file's
``dlis.json``): nothing is typed twice, and the same record serves
:func:`apply_network`, the ``dlis-apply`` command and the bioimage.io
package.

Before applying, :func:`fit_warnings` compares the image with what the network
learnt (its noise level and intensity range after scaling) and says, in one
line each, when it does not fit.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path

import numpy as np

from .networks import answered, load_network, predict_tiled

#: What each kind of network gives back.
KINDS = {
    "denoise": "the denoised image, in the input's units",
    "upscale": "the image larger by the network's scale, in the input's units",
    "segment": "a label image, one integer per class",
    "detect": "a table of spot centres (plane, row, column) with the heat map's value there",
}


class FitWarning(UserWarning):
    """The image is unlike what the network learnt: its answer may not be trusted."""


class NetworkFileError(ValueError):
    """The file is not a network saved with how to apply it."""


class ImageShapeError(ValueError):
    """The image's shape does not fit the network (colour for a grey network, too small...)."""


@dataclass(frozen=True)
class HowToApply:
    """How to apply one trained network, measured by the example that trained it.

    Attributes
    ----------
    kind : str
        ``"denoise"``, ``"upscale"``, ``"segment"`` or ``"detect"`` (see :data:`KINDS`).
    percentiles : tuple of float
        The percentiles of an image that set its scale (``(1, 99)``).
    scaled_to : tuple of float
        Where those percentiles sat, on average, in the images the network
        learnt from: an image is scaled so that its own percentiles land there.
    noise : tuple of float
        The range of noise levels (the standard deviation that
        ``skimage.restoration.estimate_sigma`` finds, after scaling) of the
        images it learnt from, 5th to 95th percentile.
    intensity : tuple of float
        The range of intensities it learnt, after scaling (0.5th to 99.5th percentile).
    halo : int
        The network's reach: how far, in input pixels, an output pixel sees.
    multiple : int
        The sides of its input must be divisible by this (``2 ** poolings``).
    scale : int
        How much larger its output is than its input.
    classes : int
        Classes of a segmentation network (0 for the others).
    peaks : dict
        For a detection network, ``threshold`` and ``min_distance`` of
        ``skimage.feature.peak_local_max`` on its heat map, as tuned.
    dims : int
        2 for a network of images (a z-stack is applied plane by plane), 3 for
        one that takes whole volumes (ZYX).

    Examples
    --------
    >>> how = HowToApply("denoise", (1, 99), (0.12, 0.85), (0.03, 0.25), (0.0, 1.0), halo=14, multiple=4)
    >>> [round(float(value), 3) for value in how.scaled(np.array([0, 50, 100]), (0, 100))]
    [0.12, 0.485, 0.85]
    """

    kind: str
    percentiles: tuple[float, float]
    scaled_to: tuple[float, float]
    noise: tuple[float, float]
    intensity: tuple[float, float]
    halo: int
    multiple: int = 1
    scale: int = 1
    classes: int = 0
    peaks: dict = field(default_factory=dict)
    dims: int = 2

    def scaled(self, image: np.ndarray, own: tuple[float, float]) -> np.ndarray:
        """``image`` with its percentiles ``own`` moved to :attr:`scaled_to`."""
        (low, high), (to_low, to_high) = own, self.scaled_to
        stretch = (to_high - to_low) / max(high - low, 1e-12)
        return (to_low + (np.asarray(image, "float32") - low) * stretch).astype("float32")

    def unscaled(self, image: np.ndarray, own: tuple[float, float]) -> np.ndarray:
        """The inverse of :meth:`scaled`: back to the units of the image that had ``own``."""
        (low, high), (to_low, to_high) = own, self.scaled_to
        return (low + (image - to_low) * (high - low) / max(to_high - to_low, 1e-12)).astype("float32")

    def smallest_side(self) -> int:
        """The smallest side of an input with room for the network's reach on both sides
        (and 16 pixels at least), divisible by :attr:`multiple`."""
        step = max(self.multiple, 1)
        return step * math.ceil(max(16, 2 * self.halo + 1) / step)

    def record(self) -> dict:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict) -> HowToApply:
        known = {name: record[name] for name in cls.__dataclass_fields__ if name in record}
        for name in ("percentiles", "scaled_to", "noise", "intensity"):
            known[name] = tuple(known[name])
        return cls(**known)


def measured_reach(model, scale: int = 1, size: int | None = None) -> int:
    """How far, in input pixels, one output pixel of ``model`` sees: the largest distance at
    which a change of one input pixel changes the output (along any axis, for a 3-D network).

    ``size`` is the side of the probe image (by default 256 pixels, or 64 voxels for a volume).

    Examples
    --------
    >>> import keras
    >>> two = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Conv2D(1, 3, padding="same"),
    ...                         keras.layers.Conv2D(1, 5, padding="same")])
    >>> measured_reach(two, size=32)
    3
    """
    dims = len(model.inputs[0].shape) - 2
    size = size or (256 if dims == 2 else 64)
    base = np.random.default_rng(0).uniform(0.3, 0.7, (1, *(size,) * dims, 1)).astype("float32")
    probe = base.copy()
    centre = size // 2
    probe[(0, *(centre,) * dims, 0)] += 0.5
    change = np.abs(answered(model, probe) - answered(model, base))
    change = change[0].max(axis=-1)
    if not change.max() > 0:
        raise ValueError(
            "no input pixel changes the network's output: is it trained (or are its units dead)?"
        )
    where = np.nonzero(change > 1e-4 * change.max())
    return int(max(np.abs(position // scale - centre).max() for position in where))


def how_to_apply(
    model,
    kind: str,
    inputs,
    *,
    multiple: int = 1,
    scale: int = 1,
    classes: int = 0,
    peaks: dict | None = None,
    percentiles: tuple[float, float] = (1.0, 99.0),
) -> HowToApply:
    """Measure how to apply ``model`` from the images it learnt from (``inputs``: 2-D
    images, or volumes for a 3-D network, as the network saw them).

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Conv2D(1, 3, padding="same")])
    >>> rng = np.random.default_rng(0)
    >>> how = how_to_apply(model, "denoise", [0.5 + rng.normal(0, 0.1, (64, 64)) for _ in range(4)])
    >>> how.halo, [round(value, 1) for value in how.noise]
    (1, [0.1, 0.1])
    """
    from skimage.restoration import estimate_sigma

    if kind not in KINDS:
        raise ValueError(f"kind={kind!r}: one of {', '.join(KINDS)}")
    inputs = [np.asarray(image, "float32") for image in inputs]
    scaled_to = np.median([np.percentile(image, percentiles) for image in inputs], axis=0)
    sigmas = [float(estimate_sigma(image)) for image in inputs]
    pooled = np.concatenate([image.ravel() for image in inputs])
    return HowToApply(
        kind=kind,
        percentiles=tuple(float(p) for p in percentiles),
        scaled_to=tuple(float(value) for value in scaled_to),
        noise=tuple(float(value) for value in np.percentile(sigmas, [5, 95])),
        intensity=tuple(float(value) for value in np.percentile(pooled, [0.5, 99.5])),
        halo=measured_reach(model, scale),
        multiple=multiple,
        scale=scale,
        classes=classes,
        peaks=dict(peaks or {}),
        dims=len(model.inputs[0].shape) - 2,
    )


@dataclass
class Spots:
    """Spot centres found in an image or a stack: one row each, plane, row, column and score.

    Examples
    --------
    >>> spots = Spots(np.array([[0, 10.0, 12.0]]), np.array([0.8]))
    >>> spots.rows()
    [{'plane': 0, 'row': 10.0, 'column': 12.0, 'score': 0.8}]
    """

    centres: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return len(self.scores)

    def rows(self) -> list[dict]:
        return [
            {"plane": int(plane), "row": float(row), "column": float(column), "score": float(score)}
            for (plane, row, column), score in zip(self.centres, self.scores, strict=True)
        ]


def fit_warnings(image: np.ndarray, how: HowToApply) -> list[str]:
    """What about a scaled image (2-D, or planes) the network did not learn: one sentence each.

    Examples
    --------
    >>> how = HowToApply("denoise", (1, 99), (0.1, 0.9), (0.05, 0.2), (0.0, 1.0), halo=8)
    >>> fit_warnings(np.full((64, 64), 0.5), how)[0].split(":")[0]
    'Its noise level (0.000) is below what the network learnt (0.050 to 0.200)'
    """
    from skimage.restoration import estimate_sigma

    planes = image if image.ndim == 3 else image[None]
    sigma = float(np.median([estimate_sigma(plane) for plane in planes]))
    low, high = how.noise
    said = []
    if sigma < low / 1.5:
        said.append(
            f"Its noise level ({sigma:.3f}) is below what the network learnt ({low:.3f} to {high:.3f}): "
            + (
                "it may remove real detail; a classical method (BM3D, tuned) or none may serve better."
                if how.kind == "denoise"
                else "its answer may still hold, but check it on an image you know."
            )
        )
    elif sigma > high * 1.5:
        said.append(
            f"Its noise level ({sigma:.3f}) is above what the network learnt ({low:.3f} to {high:.3f}): "
            "denoise it first, or retrain on images as noisy as yours."
        )
    top, bottom = how.intensity
    outside = float(np.mean((planes < top - 0.25) | (planes > bottom + 0.25)))
    if outside > 0.01:
        said.append(
            f"{outside:.0%} of its pixels lie outside the intensities the network learnt "
            f"({top:.2f} to {bottom:.2f} after scaling): bright or dark objects it never saw."
        )
    return said


def loaded(network) -> tuple:
    """``(model, how)`` from a path to a saved network, or a ``(model, HowToApply)`` pair.

    Examples
    --------
    >>> loaded("missing.keras")
    Traceback (most recent call last):
    ...
    dlis_gallery.inference.NetworkFileError: missing.keras: no such file
    """
    if isinstance(network, tuple):
        return network
    path = Path(network)
    if not path.is_file():
        raise NetworkFileError(f"{path}: no such file")
    if path.name.endswith(".bioimageio.zip"):  # its ONNX weights, run without Keras
        from .bioimage import load_package

        return load_package(path)
    try:
        model, about = load_network(path)
    except Exception as error:  # a zip that is not a Keras archive, a file that is not a zip...
        why = f"{type(error).__name__}: {error}"
        raise NetworkFileError(f"{path}: not a Keras network file ({why})") from None
    if "apply" not in about:
        raise NetworkFileError(f"{path}: this network does not say how to apply it (no 'apply' in dlis.json)")
    return model, HowToApply.from_record(about["apply"])


def planes_of(image: np.ndarray, axes: str | None) -> np.ndarray:
    """``image`` as planes (z, y, x): a 2-D image is one plane; refuse colour and other axes.

    Examples
    --------
    >>> planes_of(np.zeros((30, 40)), None).shape
    (1, 30, 40)
    """
    image = np.asarray(image)
    axes = axes or {2: "YX", 3: "ZYX"}.get(image.ndim, "")
    if image.ndim == 3 and axes == "ZYX" and image.shape[-1] in (3, 4) and min(image.shape[:2]) > 4:
        raise ImageShapeError(
            f"a colour image of shape {image.shape} for a network of one grey channel: convert it "
            "to grey, or pass axes='ZYX' if it is a stack of planes"
        )
    if sorted(axes) != sorted(set(axes)) or len(axes) != image.ndim or axes not in ("YX", "ZYX"):
        wanted = "give a 2-D image (YX) or a z-stack (ZYX)"
        raise ImageShapeError(f"axes {axes!r} of shape {image.shape}: {wanted}")
    return image[None] if axes == "YX" else image


def apply_network(
    network, image: np.ndarray, axes: str | None = None, tile: int | None = None, warn: bool = True
):
    """Apply a saved network to a 2-D image or a z-stack (plane by plane, or whole for a
    network of volumes), any size.

    The image is scaled as the network's record says, checked against what it
    learnt (a :class:`FitWarning` for each mismatch), cut into tiles that
    overlap by the network's reach, and its answer turned into the kind of
    result the network is for (:data:`KINDS`).

    Parameters
    ----------
    network : str, pathlib.Path or tuple
        A ``.keras`` file saved by an example of this site, its bioimage.io
        package (``.bioimageio.zip``, run by onnxruntime without Keras), or
        ``(model, HowToApply)``.
    image : numpy.ndarray
        A 2-D image (``YX``) or a stack of planes (``ZYX``), any numeric type.
    axes : str, optional
        ``"YX"`` or ``"ZYX"``; by default from the number of dimensions.
    tile : int, optional
        The side of each tile, before the overlap: by default 256 pixels, or
        48 voxels for a network of volumes.
    warn : bool
        Whether to check the image against what the network learnt: False
        where the images lie beyond it on purpose and the scores say how the
        network fares there (a page's sweep of difficulty, another kind of
        sample).

    Returns
    -------
    numpy.ndarray or Spots
        The denoised (float32, input units) or upscaled image, the label
        image (uint8), or the spots found; a stack gives a stack (or spots
        with their plane).

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Conv2D(1, 3, padding="same")])
    >>> how = HowToApply("denoise", (1, 99), (0.1, 0.9), (0.0, 1.0), (-1.0, 2.0), halo=1)
    >>> apply_network((model, how), np.zeros((2, 40, 30), "uint16")).shape
    (2, 40, 30)
    """
    model, how = loaded(network)
    planes = planes_of(image, axes)
    if how.dims == 3 and np.asarray(image).ndim != 3:
        raise ImageShapeError(f"an image of shape {np.shape(image)}: this network takes volumes (ZYX)")
    space = planes.shape if how.dims == 3 else planes.shape[1:]
    smallest = max(how.multiple, 2)
    if min(space) < smallest:
        size = "x".join(str(side) for side in space)
        raise ImageShapeError(f"an image of {size} pixels: the network needs {smallest} a side or more")
    own = tuple(float(value) for value in np.percentile(planes, how.percentiles))
    scaled = how.scaled(planes, own)
    for sentence in fit_warnings(scaled, how) if warn else ():
        warnings.warn(sentence, FitWarning, stacklevel=2)
    margin = how.multiple * math.ceil(how.halo / how.multiple)
    tile = tile or (256 if how.dims == 2 else 48)
    side = max(how.multiple, tile - tile % how.multiple)
    sides = tuple(min(side, how.multiple * math.ceil(length / how.multiple)) for length in space)
    if getattr(model, "fixed_side", None):  # a graph of one input size: tiles fill it
        sides = (model.fixed_side - 2 * margin,) * len(space)
    # One tile per call: a tile's activations are what a reader's memory holds (four
    # times over for a flip-averaged network, which asks about four mirror images at
    # once), and on a 2-core CPU a tile of 256 pixels a side kept the cores as busy
    # as eight did (not measured on a GPU)
    tiled = partial(predict_tiled, model, tile=sides, margin=margin, scale=how.scale, batch=1)
    if how.dims == 3:  # the whole volume at once (a block at a time), its answer then plane by plane
        answers = list(tiled(scaled))
    else:
        answers = [tiled(plane) for plane in scaled]
    if how.kind in ("denoise", "upscale"):
        result = how.unscaled(np.stack(answers), own)
    elif how.kind == "segment":
        result = np.stack([answer.argmax(axis=-1) for answer in answers]).astype("uint8")
    else:
        return _spots(answers, how)
    return result[0] if np.asarray(image).ndim == 2 else result


def _spots(heat_maps: list[np.ndarray], how: HowToApply) -> Spots:
    from skimage.feature import peak_local_max

    centres, scores = [], []
    for plane, heat in enumerate(heat_maps):
        peaks = {"min_distance": how.peaks["min_distance"], "threshold_abs": how.peaks["threshold"]}
        found = peak_local_max(heat, **peaks)
        centres += [(plane, row, column) for row, column in found]
        scores += [float(heat[row, column]) for row, column in found]
    return Spots(np.array(centres, dtype=float).reshape(-1, 3), np.array(scores))
