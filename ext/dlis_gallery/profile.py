"""Which profile a gallery run uses, and on what hardware.

``full`` trains the networks long enough to show what they can do and is meant
for a GPU; ``quick`` is what a CPU-only build gets (CI, laptops, hosted docs
builders); ``smoke`` only proves that an example runs, for the tests.  The
hardware decides unless ``DLIS_PROFILE`` names one.
"""

from __future__ import annotations

import os
from collections.abc import Callable

PROFILES = ("smoke", "quick", "full")
PROFILE_VARIABLE = "DLIS_PROFILE"


class ProfileError(ValueError):
    """An unknown profile name in the environment."""


def gpu_count() -> int:
    """How many GPUs the active Keras backend can use."""
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return len(tf.config.list_physical_devices("GPU"))
    if backend == "torch":
        import torch

        return torch.cuda.device_count()
    if backend == "jax":
        import jax

        return sum(device.platform == "gpu" for device in jax.devices())
    return 0


def select_profile(environ=os.environ, gpus: Callable[[], int] = gpu_count) -> str:
    """The profile to run: ``DLIS_PROFILE`` if set, else full with a GPU, else quick."""
    chosen = environ.get(PROFILE_VARIABLE, "").strip().lower()
    if chosen:
        if chosen not in PROFILES:
            raise ProfileError(f"{PROFILE_VARIABLE}={chosen!r}: choose one of {', '.join(PROFILES)}")
        return chosen
    return "full" if gpus() > 0 else "quick"


def device_name(gpus: int) -> str:
    """A short description of where training runs."""
    if gpus:
        return f"{gpus} GPU" + ("s" if gpus > 1 else "")
    return f"CPU ({os.cpu_count()} cores)"
