"""A trained network as a bioimage.io model package, the format of Fiji, ilastik, napari and Icy.

Most imaging scientists do not write Keras; their tools share one format, the
BioImage Model Zoo's package (``rdf.yaml`` in spec 0.5, weights, test
tensors).  :func:`package_network` writes one for a network an example
trained, from the same record that :func:`~dlis_gallery.inference.apply_network`
follows (:class:`~dlis_gallery.inference.HowToApply`): the percentile scaling
becomes the spec's ``scale_range`` (then ``scale_linear``, for a network that
learnt another range than 0 to 1), the poolings the input's minimum size and
step, the reach the output's halo, the scale of a super-resolution network
its output axes' size, and class scores a ``softmax``.  The weights are ONNX
(the format most of those tools run) with the ``.keras`` file beside them as
``keras_v3``; the test tensors are a held-out image and the package's own
answer to it.  It is described with ``bioimageio.spec``'s model classes, which
validate it as they write it.
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from .inference import HowToApply
from .networks import ABOUT, answered
from .results import render_text

#: What each kind of network gives back, in the package's words.
SCALED_UNITS = (
    "in the scaled units of the input (its percentiles {first:g} and {second:g} at {low:.3f} and {high:.3f})"
)
OUTPUT_WORDS = {
    "denoise": f"the denoised image, {SCALED_UNITS}",
    "upscale": f"the image twice as large, {SCALED_UNITS}",
    "segment": "the probability of each class at each pixel (a label image is its argmax over channels)",
    "detect": "a heat map with a peak on each spot (peaks above {threshold:g}, {min_distance} or more pixels "
    "apart, are spots)",
}
#: What the site is cited as: its methods are the cited papers' (U-Net and content-aware restoration).
CITATIONS = (
    (
        "Ronneberger, Fischer, Brox: U-Net, convolutional networks for biomedical image segmentation (2015)",
        "10.1007/978-3-319-24574-4_28",
    ),
    (
        "Weigert et al.: Content-aware image restoration, pushing the limits of fluorescence microscopy",
        "10.1038/s41592-018-0216-7",
    ),
)
#: Which tools open a package, in one sentence.
PACKAGE_TOOLS = (
    "deepImageJ (Fiji), Icy, ilastik and napari run its ONNX weights; QuPath needs TorchScript "
    "or a TensorFlow saved model, which it does not carry."
)
#: Tools that open each weight format of the package.
TOOLS = {
    "onnx": "deepImageJ (Fiji) and Icy through JDLL, ilastik and napari through bioimageio.core, onnxruntime",
    "keras_v3": "bioimageio.core with Keras 3 installed; Keras itself",
}
#: The side of the tiles of a package whose graph has fixed sides (see :func:`_fixed_size`).
FIXED_SIDE = 128
EPS = 1e-6  # the spec's default eps of scale_range


class OnnxNetwork:
    """A package's ONNX weights run by onnxruntime, called as a Keras model is: no Keras needed.

    ``fixed_side`` is the side its input must have, or None when any side
    (a multiple of its step) will do.

    Examples
    --------
    The example of :func:`package_network` packs a network, loads it and runs it.
    """

    def __init__(self, weights: bytes):
        import onnxruntime

        self.session = onnxruntime.InferenceSession(weights, providers=["CPUExecutionProvider"])
        (entry,) = self.session.get_inputs()
        self.input_name = entry.name
        self.fixed_side = entry.shape[1] if isinstance(entry.shape[1], int) else None

    def __call__(self, batch: np.ndarray, training: bool = False) -> np.ndarray:
        return self.session.run(None, {self.input_name: np.asarray(batch, "float32")})[0]


def load_package(path: Path) -> tuple[OnnxNetwork, HowToApply]:
    """The ONNX network of a package written by :func:`package_network`, and how to apply it.

    Examples
    --------
    The example of :func:`package_network` packs a network, loads it and runs it.
    """
    with zipfile.ZipFile(path) as package:
        (weights,) = [name for name in package.namelist() if name.endswith(".onnx")]
        about = json.loads(package.read(ABOUT))
        return OnnxNetwork(package.read(weights)), HowToApply.from_record(about["apply"])


def preprocessed(image: np.ndarray, how: HowToApply) -> np.ndarray:
    """``image`` as the package's preprocessing leaves it: its percentiles to 0 and 1
    (``scale_range``), then to where the network learnt them (``scale_linear``).

    Examples
    --------
    >>> how = HowToApply("denoise", (1, 99), (0.1, 0.9), (0.0, 1.0), (0.0, 1.0), halo=1)
    >>> image = np.linspace(0, 100, 101)
    >>> [round(float(value), 3) for value in preprocessed(image, how)[[1, 99]]]
    [0.1, 0.9]
    """
    image = np.asarray(image, "float32")
    low, high = np.percentile(image, how.percentiles)
    (to_low, to_high) = how.scaled_to
    ranged = (image - low) / (high - low + EPS)
    return (ranged * (to_high - to_low) + to_low).astype("float32")


def package_network(
    model,
    how: HowToApply,
    about: Mapping,
    keras_file: Path,
    sample: np.ndarray,
    covers: Sequence[Path] = (),
) -> Path:
    """Write ``<name>.bioimageio.zip`` beside ``keras_file`` and return its path.

    Parameters
    ----------
    model : keras.Model
        The trained network (one grey channel in).
    how : HowToApply
        How it is applied, as the example measured it.
    about : mapping
        The saved network's record (``network``, ``learnt``, ``profile``, ``comparisons``).
    keras_file : pathlib.Path
        The ``.keras`` file it was saved as: the package goes beside it, with the
        network (without its optimizer's state) as ``keras_v3`` weights.
    sample : numpy.ndarray
        A held-out 2-D image (a 3-D volume for a network of volumes) in the units
        of the images it learnt from: the test input.
    covers : sequence of pathlib.Path
        Figures of the page, PNG (the package makes one from ``sample`` if none).

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Conv2D(1, 3, padding="same")])
    >>> how = HowToApply("denoise", (1, 99), (0.1, 0.9), (0.0, 1.0), (0.0, 1.0), halo=1)
    >>> about = {"network": "tiny", "learnt": "noise", "apply": how.record(), "comparisons": []}
    >>> model.save("tiny.keras")
    >>> sample = np.random.default_rng(0).uniform(0, 1, (32, 32))
    >>> package = package_network(model, how, about, Path("tiny.keras"), sample)
    >>> package.name
    'tiny.bioimageio.zip'
    >>> network, how = load_package(package)  # runs without Keras
    >>> network(np.zeros((1, 48, 40, 1))).shape
    (1, 48, 40, 1)
    """
    import keras
    from bioimageio.spec import save_bioimageio_package
    from bioimageio.spec.model import v0_5 as spec

    sample = _cropped(np.asarray(sample, "float32"), how.multiple)
    if _fixed_size(model):  # tiles of one size: a square the tools cut any image into
        side = min(FIXED_SIDE, *sample.shape)
        sample = sample[(slice(0, side),) * sample.ndim]
    test_input = sample[None, ..., None]
    answer = answered(model, preprocessed(test_input, how))
    test_output = _softmax(answer) if how.kind == "segment" else answer
    name = about["network"]
    folder = Path(keras_file).parent
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        onnx_file = _exported(model, scratch / f"{name}.onnx", preprocessed(test_input, how), answer)
        np.save(scratch / "test_input.npy", test_input)
        np.save(scratch / "test_output.npy", test_output.astype("float32"))
        record = scratch / ABOUT
        record.write_text(json.dumps({key: about[key] for key in ("network", "learnt", "apply")}), "utf-8")
        documentation = scratch / "README.md"
        documentation.write_text(_documentation(how, about), "utf-8")
        covers = list(covers) or [_cover(sample, test_output, how, scratch / "cover.png")]
        description = spec.ModelDescr(
            name=f"{_title(name)} network (Deep Learning for Imaging Scientists)",
            description=f"{_title(name)}, trained on {about['learnt']}; the site measures it against "
            "the strongest tuned classical method on held-out images (see the documentation).",
            authors=[spec.Author(name="Deep Learning for Imaging Scientists")],
            cite=[spec.CiteEntry(text=text, doi=spec.Doi(doi)) for text, doi in CITATIONS],
            license=spec.LicenseId("MIT"),
            documentation=spec.FileDescr(source=documentation),
            covers=[spec.FileDescr(source=cover) for cover in covers],
            attachments=[spec.FileDescr(source=record)],
            tags=[f"{how.dims}d", "fluorescence-light-microscopy" if how.kind == "denoise" else "microscopy"]
            + [how.kind],
            inputs=[
                _input(
                    spec,
                    how,
                    scratch / "test_input.npy",
                    test_input.shape[1:-1] if _fixed_size(model) else None,
                )
            ],
            outputs=[_output(spec, how, scratch / "test_output.npy", test_output.shape[-1])],
            weights=spec.WeightsDescr(
                onnx=spec.OnnxWeightsDescr(source=onnx_file, opset_version=_opset(onnx_file)),
                keras_v3=spec.KerasV3WeightsDescr(
                    source=_without_optimizer(model, scratch / Path(keras_file).name),
                    keras_version=spec.Version(keras.__version__),
                    backend=_backend(spec),
                ),
            ),
        )
        return save_bioimageio_package(description, output_path=folder / f"{name}.bioimageio.zip")


def _space(how: HowToApply) -> str:
    """The package's spatial axes: ``yx``, or ``zyx`` for a network of volumes."""
    return "zyx" if how.dims == 3 else "yx"


