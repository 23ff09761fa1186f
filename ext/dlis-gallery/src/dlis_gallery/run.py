"""One run of a gallery example: its profile, seeds, timings and what it measured.

Everything an example reports about how it ran (backend, device, profile,
training time) and what it measured (tables, the comparison of methods with
its verdicts, tuned knobs, which images it trained and was judged on) goes
through here, so every page reports the same facts in the same form.  Tables
and comparisons are shown as HTML where a page or notebook can show HTML
(``DLIS_DISPLAY=html``, which the docs build sets, or a Jupyter kernel) and
printed as text in a terminal.  When ``DLIS_METRICS_DIR`` is set, the record
is also written there as JSON, for the benchmark and the tests.  A trained
network is saved (:meth:`ExampleRun.save_network`) where ``DLIS_NETWORKS_DIR``
says, or beside the script when it is not set.
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from .bioimage import PACKAGE_TOOLS
from .inference import HowToApply
from .networks import save_network
from .profile import device_name, gpu_count, select_profile
from .quiet import quiet_keras
from .results import Comparison
from .sweeps import Sweep
from .tuning import Tuned, grid_search

T = TypeVar("T")
#: The backends' seed of every example; ``DLIS_SEED`` (default 0) is added to it.
SEED = 2020
SEED_VARIABLE = "DLIS_SEED"
#: A validation loss within this share of its whole drop from its lowest value has reached its plateau.
PLATEAU = 0.05
METRICS_VARIABLE = "DLIS_METRICS_DIR"
DISPLAY_VARIABLE = "DLIS_DISPLAY"
NETWORKS_VARIABLE = "DLIS_NETWORKS_DIR"


@dataclass
class SavedNetwork:
    """A trained network saved to ``path``, and its bioimage.io ``package``: a page offers both.

    Examples
    --------
    >>> _ = Path("unet.keras").write_bytes(b"1" * 1_500_000)
    >>> str(SavedNetwork(Path("unet.keras")))
    'Saved unet.keras (1.5 MB), with how to apply it inside.'
    """

    path: Path
    package: Path | None = None
    #: Why there is no package, when one was asked for.
    unpacked: str = ""

    def _said(self, path: Path, name: str) -> str:
        size = f"{path.stat().st_size / 1e6:.1f} MB"
        if path == self.package:
            return f"Saved {name} ({size}), its bioimage.io package: {PACKAGE_TOOLS}"
        return f"Saved {name} ({size}), with how to apply it inside."

    def _files(self) -> list[Path]:
        return [self.path, *([self.package] if self.package else [])]

    def _repr_html_(self) -> str:
        said = []
        for path in self._files():
            name = html.escape(path.name)
            sentence = self._said(path, f"<code>{name}</code>")
            said.append(f"<div class='dlis-network' data-dlis-network='{name}'><p>{sentence}</p></div>")
        if self.unpacked:
            said.append(f"<p>{html.escape(self.unpacked)}</p>")
        return "".join(said)

    def __str__(self) -> str:
        return "\n".join([*(self._said(path, str(path)) for path in self._files()), self.unpacked]).strip()


def unpackable(backend: str) -> str:
    """Why a network saved on ``backend`` gets no bioimage.io package here, or ``""``.

    Examples
    --------
    >>> unpackable("jax")
    'No bioimage.io package on the jax backend: Keras exports it to ONNX on TensorFlow.'
    """
    if backend != "tensorflow":
        return f"No bioimage.io package on the {backend} backend: Keras exports it to ONNX on TensorFlow."
    missing = [name for name in ("bioimageio.spec", "tf2onnx", "onnxruntime") if not _installed(name)]
    if missing:
        return f"No bioimage.io package: {', '.join(missing)} missing (pip install 'dlis-gallery[bioimage]')."
    return ""


class OverlappingSetsError(ValueError):
    """The same image in two of an example's data sets (training and held-out, say)."""


class SeedError(ValueError):
    """``DLIS_SEED`` is not a whole number of 0 or more."""


