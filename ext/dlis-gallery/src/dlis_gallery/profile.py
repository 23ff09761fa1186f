"""Which profile a gallery run uses, on what hardware, and how a small network trains there fast.

``full`` trains the networks long enough to show what they can do and is meant
for a GPU; ``quick`` is what a CPU-only build gets (CI, laptops, hosted docs
builders); ``smoke`` only proves that an example runs, for the tests.  The
hardware decides unless ``DLIS_PROFILE`` names one.  :func:`steps_per_call`
says how many training steps Keras may run per call into the backend.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable

PROFILES = ("smoke", "quick", "full")
PROFILE_VARIABLE = "DLIS_PROFILE"
#: The device files through which a backend on Linux reaches a GPU (NVIDIA's, AMD's ROCm).
GPU_DEVICE_FILES = ("/dev/nvidia[0-9]*", "/dev/kfd")


class ProfileError(ValueError):
    """An unknown profile name in the environment."""


def gpu_count() -> int:
    """How many GPUs the active Keras backend can use.

    Returns
    -------
    int
        0 on a machine without one (or a backend that sees none).

    Examples
    --------
    >>> gpu_count() >= 0
    True
    """
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


def visible_gpu_count(platform: str = sys.platform, device_files: Callable[[], list] | None = None) -> int:
    """:func:`gpu_count`, without importing the backend (3 s) where no GPU can be: a Linux
    machine without a GPU device file has none, whatever the backend.

    Examples
    --------
    >>> visible_gpu_count("linux", device_files=lambda: [])
    0
    """
    found = device_files or (lambda: [path for pattern in GPU_DEVICE_FILES for path in glob.glob(pattern)])
    if platform.startswith("linux") and not found():
        return 0
    return gpu_count()


def select_profile(environ=os.environ, gpus: Callable[[], int] = gpu_count) -> str:
    """The profile to run: ``DLIS_PROFILE`` if set, else full with a GPU, else quick.

    Parameters
    ----------
    environ : mapping
        Where to look for ``DLIS_PROFILE``.
    gpus : callable
        How many GPUs there are (asked only when ``DLIS_PROFILE`` is unset).

    Returns
    -------
    str
        ``"smoke"``, ``"quick"`` or ``"full"``.

    Raises
    ------
    ProfileError
        ``DLIS_PROFILE`` names no profile.

    Examples
    --------
    >>> select_profile({"DLIS_PROFILE": "smoke"})
    'smoke'
    >>> select_profile({}, gpus=lambda: 1)
    'full'
    """
    chosen = environ.get(PROFILE_VARIABLE, "").strip().lower()
    if chosen:
        if chosen not in PROFILES:
            raise ProfileError(f"{PROFILE_VARIABLE}={chosen!r}: choose one of {', '.join(PROFILES)}")
        return chosen
    return "full" if gpus() > 0 else "quick"


def device_name(gpus: int) -> str:
    """A short description of where training runs.

    Examples
    --------
    >>> device_name(2)
    '2 GPUs'
    """
    if gpus:
        return f"{gpus} GPU" + ("s" if gpus > 1 else "")
    return f"CPU ({os.cpu_count()} cores)"


def steps_per_call(steps: int, backend: str | None = None) -> int:
    """How many training steps Keras should run in one call into the backend: ``steps``,
    or 1 with PyTorch, whose Keras backend takes one step per call.

    Unless ``compile`` is given ``steps_per_execution``, Keras calls the backend
    once per training step, and for a small network on a CPU that call costs
    about as much as the step itself.  TensorFlow and JAX run several steps in
    one call, on the same batches in the same order: the same training, and on
    TensorFlow the same weights, in less time.

    Parameters
    ----------
    steps : int
        Steps per call where the backend allows more than one (at most an
        epoch's worth is useful: a call never spans two epochs).
    backend : str, optional
        The Keras backend's name; the active one when omitted.

    Returns
    -------
    int
        What to give ``model.compile(steps_per_execution=...)``.

    Examples
    --------
    >>> steps_per_call(50, "tensorflow"), steps_per_call(50, "jax"), steps_per_call(50, "torch")
    (50, 50, 1)
    """
    if backend is None:
        import keras

        backend = keras.backend.backend()
    return 1 if backend == "torch" else steps
