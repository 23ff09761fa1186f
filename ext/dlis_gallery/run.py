"""One run of a gallery example: its profile, seeds, timings and printed results.

Everything an example prints about how it ran (backend, device, profile,
training time) and what it measured (the comparison table) goes through here,
so every page reports the same facts in the same form.  When
``DLIS_METRICS_DIR`` is set, the measured table is also written there as JSON,
for the benchmark and the tests.
"""

from __future__ import annotations

import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .profile import device_name, gpu_count, select_profile
from .quiet import quiet_keras

T = TypeVar("T")
SEED = 2020
METRICS_VARIABLE = "DLIS_METRICS_DIR"


@dataclass
class ExampleRun:
    """The profile and measurements of one example's run."""

    name: str
    profile: str
    backend: str
    device: str
    timings: dict[str, float] = field(default_factory=dict)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    verdicts: dict[str, dict] = field(default_factory=dict)

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

    def table(self, title: str, rows: list[dict], note: str = "") -> None:
        """Print a measured table (one dict per row, first key the method)."""
        self.tables[title] = rows
        columns = list(rows[0])
        cells = [[_cell(row[column]) for column in columns] for row in rows]
        widths = [max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)]
        print(f"\n{title}" + (f" ({note})" if note else ""))
        print("  ".join(column.ljust(width) for column, width in zip(columns, widths, strict=True)))
        print("  ".join("-" * width for width in widths))
        for line in cells:
            print("  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)))
        self._save()

    def verdict(
        self, rows: list[dict], metric: str, unit: str = "", against: str = "classical method"
    ) -> float:
        """Print how far the last row (the network) is ahead of the best other row on
        ``metric`` (higher is better), and return that gap.  ``against`` names what
        the other rows are."""
        *others, network = rows
        best = max(others, key=lambda row: row[metric])
        gap = network[metric] - best[metric]
        self.verdicts[metric] = {
            "network": network[metric],
            "best": best["method"],
            "best_value": best[metric],
        }
        self._save()
        print(
            f"{network['method']} is {'ahead of' if gap >= 0 else 'behind'} the best {against} "
            f"({best['method']}) by {abs(gap):.3f}{unit} {metric} in this build ({self.profile} profile)."
        )
        return gap

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
                "verdicts": self.verdicts,
            }
            Path(folder, f"{self.name}.json").write_text(json.dumps(record, indent=1))


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
    )
    make_deterministic(SEED)
    print(f"Keras {keras.__version__}, backend {run.backend}, device {run.device}, profile {run.profile}.")
    return run


def make_deterministic(seed: int) -> None:
    """Seed Python, NumPy and the backend, and ask the backend for deterministic kernels."""
    import keras

    keras.utils.set_random_seed(seed)
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
    elif backend == "torch":
        import torch

        torch.use_deterministic_algorithms(True, warn_only=True)