def example_seed(environ=os.environ) -> int:
    """The seed of this run's data, noise, initial weights and tuning draws: ``DLIS_SEED``, or 0.

    Examples
    --------
    >>> example_seed({}), example_seed({"DLIS_SEED": "2"})
    (0, 2)
    """
    given = environ.get(SEED_VARIABLE, "").strip() or "0"
    if not given.isdigit():
        raise SeedError(f"{SEED_VARIABLE}={given!r}: give a whole number, 0 or more")
    return int(given)


def plateau_step(steps: Sequence[int], losses: Sequence[float], within: float = PLATEAU) -> int:
    """The first step whose validation loss is within ``within`` of the loss's whole drop
    from its lowest value: where training stopped paying.

    Examples
    --------
    >>> plateau_step([100, 200, 300, 400], [1.0, 0.3, 0.21, 0.2])
    300
    """
    lowest, first = min(losses), losses[0]
    allowed = lowest + within * max(first - lowest, 0.0)
    return next(step for step, loss in zip(steps, losses, strict=True) if loss <= allowed)


@dataclass
class Table:
    """A measured table: one dict per row, the first key naming the row.

    Examples
    --------
    >>> print(Table("Counts", [{"method": "U-Net", "particles": 1729}]))
    Counts
    method  particles
    ------  ---------
    U-Net   1729
    """

    title: str
    rows: list[dict]

    def _repr_html_(self) -> str:
        columns = list(self.rows[0])
        head = "".join(f"<th scope='col'>{html.escape(column)}</th>" for column in columns)
        body = "".join(
            f"<tr><th scope='row'>{html.escape(_cell(row[columns[0]]))}</th>"
            + "".join(f"<td>{html.escape(_cell(row[column]))}</td>" for column in columns[1:])
            + "</tr>"
            for row in self.rows
        )
        return (
            "<div class='dlis-table-scroll'><table class='dlis-table'>"
            f"<caption>{html.escape(self.title)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
        )

    def __str__(self) -> str:
        columns = list(self.rows[0])
        cells = [[_cell(row[column]) for column in columns] for row in self.rows]
        widths = [max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)]
        lines = [
            self.title,
            "  ".join(column.ljust(width) for column, width in zip(columns, widths, strict=True)),
        ]
        lines.append("  ".join("-" * width for width in widths))
        lines += [
            "  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)) for line in cells
        ]
        return "\n".join(lines)


