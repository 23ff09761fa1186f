"""``dlis-apply NETWORK INPUT -o OUTPUT``: a downloaded network applied to an image file, from a shell.

For a scientist who does not write Python, or who wants to run a network
over a folder of files: it reads a TIFF (with its axes and pixel size) or a
PNG, applies the network as its own record says
(:func:`dlis_gallery.inference.apply_network`), and writes a TIFF with the
same pixel size (labels as integers; a 2x image with half the pixel size)
or, for spots, a CSV table.  It prints one line of what it did, one line per
warning that the image does not fit the network, and, for input it cannot
use, one line saying why and an exit status of 2, never a traceback.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from .image_files import ImageFileError, read_image, write_image
from .inference import FitWarning, ImageShapeError, NetworkFileError, Spots, apply_network, loaded
from .quiet import quiet_keras

PROGRAM = "dlis-apply"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="Apply a network downloaded from Deep Learning for Imaging Scientists to an image file.",
    )
    parser.add_argument("network", help="the .keras file of a trained network")
    parser.add_argument("input", help="a TIFF (2-D or a z-stack) or a PNG")
    parser.add_argument(
        "-o", "--output", required=True, help="a .tif for images and labels, a .csv for spots"
    )
    parser.add_argument("--axes", help="the input's axes when its file does not say them: YX or ZYX")
    return parser.parse_args(argv)


def _grey_planes(image) -> tuple[np.ndarray, str]:
    """The image's pixels as YX or ZYX: single channels dropped, anything else refused."""
    data, axes = image.data, image.axes
    for axis in "CST":
        if axis in axes and data.shape[axes.index(axis)] == 1:
            data = np.squeeze(data, axes.index(axis))
            axes = axes.replace(axis, "")
    if "S" in axes or "C" in axes:
        raise ImageShapeError(
            f"{image.data.shape} with axes {image.axes}: a colour or multichannel image for a network "
            "of one grey channel; save one channel, or convert it to grey"
        )
    if axes not in ("YX", "ZYX"):
        raise ImageShapeError(f"axes {image.axes} of shape {image.data.shape}: give a 2-D image or a z-stack")
    return data, axes


def _written(result, image, axes: str, how, output: Path) -> str:
    """Write ``result`` to ``output``; say what was written."""
    if isinstance(result, Spots):
        if output.suffix.lower() != ".csv":
            raise ImageShapeError(f"{output}: a detection network gives spots: write them to a .csv file")
        with output.open("w", newline="") as table:
            rows = result.rows()
            writer = csv.DictWriter(table, fieldnames=["plane", "row", "column", "score"])
            writer.writeheader()
            writer.writerows(rows)
        return f"{len(result)} spots"
    size = image.pixel_size
    if size and how.scale > 1:
        size = (size[0], size[1] / how.scale, size[2] / how.scale)
    write_image(output, result, axes, size, image.unit)
    what = "labels" if how.kind == "segment" else how.kind + "d"
    return f"{what}, {'x'.join(map(str, result.shape))} {result.dtype}"


def main(argv: list[str] | None = None) -> int:
    """The command: ``dlis-apply NETWORK INPUT -o OUTPUT [--axes ZYX]``; returns its exit status.

    Examples
    --------
    >>> main(["missing.keras", "cells.tif", "-o", "out.tif"])
    2
    """
    args = _arguments(argv)
    start = time.perf_counter()
    quiet_keras()  # without TensorFlow's start-up messages
    try:
        network = loaded(args.network)
        image = read_image(args.input)
        if args.axes:
            image.axes = args.axes.upper()
        data, axes = _grey_planes(image)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", FitWarning)
            result = apply_network(network, data, axes)
        for warning in caught:
            print(f"{PROGRAM}: warning: {warning.message}", file=sys.stderr)
        said = _written(result, image, axes, network[1], Path(args.output))
    except (NetworkFileError, ImageFileError, ImageShapeError, OSError) as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 2
    print(
        f"{network[1].kind}: {args.input} ({image.spatial_size()}, {image.data.dtype}) -> "
        f"{args.output} ({said}) in {time.perf_counter() - start:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
