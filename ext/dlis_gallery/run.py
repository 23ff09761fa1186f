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

from .networks import save_network
from .profile import device_name, gpu_count, select_profile
from .quiet import quiet_keras
from .results import Comparison
from .tuning import Tuned, grid_search

T = TypeVar("T")
SEED = 2020
METRICS_VARIABLE = "DLIS_METRICS_DIR"
DISPLAY_VARIABLE = "DLIS_DISPLAY"
NETWORKS_VARIABLE = "DLIS_NETWORKS_DIR"


@dataclass
class SavedNetwork:
    """A trained network saved to ``path``: a page offers it for download."""

    path: Path

    def _said(self, name: str) -> str:
        return f"Saved {name} ({self.path.stat().st_size / 1e6:.1f} MB), with what it expects inside."

    def _repr_html_(self) -> str:
        name = html.escape(self.path.name)
        said = self._said(f"<code>{name}</code>")
        return f"<div class='dlis-network' data-dlis-network='{name}'><p>{said}</p></div>"

    def __str__(self) -> str:
        return self._said(str(self.path))


class OverlappingSetsError(ValueError):
    """The same image in two of an example's data sets (training and held-out, say)."""


@dataclass
class Table:
    """A measured table: one dict per row, the first key naming the row."""

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
    """The profile and measurements of one example's run."""

    name: str
    profile: str
    backend: str
    device: str
    html: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    comparison: dict | None = None
    tuned: dict[str, dict] = field(default_factory=dict)
    grid_edges: list[str] = field(default_factory=list)
    data_sets: dict[str, list[str]] = field(default_factory=dict)

    def pick(self, *, smoke: T, quick: T, full: T) -> T:
        """The setting for this run's profile."""
        return {"smoke": smoke, "quick": quick, "full": full}[self.profile]

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
    ) -> dict:
        """Tune ``method``'s knobs on ``grid`` (best ``score``), print the choice, warn
        when a best value is on the edge of its grid and note one at a declared
        limit; return the knobs."""
        tuned: Tuned = grid_search(score, grid, limits)
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
        ``items``, ``verdict_on``, ...).  End a code cell with it."""
        comparison = Comparison(scores, **options)
        self.comparison = comparison.record()
        self._save()
        return self._shown(comparison)

    def save_network(self, model, **expects) -> SavedNetwork:
        """Save the trained ``model`` as ``<name>.keras`` with what it ``expects``
        (input, normalisation, noise...) and how this run trained and scored it;
        end a code cell with it."""
        import keras

        folder = Path(os.environ.get(NETWORKS_VARIABLE, "."))
        folder.mkdir(parents=True, exist_ok=True)
        about = {
            "network": self.name,
            "expects": expects,
            "profile": self.profile,
            "keras": keras.__version__,
            "backend": self.backend,
            "device": self.device,
            "data_sets": self.data_sets,
            "comparison": self.comparison,
        }
        return self._shown(SavedNetwork(save_network(model, folder / f"{self.name}.keras", about)))

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
                "profile": self.profile,
                "backend": self.backend,
                "device": self.device,
                "timings": self.timings,
                "tables": self.tables,
                "comparison": self.comparison,
                "tuned": self.tuned,
                "grid_edges": self.grid_edges,
                "data_sets": self.data_sets,
            }
            Path(folder, f"{self.name}.json").write_text(json.dumps(record, indent=1, default=_plain))


def _plain(value):
    """JSON for NumPy numbers in records."""
    return value.item() if hasattr(value, "item") else str(value)


def _digest(image) -> str:
    array = np.ascontiguousarray(image)
    return "array " + hashlib.sha256(array.tobytes() + str(array.shape).encode()).hexdigest()[:16]


def shows_html(environ=os.environ) -> bool:
    """Whether what this process prints ends up where HTML is shown: a docs build
    that says so, or a Jupyter kernel."""
    return environ.get(DISPLAY_VARIABLE) == "html" or "ipykernel" in sys.modules


def _cell(value) -> str:
    if not isinstance(value, float):
        return str(value)
    return f"{value:.2e}" if value and abs(value) < 1e-2 else f"{value:.3f}"


def start_run(name: str) -> ExampleRun:
    """Choose the profile, fix the seeds and print how this example runs."""
    keras = quiet_keras()
    gpus = gpu_count()
    run = ExampleRun(
        name=name,
        profile=select_profile(gpus=lambda: gpus),
        backend=keras.backend.backend(),
        device=device_name(gpus),
        html=shows_html(),
    )
    make_deterministic(SEED, kernels=gpus == 0)
    print(f"Keras {keras.__version__}, backend {run.backend}, device {run.device}, profile {run.profile}.")
    return run


def make_deterministic(seed: int, kernels: bool = True) -> None:
    """Seed Python, NumPy and the backend; with ``kernels``, also ask the backend for
    deterministic kernels.

    On a CPU they cost little and make two runs print the same digits (a test
    checks it).  On a GPU they slow training down, so the full profile keeps
    the seeds but lets the last digits vary from run to run.
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