def _input(spec, how: HowToApply, test_tensor: Path, fixed: tuple[int, ...] | None):
    step = max(how.multiple, 1)
    axes = _space(how)
    sizes = list(fixed or []) or [spec.ParameterizedSize(min=how.smallest_side(), step=step)] * len(axes)
    space = [
        spec.SpaceInputAxis(id=spec.AxisId(axis), size=size) for axis, size in zip(axes, sizes, strict=True)
    ]
    return spec.InputTensorDescr(
        id=spec.TensorId("raw"),
        description="one grey image, in any units (a 16-bit TIFF of counts, say)",
        axes=[spec.BatchAxis(), *space, spec.ChannelAxis(channel_names=[spec.Identifier("grey")])],
        test_tensor=spec.FileDescr(source=test_tensor),
        preprocessing=[
            spec.ScaleRangeDescr(
                kwargs=spec.ScaleRangeKwargs(
                    axes=[spec.AxisId(axis) for axis in axes],
                    min_percentile=how.percentiles[0],
                    max_percentile=how.percentiles[1],
                    eps=EPS,
                )
            ),
            *_to_learnt_range(spec, how),
        ],
    )


def _to_learnt_range(spec, how: HowToApply) -> list:
    """The ``scale_linear`` from 0 and 1 to :attr:`HowToApply.scaled_to`; none where the
    network learnt images scaled to 0 and 1 themselves (the spec refuses a step that does nothing)."""
    gain, offset = float(np.diff(how.scaled_to)[0]), float(how.scaled_to[0])
    if np.isclose(gain, 1.0, rtol=0, atol=1e-6) and np.isclose(offset, 0.0, rtol=0, atol=1e-6):
        return []
    return [spec.ScaleLinearDescr(kwargs=spec.ScaleLinearKwargs(gain=gain, offset=offset))]


