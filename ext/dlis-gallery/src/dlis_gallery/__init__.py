"""dlis_gallery: what every gallery example needs besides its own science.

The gallery's examples stay short and copyable because the few things they
share live here once: choosing the profile (quick on a CPU, full on a GPU),
fixing seeds, timing training, and printing the measured comparison table.
An example uses it as::

    from dlis_gallery import start_run

    run = start_run("denoising")
    EPOCHS = run.pick(smoke=1, quick=6, full=60)
"""

from .run import ExampleRun, start_run

__all__ = ["ExampleRun", "start_run"]
