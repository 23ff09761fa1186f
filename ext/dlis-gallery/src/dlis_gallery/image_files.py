"""A microscope's image file read with its axes and pixel size, and a result written with them.

TIFF files carry more than pixels: which axis is which (a z-stack, channels,
time) and how large a pixel is, in ImageJ's tags or in OME-XML.  A result
must keep both, or the scientist's measurements in micrometres are lost.
:func:`read_image` reads a TIFF with tifffile (or a PNG or JPEG with Pillow)
into an :class:`ImageFile`; :func:`write_image` writes a TIFF in ImageJ's
form (or as OME-TIFF) with the same pixel size, so Fiji, napari and QuPath
read it back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: How ImageJ files spell a micrometre (its metadata is ASCII), read as "µm".
MICROMETRE = {"micron": "µm", "um": "µm", "\\u00B5m": "µm", "µm": "µm"}


class ImageFileError(ValueError):
    """A file that is missing or that this module cannot read as an image."""


@dataclass
class ImageFile:
    """An image's pixels, its axes (``"YX"``, ``"ZYX"``, ``"CYX"``, ``"YXS"``...) and its
    pixel size in ``unit`` along each of the last three spatial axes (z, y, x), where known.

    Examples
    --------
    >>> image = ImageFile(np.zeros((3, 40, 50), "uint16"), "ZYX", (2.0, 0.5, 0.5), "µm")
    >>> image.spatial_size()
    '3x40x50 (2 x 0.5 x 0.5 µm voxels)'
    """

    data: np.ndarray
    axes: str
    pixel_size: tuple[float, float, float] | None = None
    unit: str = "µm"

    def spatial_size(self) -> str:
        shape = "x".join(str(side) for side in self.data.shape)
        if not self.pixel_size:
            return shape
        stack = "Z" in self.axes
        sizes = " x ".join(f"{size:g}" for size in (self.pixel_size if stack else self.pixel_size[1:]))
        return f"{shape} ({sizes} {self.unit} {'voxels' if stack else 'pixels'})"


def read_image(path) -> ImageFile:
    """Read a TIFF (axes and pixel size from its ImageJ or OME metadata) or a PNG/JPEG.

    Examples
    --------
    >>> write_image("cells.tif", np.zeros((2, 30, 40), "uint16"), "ZYX", (1.0, 0.25, 0.25))
    >>> found = read_image("cells.tif")
    >>> found.axes, found.data.shape, found.pixel_size
    ('ZYX', (2, 30, 40), (1.0, 0.25, 0.25))
    """
    path = Path(path)
    if not path.is_file():
        raise ImageFileError(f"{path}: no such file")
    if path.suffix.lower() in (".tif", ".tiff"):
        return _read_tiff(path)
    try:
        from PIL import Image

        with Image.open(path) as picture:
            data = np.asarray(picture)
    except Exception as error:
        raise ImageFileError(f"{path}: not an image this can read ({type(error).__name__})") from None
    return ImageFile(data, "YX" if data.ndim == 2 else "YXS")


def _read_tiff(path: Path) -> ImageFile:
    import tifffile

    try:
        with tifffile.TiffFile(path) as tiff:
            series = tiff.series[0]
            data, axes = series.asarray(), series.axes
            size = _ome_pixel_size(tiff.ome_metadata) if tiff.is_ome else _imagej_pixel_size(tiff)
    except tifffile.TiffFileError as error:
        raise ImageFileError(f"{path}: not a TIFF file ({error})") from None
    axes = axes.replace("Q", "Z").replace("I", "Z")  # plain multi-page TIFFs: planes
    return ImageFile(data, axes, *size)


def _imagej_pixel_size(tiff) -> tuple:
    page = tiff.pages[0]
    tags = page.tags
    if "XResolution" not in tags or "YResolution" not in tags:
        return None, "µm"
    x = tags["XResolution"].value
    y = tags["YResolution"].value
    if not x[0] or not y[0]:
        return None, "µm"
    metadata = tiff.imagej_metadata or {}
    unit = MICROMETRE.get(metadata.get("unit", "µm"), metadata.get("unit", "µm"))
    z = float(metadata.get("spacing", 1.0))
    return (z, y[1] / y[0], x[1] / x[0]), unit


def _ome_pixel_size(ome: str) -> tuple:
    pixels = next(
        (element for element in ElementTree.fromstring(ome).iter() if element.tag.endswith("Pixels")), None
    )
    if pixels is None or "PhysicalSizeX" not in pixels.attrib:
        return None, "µm"
    size = tuple(float(pixels.attrib.get(f"PhysicalSize{axis}", 1.0)) for axis in "ZYX")
    return size, pixels.attrib.get("PhysicalSizeXUnit", "µm")


def write_image(path, data: np.ndarray, axes: str, pixel_size=None, unit: str = "µm") -> None:
    """Write ``data`` as a TIFF with its axes and, when known, its pixel size (z, y, x): in
    ImageJ's form, or as OME-TIFF (OME-XML metadata) when ``path`` ends in ``.ome.tif``.

    Examples
    --------
    >>> write_image("labels.tif", np.zeros((30, 40), "uint8"), "YX", (1.0, 0.1, 0.1))
    >>> read_image("labels.tif").pixel_size[1:]
    (0.1, 0.1)
    >>> write_image("phases.ome.tif", np.zeros((4, 30, 40), "uint8"), "ZYX", (2.0, 0.5, 0.5))
    >>> read_image("phases.ome.tif").pixel_size
    (2.0, 0.5, 0.5)
    """
    import tifffile

    if data.dtype == np.float64:
        data = data.astype("float32")
    if data.dtype == np.int64 or data.dtype == np.int32:
        data = data.astype("uint16" if data.max() < 2**16 else "float32")
    if Path(path).name.lower().endswith((".ome.tif", ".ome.tiff")):
        metadata = _ome_metadata(axes, pixel_size, unit)
        tifffile.imwrite(path, data, ome=True, photometric="minisblack", metadata=metadata)
        return
    ascii_unit = "micron" if MICROMETRE.get(unit) == "µm" else unit
    options = {"imagej": True, "metadata": {"axes": axes, "unit": ascii_unit}}
    if pixel_size:
        z, y, x = pixel_size
        options["resolution"] = (1 / x, 1 / y)
        options["metadata"]["spacing"] = z
    tifffile.imwrite(path, data, **options)


def _ome_metadata(axes: str, pixel_size, unit: str) -> dict:
    """tifffile's OME metadata: the axes, and each axis' physical size with its unit."""
    metadata = {"axes": axes}
    for axis, size in zip("ZYX", pixel_size or (), strict=False):
        if axis in axes:
            metadata[f"PhysicalSize{axis}"] = float(size)
            metadata[f"PhysicalSize{axis}Unit"] = MICROMETRE.get(unit, unit)
    return metadata
