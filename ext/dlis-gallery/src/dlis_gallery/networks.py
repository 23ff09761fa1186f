"""Trained networks a reader takes home: saved with what they expect, loaded, applied to any image.

An application page trains a network and then throws nothing away: the
network is saved as a ``.keras`` file that also carries, as ``dlis.json``
inside the same archive, what it expects (its input, its normalisation), how
it was trained (profile, data) and what it measured.  A scientist loads it
with :func:`load_network` and applies it to an image of any size with
:func:`predict_tiled`, which cuts the image into overlapping tiles, so that
neither the network's size limits nor the memory decide which images it can
take.  :func:`flip_averaged` wraps a network so that it answers with the
average over the eight turns and mirror images of its input, for samples
that have no preferred direction.
"""

from __future__ import annotations

import itertools
import json
import weakref
import zipfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np

#: The archive member that says what a saved network expects.
ABOUT = "dlis.json"


def save_network(model, path: Path, about: Mapping) -> Path:
    """Save a Keras network with what it expects inside the same file.

    Parameters
    ----------
    model : keras.Model
        The trained network.
    path : pathlib.Path
        Where to write it (a ``.keras`` file).
    about : mapping
        What it expects and how it was made (JSON-ready); kept as ``dlis.json``
        inside the archive.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Conv2D(1, 3, padding="same")])
    >>> save_network(model, Path("tiny.keras"), {"expects": {"input": "grey, [0, 1]"}}).name
    'tiny.keras'
    """
    _save_one_step_per_call(model, path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(ABOUT, json.dumps(about, indent=1, default=str))
    return path


def _save_one_step_per_call(model, path: Path) -> None:
    """``model.save(path)``, with compile settings that say one training step per call.

    A network trained with several steps per call (:func:`dlis_gallery.profile.steps_per_call`)
    keeps that number in its compile settings, and Keras' PyTorch backend refuses it: a
    reader who loads the file there, compiled, could neither predict with it nor retrain it.
    """
    compiled = model.get_compile_config()
    if not compiled or compiled.get("steps_per_execution", 1) == 1:
        model.save(path)
        return
    model.get_compile_config = lambda: {**compiled, "steps_per_execution": 1}
    try:
        model.save(path)
    finally:
        del model.get_compile_config


def load_network(path) -> tuple:
    """A network saved by :func:`save_network`, and what it expects.

    Parameters
    ----------
    path : str or pathlib.Path
        The ``.keras`` file.

    Returns
    -------
    tuple
        ``(model, about)``: the Keras network (not compiled) and the mapping saved
        with it (empty for a network saved elsewhere).

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Conv2D(1, 3, padding="same")])
    >>> path = save_network(model, Path("tiny.keras"), {"expects": {"input": "grey, [0, 1]"}})
    >>> network, about = load_network(path)
    >>> about["expects"]["input"], network.count_params()
    ('grey, [0, 1]', 10)
    """
    import keras

    with zipfile.ZipFile(path) as archive:
        about = json.loads(archive.read(ABOUT)) if ABOUT in archive.namelist() else {}
    return keras.saving.load_model(path, compile=False), about


def percentile_normalise(image: np.ndarray, low: float = 1.0, high: float = 99.8) -> np.ndarray:
    """An image with its ``low`` and ``high`` percentiles at 0 and 1.

    The way to bring a microscope's 8-, 12- or 16-bit image to the range a
    network was trained on, without a few hot pixels deciding the scale.
    :func:`normalised` does the same (1st and 99th percentiles by default)
    and scales a target alongside.

    Parameters
    ----------
    image : numpy.ndarray
        Any numeric image.
    low, high : float
        The percentiles that become 0 and 1.

    Returns
    -------
    numpy.ndarray
        float32, same shape; values below ``low`` or above ``high`` fall outside [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> counts = np.arange(1001, dtype="uint16")
    >>> scaled = percentile_normalise(counts, 0, 100)
    >>> float(scaled[0]), float(scaled[-1])
    (0.0, 1.0)
    """
    return normalised(image, percentiles=(low, high))[0]


def normalised(image: np.ndarray, *alongside: np.ndarray, percentiles=(1.0, 99.0)) -> tuple[np.ndarray, ...]:
    """``image`` scaled so that its ``percentiles`` land on 0 and 1, and each of
    ``alongside`` (its clean target, say) scaled the same way.

    This is how :func:`~dlis_gallery.inference.apply_network` scales a
    reader's image (with :attr:`~dlis_gallery.inference.HowToApply.scaled_to`
    at 0 and 1), so a network that learnt from images scaled by it learnt
    the scaling it will meet: an image's own range, whatever its units,
    exposure or noise (as CSBDeep and bioimage.io's ``scale_range`` do).
    Scale whole images, before cutting training patches: a patch's own
    percentiles are not its image's.

    Examples
    --------
    >>> image = np.linspace(100.0, 200.0, 101)
    >>> scaled, target = normalised(image, np.array([101.0, 199.0]))
    >>> [round(float(value), 3) for value in (scaled.min(), scaled.max())], target.tolist()
    ([-0.01, 1.01], [0.0, 1.0])
    """
    low, high = percentile_range(image, percentiles)
    stretch = 1 / max(high - low, 1e-12)
    return tuple(((np.asarray(a, "float32") - low) * stretch).astype("float32") for a in (image, *alongside))


def percentile_range(image: np.ndarray, percentiles=(1.0, 99.0)) -> tuple[float, float]:
    """The values of ``image`` at ``percentiles``: what :func:`normalised` moves to 0 and 1.

    Their difference is how much larger an error is in the image's own units
    than after scaling: weighting each training image's loss by its square
    makes a network learn in the units it will be scored in.

    Examples
    --------
    >>> percentile_range(np.arange(101.0), (10, 90))
    (10.0, 90.0)
    """
    low, high = np.percentile(image, percentiles)
    return float(low), float(high)


def answered(model, batch: np.ndarray) -> np.ndarray:
    """``model``'s answer to ``batch``, as a NumPy array, keeping nothing for training.

    On TensorFlow, the answer comes from a graph of the network, traced once
    per input shape: the eager call sends each of the network's operations
    from Python, and answered a 96x96 field several times slower on a CPU.
    On PyTorch, Keras' eager call keeps every layer's activations for the
    gradients until the answer is freed: with its flip-averaged network, the
    denoising page's smoke run peaked at 4.4 GB that way, and at 1.3 GB here,
    where PyTorch computes no gradients.  JAX keeps nothing.

    Examples
    --------
    >>> import keras
    >>> doubler = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Rescaling(2.0)])
    >>> answered(doubler, np.ones((1, 2, 3, 1), "float32"))[0, ..., 0].tolist()
    [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]
    """
    import contextlib

    import keras

    if keras.backend.backend() == "tensorflow" and isinstance(model, keras.Model):
        return _graph(model)(batch).numpy()
    if keras.backend.backend() == "torch":
        import torch

        quiet = torch.no_grad()
    else:
        quiet = contextlib.nullcontext()
    with quiet:
        return keras.ops.convert_to_numpy(model(batch, training=False))


#: Each network's answer as a TensorFlow graph, traced once per input shape (Keras' own
#: prediction traces for any shape, which an interpolating upsampling layer cannot take).
_GRAPHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _graph(model):
    if model not in _GRAPHS:
        import tensorflow as tf

        network = weakref.ref(model)  # the graph keeps its network no longer than the caller
        _GRAPHS[model] = tf.function(lambda batch: network()(batch, training=False))
    return _GRAPHS[model]


def flip_averaged(model):
    """The network that answers with the mean of ``model``'s answers to the eight turns
    and mirror images of its input (test-time augmentation).

    A network trained on crops turned and flipped at random has learnt every
    orientation, yet its eight answers about one image differ a little; their
    mean is a better answer than any one of them, as averaging several
    networks would be, for eight times the work.  The turns and flips act on
    the last two spatial axes (rows and columns; the planes of a volume keep
    their order), and each answer is turned back before the mean.  The result
    is an ordinary Keras model, made to be applied: it shares ``model``'s
    weights but not its optimizer (train ``model``, not this), and saved,
    loaded or exported to ONNX like any other, it needs nothing of this
    package.  The four mirror images of each orientation go through
    ``model`` as one batch, four times the batch it is given: in inference
    mode each image's answer is its own (called with ``training=True``,
    batch normalisation would pool the four).

    Parameters
    ----------
    model : keras.Model
        A network of one input and one output: images ``(batch, rows, columns,
        channels)`` or volumes ``(batch, planes, rows, columns, channels)`` whose
        answer has the same layout (an image, per-pixel class scores, a heat
        map; larger by a scale is fine).  Its input sides must be free, or
        square: a transposed view swaps them.

    Returns
    -------
    keras.Model
        Takes and gives what ``model`` does.

    Examples
    --------
    A network that looks along rows only answers a turned image differently;
    averaged, it does not:

    >>> import keras
    >>> along_rows = keras.layers.Conv2D(1, (3, 1), padding="same")
    >>> rows = keras.Sequential([keras.Input((None, None, 1)), along_rows])
    >>> image = np.random.default_rng(0).random((1, 6, 8, 1)).astype("float32")
    >>> turned = np.ascontiguousarray(np.swapaxes(image, 1, 2))
    >>> def turns_with_image(network):
    ...     answer, answer_turned = (keras.ops.convert_to_numpy(network(x)) for x in (image, turned))
    ...     return bool(np.allclose(answer_turned, np.swapaxes(answer, 1, 2), atol=1e-6))
    >>> turns_with_image(rows), turns_with_image(flip_averaged(rows))
    (False, True)
    """
    import keras

    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ValueError(
            f"{model.name} has {len(model.inputs)} inputs and {len(model.outputs)} outputs: "
            "flip averaging takes a network of one image in and one answer out"
        )
    inner = keras.Model(model.inputs[0], model.outputs[0], name=model.name)  # its layers, never compiled
    inputs = keras.Input(model.inputs[0].shape[1:])
    rank = len(inputs.shape)
    rows, columns = rank - 3, rank - 2
    swapped = list(range(rank))
    swapped[rows], swapped[columns] = columns, rows

    def viewed(tensor, transpose, flips):
        for axis in flips:
            tensor = keras.ops.flip(tensor, axis=axis)
        return keras.ops.transpose(tensor, swapped) if transpose else tensor

    def turned_back(tensor, transpose, flips):
        tensor = keras.ops.transpose(tensor, swapped) if transpose else tensor
        for axis in flips:
            tensor = keras.ops.flip(tensor, axis=axis)
        return tensor

    # The four mirror images of one orientation have one shape: they go through the
    # network as one batch, so the graph holds it twice, not eight times (the denoising
    # page's ONNX file: 0.54 MB instead of 0.69, exported in 2.9 s instead of 9.9)
    mirrors = [  # the axes each mirror image flips
        [axis for axis, flipped in zip((rows, columns), pair, strict=True) if flipped]
        for pair in itertools.product((False, True), repeat=2)
    ]
    answers = []
    for transpose in (False, True):
        batch = keras.ops.concatenate([viewed(inputs, transpose, flips) for flips in mirrors], axis=0)
        answered_views = keras.ops.split(inner(batch), len(mirrors), axis=0)
        answers += [
            turned_back(answer, transpose, flips)
            for answer, flips in zip(answered_views, mirrors, strict=True)
        ]
    return keras.Model(inputs, keras.layers.Average()(answers), name=f"{model.name}_flip_averaged")


def predict_tiled(model, image: np.ndarray, tile=256, margin=16, scale: int = 1, batch: int = 8):
    """``model`` applied to a 2-D image or a 3-D volume of any size, tile by tile.

    Each tile (``tile`` a side, or one side per axis) is given to the network
    with ``margin`` pixels of its surroundings on every side; those margins,
    where the network lacks context, are cut from its answer before the
    answers are stitched together.  The image is padded by its mirror image
    to a whole number of tiles and the answer cropped back (``symmetric``:
    the edge pixel repeated; mirrored about the edge pixel, ``reflect``
    repeats the noise of the pixels next to it, and cost a denoiser accuracy
    near the edges).
    ``scale`` is how much larger the network's output is than its input (2
    for a 2x super-resolution network).  For a network whose sides must be divisible
    by ``n``, choose ``tile + 2 * margin`` divisible by ``n``.

    Parameters
    ----------
    model : keras.Model
        A network that takes ``(batch, rows, columns, 1)`` (or
        ``(batch, planes, rows, columns, 1)`` for a volume).
    image : numpy.ndarray
        A 2-D image or a 3-D volume, scaled as the network expects.
    tile : int or tuple of int
        The side of the square (or cube, or box: one side per axis) each call
        of the network answers for.
    margin : int or tuple of int
        The context around each tile, cut from the answer: at least the
        network's reach (its receptive field's half-width).
    scale : int
        How much larger the network's output is than its input.
    batch : int
        How many tiles go to the network at once.

    Returns
    -------
    numpy.ndarray
        One value per output pixel, or a last axis of channels when the network
        gives several (class scores).

    Examples
    --------
    >>> import keras, numpy as np
    >>> doubler = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Rescaling(2.0)])
    >>> predict_tiled(doubler, np.ones((50, 70)), tile=32, margin=4).shape
    (50, 70)
    >>> cube = keras.Sequential([keras.Input((None, None, None, 1)), keras.layers.Rescaling(2.0)])
    >>> predict_tiled(cube, np.ones((9, 20, 30)), tile=(8, 16, 16), margin=2).shape
    (9, 20, 30)
    """
    shape = image.shape
    tiles = _per_axis(tile, len(shape))
    margins = _per_axis(margin, len(shape))
    padded_shape = [-(-side // size) * size for side, size in zip(shape, tiles, strict=True)]
    padded = np.pad(
        np.asarray(image, "float32"),
        [(m, full - side + m) for side, full, m in zip(shape, padded_shape, margins, strict=True)],
        mode="symmetric",
    )
    steps = (range(0, full, size) for full, size in zip(padded_shape, tiles, strict=True))
    corners = list(itertools.product(*steps))
    inner = _box([m * scale for m in margins], [size * scale for size in tiles])
    windows = [size + 2 * m for size, m in zip(tiles, margins, strict=True)]
    answer = None
    for start in range(0, len(corners), batch):
        chunk = corners[start : start + batch]
        batch_in = np.stack([padded[_box(corner, windows)] for corner in chunk])
        outputs = answered(model, batch_in[..., None])
        if answer is None:
            answer = np.zeros([full * scale for full in padded_shape] + [outputs.shape[-1]], outputs.dtype)
        for corner, output in zip(chunk, outputs, strict=True):
            answer[_box([c * scale for c in corner], [size * scale for size in tiles])] = output[inner]
    answer = answer[tuple(slice(0, side * scale) for side in shape)]
    return answer[..., 0] if answer.shape[-1] == 1 else answer


def _box(corner, sizes) -> tuple[slice, ...]:
    """The slices of the box of ``sizes`` whose first corner is ``corner``."""
    return tuple(slice(start, start + size) for start, size in zip(corner, sizes, strict=True))


def _per_axis(value, axes: int) -> tuple[int, ...]:
    """One size per axis from an int (the same for all) or a tuple."""
    return tuple(value) if isinstance(value, tuple | list) else (int(value),) * axes
