"""The order of the gallery's examples: the guide's, wherever they are listed.

The guide names its applications in one order (filtering, segmentation,
object detection, super-resolution); the gallery's index and the results
table list them the same way, segmentation of volumes beside that of
images.  The concept and workflow examples are numbered in their file names
already.
"""

from __future__ import annotations

from pathlib import Path

#: The applications in the order the guide names them: filtering, segmentation
#: (of images, then of volumes), object detection, super-resolution.
GUIDE_ORDER = (
    "plot_denoising.py",
    "plot_segmentation.py",
    "plot_volume_segmentation.py",
    "plot_object_detection.py",
    "plot_super_resolution.py",
)


class GuideOrder:
    """sphinx-gallery's ``within_subsection_order``: the applications as the guide
    orders them, every other example by file name (numbered as their pages are)."""

    def __init__(self, src_dir: str) -> None:
        self.src_dir = src_dir

    def __call__(self, filename: str) -> tuple[int, str]:
        name = Path(filename).name
        return (GUIDE_ORDER.index(name), "") if name in GUIDE_ORDER else (len(GUIDE_ORDER), name)

    def __repr__(self) -> str:
        return "<GuideOrder>"
