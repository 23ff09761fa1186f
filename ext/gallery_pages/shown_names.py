"""The names the gallery's measured tables show (methods, metrics, knobs), listed for the catalog.

A comparison's HTML carries its methods' and metrics' names in English, as
the example measured them; a build in another language writes them again
through the ``gallery_pages`` catalog (:func:`dlis_gallery.results.render_html`
with the build's translation).  The catalog holds only words that appear in
the sources, so each name an application page shows (and the library's one
sentence on the bioimage.io package) is listed here once:
``nox -s i18n`` extracts them, and a test fails when a page shows a name
missing from this list.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802  (gettext's own name for "a message, translated later")
    return message


SHOWN_NAMES = (
    # methods
    N_("Network"),
    N_("U-Net"),
    N_("2D U-Net, slice by slice"),
    N_("2.5D U-Net"),
    N_("3D U-Net"),
    N_("BM3D"),
    N_("TV (Chambolle)"),
    N_("Wavelet, cycle spinning"),
    N_("Multi-Otsu"),
    N_("Flat-fielded multi-Otsu"),
    N_("Random forest on features"),
    N_("blob_log"),
    N_("blob_dog"),
    N_("LoG + peak_local_max"),
    N_("Bicubic"),
    N_("Lanczos"),
    N_("Bicubic + Wiener"),
    N_("Bicubic + Richardson-Lucy"),
    N_("Bicubic + unsharp mask"),
    # metrics
    N_("PSNR (dB)"),
    N_("SSIM"),
    N_("Gaussian PSNR (dB)"),
    N_("Gaussian SSIM"),
    N_("Poisson PSNR (dB)"),
    N_("Poisson SSIM"),
    N_("mean IoU"),
    N_("IoU phase 0"),
    N_("IoU phase 1"),
    N_("IoU phase 2"),
    N_("volume fraction error (points)"),
    N_("surface area error (%)"),
    N_("error at boundaries (%)"),
    N_("error inside phases (%)"),
    N_("F1"),
    N_("precision"),
    N_("recall"),
    N_("recall, isolated"),
    N_("recall, touching"),
    # knobs of the sweeps
    N_("photons at full brightness"),
    N_("noise (phases 0.25 apart)"),
    N_("gap between touching spots (pixels)"),
    N_("noise on the binned image"),
    # the readers' library's sentence on a saved network's bioimage.io package
    N_(
        "deepImageJ (Fiji), Icy, ilastik and napari run its ONNX weights; QuPath needs TorchScript "
        "or a TensorFlow saved model, which it does not carry."
    ),
)