def _output(spec, how: HowToApply, test_tensor: Path, channels: int):
    space = [
        spec.SpaceOutputAxisWithHalo(
            id=spec.AxisId(axis),
            size=spec.SizeReference(tensor_id=spec.TensorId("raw"), axis_id=spec.AxisId(axis)),
            halo=how.halo * how.scale,
            scale=1 / how.scale,
        )
        for axis in _space(how)
    ]
    names = [f"class{index}" for index in range(channels)] if how.kind == "segment" else ["grey"]
    return spec.OutputTensorDescr(
        id=spec.TensorId(how.kind),
        description=_output_words(how),
        axes=[spec.BatchAxis(), *space, spec.ChannelAxis(channel_names=[spec.Identifier(n) for n in names])],
        test_tensor=spec.FileDescr(source=test_tensor),
        postprocessing=[spec.SoftmaxDescr(kwargs=spec.SoftmaxKwargs(axis=spec.AxisId("channel")))]
        if how.kind == "segment"
        else [],
    )


def _output_words(how: HowToApply) -> str:
    """What the network gives back, in the package's words, with its record's numbers."""
    peaks = {"threshold": 0, "min_distance": 0, **how.peaks}
    (first, second), (low, high) = how.percentiles, how.scaled_to
    return OUTPUT_WORDS[how.kind].format(first=first, second=second, low=low, high=high, **peaks)


def _documentation(how: HowToApply, about: Mapping) -> str:
    learnt_noise = f"{how.noise[0]:.3f} to {how.noise[1]:.3f}"
    lines = [
        f"# {_title(about['network'])}",
        "",
        f"Trained on {about['learnt']} ({about.get('profile', '?')} profile of the site's build).",
        "",
        "## What it gives",
        "",
        _output_words(how) + ".",
        "",
        "## Its limits",
        "",
        f"- It learnt noise of {learnt_noise} (standard deviation after scaling): an image much less or "
        "more noisy than that is outside what it saw.",
        f"- It sees {how.halo} pixels around each output pixel; tiles must overlap by that much.",
        "- A network fills in what looked likely in its training images: check its output against "
        "an independent measurement before you count or measure anything in it.",
        "",
        "## Measured in the build that trained it (held-out images)",
        "",
    ]
    for record in about.get("comparisons", []):
        lines += ["```", render_text(record), "```", ""]
    lines += ["## Which tools open it", ""]
    lines += [f"- `{weights}`: {tools}" for weights, tools in TOOLS.items()]
    return "\n".join(lines) + "\n"


