"""Which machine measured the bench, and how fast it runs one fixed workload.

The budgets are wall seconds "on a 2-core machine", but 2-core machines
differ: the same training ran 2.3 to 2.6 times slower on a 2-core AMD EPYC
without AVX-512 than on one with it.  So every bench record names the CPU
(model and widest vector extension) and times a fixed workload in the
examples' own setting: a small convolutional network trained on fixed
random batches (steps per second), and a fixed scikit-image feature stack
(seconds).  Two records' wall times compare through those figures.

Run alone (``python machine_speed.py``) it prints them as JSON; the bench
calls :func:`machine` in its own process so the workload sees the examples'
environment (backend, threads).
"""

from __future__ import annotations

import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: Vector extensions from the widest down, as ``/proc/cpuinfo`` names them.
VECTOR_FLAGS = ("avx512f", "avx2", "avx", "sse4_2", "neon", "asimd")
STEPS, BATCH, SIDE, REPEATS, FEATURE_STACKS = 60, 8, 64, 3, 10


def cpu_description(cpuinfo: str) -> str:
    """``"<model>, <widest vector extension>"`` from the text of ``/proc/cpuinfo``.

    >>> cpu_description("model name\\t: AMD EPYC\\nflags\\t\\t: fpu sse4_2 avx avx2 fma\\n")
    'AMD EPYC, AVX2'
    >>> cpu_description("model name : Intel(R) Xeon(R)\\nflags : avx avx2 avx512f avx512_bf16\\n")
    'Intel(R) Xeon(R), AVX512F'
    """
    fields = {}
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip().lower(), value.strip())
    model = fields.get("model name") or platform.processor() or platform.machine()
    flags = set((fields.get("flags") or fields.get("features") or "").split())
    widest = next((flag.upper() for flag in VECTOR_FLAGS if flag in flags), "no vector extension found")
    return f"{model}, {widest}"


def _network_steps_per_s() -> float:
    import keras
    import numpy as np

    from dlis_gallery.profile import steps_per_call

    keras.utils.set_random_seed(0)
    layers = [keras.Input((SIDE, SIDE, 1))]
    for width in (16, 32, 16):
        layers += [keras.layers.Conv2D(width, 3, padding="same"), keras.layers.BatchNormalization()]
        layers += [keras.layers.Activation("relu")]
    model = keras.Sequential([*layers, keras.layers.Conv2D(1, 1)])
    model.compile(optimizer="adam", loss="mse", steps_per_execution=steps_per_call(STEPS))
    batches = np.random.default_rng(0).normal(size=(2, STEPS * BATCH, SIDE, SIDE, 1)).astype("float32")

    def train():
        model.fit(batches[0], batches[1], batch_size=BATCH, verbose=0)

    train()  # compiles
    return STEPS / _median_seconds(train)


def _classical_s() -> float:
    from skimage import data
    from skimage.feature import multiscale_basic_features

    image = data.camera() / 255.0

    def stacks():
        for _ in range(FEATURE_STACKS):
            multiscale_basic_features(image, sigma_min=1, sigma_max=16)

    return _median_seconds(stacks)


def _median_seconds(work) -> float:
    seconds = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def measure() -> dict:
    """This machine and its speed on the fixed workload (run where the examples run)."""
    cpuinfo = Path("/proc/cpuinfo")
    return {
        "cpu": cpu_description(cpuinfo.read_text() if cpuinfo.exists() else ""),
        "network_steps_per_s": round(_network_steps_per_s(), 1),
        "classical_s": round(_classical_s(), 3),
    }


def machine(env: dict) -> dict:
    """:func:`measure`, run in a process of its own with the examples' ``env``."""
    done = subprocess.run([sys.executable, __file__], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def sentence(measured: dict) -> str:
    """The record in words, for the bench's table."""
    return (
        f"{measured['cpu']}; fixed workload: network {measured['network_steps_per_s']} steps/s, "
        f"features {measured['classical_s']} s"
    )


if __name__ == "__main__":
    print(json.dumps(measure()))