@dataclass
class ExampleRun:
    """The profile and measurements of one example's run.

    Examples
    --------
    >>> run = ExampleRun(name="demo", profile="quick", backend="tensorflow", device="CPU (2 cores)")
    >>> run.pick(smoke=1, quick=300, full=4000)
    300
    >>> float(run.rng(1).random()) == float(run.rng(1).random())
    True
    """

    name: str
    profile: str
    backend: str
    device: str
    html: bool = False
    seed: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    training: dict = field(default_factory=dict)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    comparisons: list[dict] = field(default_factory=list)
    sweeps: list[dict] = field(default_factory=list)
    tuned: dict[str, dict] = field(default_factory=dict)
    grid_edges: list[str] = field(default_factory=list)
    data_sets: dict[str, list[str]] = field(default_factory=dict)

    def pick(self, *, smoke: T, quick: T, full: T) -> T:
        """The setting for this run's profile."""
        return {"smoke": smoke, "quick": quick, "full": full}[self.profile]

    def rng(self, stream: int = 0) -> np.random.Generator:
        """A NumPy generator for one of the example's streams of draws (data, noise,
        tuning crops...), seeded from this run's seed (``DLIS_SEED``) and ``stream``."""
        return np.random.default_rng([self.seed, stream])

    def learnt(self, history, steps_per_epoch: int) -> None:
        """Record how training went: steps, steps per second and the step where the
        validation loss reached its plateau (call it after ``run.timed("training")``)."""
        losses = [float(loss) for loss in history.history["val_loss"]]
        steps = [steps_per_epoch * epoch for epoch in range(1, len(losses) + 1)]
        seconds = self.timings.get("training", float("nan"))
        plateau = plateau_step(steps, losses)
        self.training = {
            "steps": steps[-1],
            "steps_per_s": steps[-1] / seconds,
            "plateau_step": plateau,
            "plateau_s": seconds * plateau / steps[-1],
            "validation_loss": dict(zip(map(str, steps), losses, strict=True)),
        }
        print(
            f"{steps[-1]} training steps, {self.training['steps_per_s']:.1f} per second; the validation "
            f"loss reached its plateau at step {plateau} ({self.training['plateau_s']:.0f} s)."
        )
        self._save()

    @contextmanager
    def timed(self, what: str):
        """Time a step (such as training) and print how long it took."""
        start = time.perf_counter()
        yield
        self.timings[what] = time.perf_counter() - start
        print(f"{what.capitalize()} took {self.timings[what]:.1f} s ({self.profile} profile, {self.device}).")
        self._save()

    def epoch_log(self, epochs: int, lines: int = 6):
        """A Keras callback printing the loss on about ``lines`` epochs, not per batch."""
        import keras

        every = max(1, epochs // lines)

        class EpochLog(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                if (epoch + 1) % every == 0 or epoch + 1 == epochs:
                    values = ", ".join(f"{key} {value:.4g}" for key, value in (logs or {}).items())
                    print(f"epoch {epoch + 1:>3}/{epochs}: {values}")

        return EpochLog()

    def declare_data(self, **sets: Sequence) -> None:
        """Record which images each data set holds (names of bundled images, or
        arrays), and refuse an image that is in two sets."""
        seen: dict[str, str] = {}
        for set_name, images in sets.items():
            keys = [item if isinstance(item, str) else _digest(item) for item in images]
            for key in keys:
                if key in seen and seen[key] != set_name:
                    raise OverlappingSetsError(f"{key} is in both {seen[key]!r} and {set_name!r}")
                seen[key] = set_name
            self.data_sets[set_name] = keys
        self._save()

    def tune(
        self,
        method: str,
        score: Callable[..., float],
        grid: Mapping[str, Sequence],
        limits: Mapping[str, tuple[float, float]] | None = None,
        workers: int = 1,
    ) -> dict:
        """Tune ``method``'s knobs on ``grid`` (best ``score``, ``workers`` values at
        once), print the choice, warn when a best value is on the edge of its grid
        and note one at a declared limit; return the knobs."""
        tuned: Tuned = grid_search(score, grid, limits, workers=workers)
        self.tuned[method] = tuned.knobs
        choice = ", ".join(f"{knob} = {value!r}" for knob, value in tuned.knobs.items())
        print(f"{method}: {choice}")
        for note in tuned.notes(method):
            print(note)
        for warning in tuned.warnings(method):
            print(warning)
            self.grid_edges.append(warning)
        self._save()
        return tuned.knobs

    def table(self, title: str, rows: list[dict]) -> Table:
        """A measured table (one dict per row, first key the row's name): shown
        where HTML can be, printed otherwise; end a code cell with it."""
        self.tables[title] = rows
        self._save()
        return self._shown(Table(title, rows))

    def compare(self, scores: Mapping[str, Mapping[str, Sequence[float]]], **options) -> Comparison:
        """Every method's per-item scores, with intervals and the network's verdicts;
        ``options`` are :class:`~dlis_gallery.results.Comparison`'s (``network``,
        ``items``, ``verdict_on``, ``case``...).  End a code cell with it."""
        comparison = Comparison(scores, **options)
        self.comparisons.append(comparison.record())
        self._save()
        return self._shown(comparison)

    def sweep(self, scores: Mapping[float, Mapping[str, Sequence[float]]], **options) -> Sweep:
        """The network's margin over the best other method at each level of a knob of
        difficulty; ``options`` are :class:`~dlis_gallery.sweeps.Sweep`'s (``knob``,
        ``metric``, ``network``, ``items``...).  End a code cell with it."""
        swept = Sweep(scores, **options)
        self.sweeps.append(swept.record())
        self._save()
        return self._shown(swept)

    def save_network(self, model, how: HowToApply, learnt: str, sample=None) -> SavedNetwork:
        """Save the trained ``model`` as ``<name>.keras`` with how to apply it (``how``,
        measured by :func:`~dlis_gallery.inference.how_to_apply`), what it ``learnt`` (the
        sample, in a sentence) and how this run trained and scored it; with a held-out
        ``sample`` image, its bioimage.io package too (on the TensorFlow backend, whose
        ONNX export it uses).  End a code cell with it."""
        import keras

        folder = Path(os.environ.get(NETWORKS_VARIABLE, "."))
        folder.mkdir(parents=True, exist_ok=True)
        about = {
            "network": self.name,
            "learnt": learnt,
            "apply": how.record(),
            "profile": self.profile,
            "keras": keras.__version__,
            "backend": self.backend,
            "device": self.device,
            "seed": self.seed,
            "data_sets": self.data_sets,
            "comparisons": self.comparisons,
        }
        path = save_network(model, folder / f"{self.name}.keras", about)
        package, unpacked = None, ""
        if sample is not None:
            unpacked = unpackable(keras.backend.backend())
            if not unpacked:
                from .bioimage import package_network

                package = package_network(model, how, about, path, sample)
        return self._shown(SavedNetwork(path, package, unpacked))

    def _shown(self, shown: T) -> T:
        if not self.html:
            print(f"\n{shown}")
        return shown

    def _save(self) -> None:
        folder = os.environ.get(METRICS_VARIABLE)
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            record = {
                "example": self.name,
                "script": Path(sys.argv[0]).name,
                "profile": self.profile,
                "backend": self.backend,
                "device": self.device,
                "seed": self.seed,
                "timings": self.timings,
                "training": self.training,
                "tables": self.tables,
                "comparisons": self.comparisons,
                "sweeps": self.sweeps,
                "tuned": self.tuned,
                "grid_edges": self.grid_edges,
                "data_sets": self.data_sets,
            }
            Path(folder, f"{self.name}.json").write_text(json.dumps(record, indent=1, default=_plain))


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its parent package is missing
        return False


def _plain(value):
    """JSON for NumPy numbers in records."""
    return value.item() if hasattr(value, "item") else str(value)


def _digest(image) -> str:
    array = np.ascontiguousarray(image)
    return "array " + hashlib.sha256(array.tobytes() + str(array.shape).encode()).hexdigest()[:16]


def shows_html(environ=os.environ) -> bool:
    """Whether what this process prints ends up where HTML is shown: a docs build
    that says so, or a Jupyter kernel.

    Examples
    --------
    >>> shows_html({"DLIS_DISPLAY": "html"})
    True
    """
    return environ.get(DISPLAY_VARIABLE) == "html" or "ipykernel" in sys.modules


def _cell(value) -> str:
    if not isinstance(value, float):
        return str(value)
    return f"{value:.2e}" if value and abs(value) < 1e-2 else f"{value:.3f}"


def start_run(name: str) -> ExampleRun:
    """Choose the profile, fix the seeds and print how this example runs.

    Examples
    --------
    The first line of every example: ``run = start_run("denoising")``, then
    ``STEPS = run.pick(smoke=10, quick=550, full=8000)``.
    """
    keras = quiet_keras()
    gpus = gpu_count()
    run = ExampleRun(
        name=name,
        profile=select_profile(gpus=lambda: gpus),
        backend=keras.backend.backend(),
        device=device_name(gpus),
        html=shows_html(),
        seed=example_seed(),
    )
    make_deterministic(SEED + run.seed, kernels=gpus == 0)
    print(
        f"Keras {keras.__version__}, backend {run.backend}, device {run.device}, profile {run.profile}, "
        f"seed {run.seed}."
    )
    return run


def make_deterministic(seed: int, kernels: bool = True) -> None:
    """Seed Python, NumPy and the backend; with ``kernels``, also ask the backend for
    deterministic kernels.

    On a CPU they cost little and make two runs print the same digits (a test
    checks it).  On a GPU they slow training down, so the full profile keeps
    the seeds but lets the last digits vary from run to run.

    Examples
    --------
    >>> make_deterministic(2020, kernels=False)
    >>> first = float(np.random.rand())
    >>> make_deterministic(2020, kernels=False)
    >>> float(np.random.rand()) == first
    True
    """
    import keras

    keras.utils.set_random_seed(seed)
    if not kernels:
        return
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    elif backend == "torch":
        import torch

        torch.use_deterministic_algorithms(True, warn_only=True)
