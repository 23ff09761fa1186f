"""The gallery's side of the Sphinx build: quiet start-up and a clean slate per example.

Listed in ``extensions``, it imports Keras once without TensorFlow's start-up
noise and logs the profile the gallery runs with.  ``conf.py`` names
:func:`reset_example` in sphinx-gallery's ``reset_modules``, so every example
starts with a cleared Keras session, fresh seeds and no open figures, whatever
ran before it.
"""

from __future__ import annotations

from .profile import device_name, gpu_count, select_profile
from .quiet import quiet_keras
from .run import SEED, make_deterministic


def reset_example(gallery_conf, fname) -> None:
    """Clear Keras state and reseed before each example (sphinx-gallery's reset hook)."""
    keras = quiet_keras()
    keras.utils.clear_session(free_memory=True)
    make_deterministic(SEED)


def announce_profile(app) -> None:
    """Import Keras quietly once, and say in the build log which profile runs."""
    keras = quiet_keras()
    gpus = gpu_count()
    profile = select_profile(gpus=lambda: gpus)
    print(f"Gallery: Keras backend {keras.backend.backend()}, {device_name(gpus)}, {profile} profile")


def setup(app) -> dict:
    app.connect("builder-inited", announce_profile)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