def _cover(sample: np.ndarray, output: np.ndarray, how: HowToApply, path: Path) -> Path:
    """The test input beside the package's answer, as a 2:1 PNG (a volume's middle plane)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    answer = output[0].argmax(axis=-1) if how.kind == "segment" else output[0, ..., 0]
    if sample.ndim == 3:
        sample, answer = sample[len(sample) // 2], answer[len(answer) // 2]
    figure, axes = plt.subplots(1, 2, figsize=(6, 3), layout="constrained")
    for axis, image, title in zip(axes, (sample, answer), ("input", how.kind), strict=True):
        axis.imshow(image, cmap="viridis" if how.kind == "segment" and image is answer else "gray")
        axis.set_title(title)
        axis.set_axis_off()
    figure.savefig(path, dpi=64)
    plt.close(figure)
    return path


def _exported(model, path: Path, test_input: np.ndarray, answer: np.ndarray) -> Path:
    """``model`` as ONNX (Keras' export), checked against Keras' ``answer`` to ``test_input``.

    tf2onnx now and then drops the last ``Squeeze`` of a convolution at the graph's
    output (the same network, exported twice, once gives a leading axis of 1 more):
    that axis is squeezed in the graph.  Any other difference from Keras is an error.
    """
    import keras
    import onnx

    sides = (None, *test_input.shape[1:-1], 1)
    signature = [keras.InputSpec(shape=sides, dtype="float32")] if _fixed_size(model) else None
    model.export(str(path), format="onnx", verbose=False, input_signature=signature)
    graph = onnx.load(str(path))
    found = OnnxNetwork(graph.SerializeToString())(test_input)
    if found.shape == (1, *answer.shape):
        _squeeze_output(graph)
        onnx.save(graph, str(path))
        found = OnnxNetwork(graph.SerializeToString())(test_input)
    scale = max(1.0, float(np.abs(answer).max()))
    if found.shape != answer.shape or not np.allclose(found, answer, atol=1e-4 * scale):
        raise RuntimeError(
            f"{path.name}: the ONNX export does not give Keras' answer "
            f"(shapes {found.shape} and {answer.shape})"
        )
    return path


def _squeeze_output(graph) -> None:
    """Squeeze the first axis of the ONNX ``graph``'s output (opset 13 or later)."""
    from onnx import helper, numpy_helper

    (output,) = graph.graph.output
    inner = _unused_name(graph, f"{output.name}_unsqueezed")
    axis = _unused_name(graph, "dlis_first_axis")
    for node in graph.graph.node:
        node.output[:] = [inner if name == output.name else name for name in node.output]
    graph.graph.initializer.append(numpy_helper.from_array(np.array([0], np.int64), axis))
    graph.graph.node.append(helper.make_node("Squeeze", [inner, axis], [output.name]))
    del output.type.tensor_type.shape.dim[0]


def _unused_name(graph, stem: str) -> str:
    """``stem``, or ``stem`` with a number, that names nothing in the ONNX ``graph`` yet
    (an output squeezed twice needs two names)."""
    taken = {initializer.name for initializer in graph.graph.initializer}
    taken.update(name for node in graph.graph.node for name in [*node.input, *node.output])
    candidates = (stem if number == 0 else f"{stem}_{number}" for number in range(len(taken) + 1))
    return next(name for name in candidates if name not in taken)


def _without_optimizer(model, path: Path) -> Path:
    """The network alone, as a ``.keras`` file: a third of the size of one that keeps the
    optimizer's state for more training (the page's own download does, unless the page
    saves a flip-averaged network, which has none), and that needs no custom loss to load."""
    import keras

    keras.Model(model.inputs, model.outputs).save(path)  # the same layers, never compiled
    return path


def _fixed_size(model) -> bool:
    """Whether the ONNX graph must have fixed sides: Keras cannot trace an interpolating
    ``UpSampling2D`` with free sides (``ops.image.resize`` tests the size in Python)."""
    import keras

    upsampling = [layer for layer in _all_layers(model) if isinstance(layer, keras.layers.UpSampling2D)]
    return any(layer.interpolation != "nearest" for layer in upsampling)


def _all_layers(model):
    """Every layer of ``model``, and of the networks inside it (a flip-averaged network is
    one layer around the trained one)."""
    for layer in model.layers:
        yield layer
        yield from _all_layers(layer) if hasattr(layer, "layers") else ()


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _cropped(image: np.ndarray, multiple: int) -> np.ndarray:
    return image[tuple(slice(0, side - side % max(multiple, 1)) for side in image.shape)]


def _opset(onnx_file: Path) -> int:
    import onnx

    imports = onnx.load(str(onnx_file)).opset_import
    return max(entry.version for entry in imports if entry.domain in ("", "ai.onnx"))


def _backend(spec) -> tuple:
    """Keras' backend and its version, as ``keras_v3`` weights declare them."""
    import importlib.metadata

    import keras

    backend = keras.backend.backend()
    return (backend, spec.Version(importlib.metadata.version(backend)))


def _title(name: str) -> str:
    return name.replace("_", " ").replace("plot ", "").strip().capitalize()
