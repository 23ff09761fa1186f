"""The build hooks: a clean Keras state per example, and no results of another profile."""

import signal
import time

import numpy as np
import pytest

from dlis_gallery.quiet import quiet_keras
from gallery_pages import reset_example
from tests.conftest import ROOT


def test_reset_clears_layer_names_and_reseeds_and_starts_and_stops_the_clock(monkeypatch):
    monkeypatch.setenv("DLIS_EXAMPLE_TIMEOUT", "120")
    keras = quiet_keras()
    reset_example({}, "first.py", "before")
    assert 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 120, "the example's clock runs"
    first_name = keras.layers.Dense(1).name
    first_draw = np.random.rand()
    keras.layers.Dense(1)  # state an earlier example leaves behind
    np.random.rand()
    reset_example({}, "first.py", "after")
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0, "and stops when it ends"
    reset_example({}, "second.py", "before")
    assert keras.layers.Dense(1).name == first_name
    assert np.random.rand() == first_draw
    reset_example({}, "second.py", "after")


def test_the_time_limit_comes_from_the_environment_or_the_profile():
    from gallery_pages.example_limit import DEFAULT_TIMEOUT_S, TimeoutSettingError, example_timeout

    assert example_timeout("quick", {}) == DEFAULT_TIMEOUT_S["quick"]
    assert example_timeout("smoke", {"DLIS_EXAMPLE_TIMEOUT": "12.5"}) == 12.5
    for wrong in ("soon", "0", "-3"):
        with pytest.raises(TimeoutSettingError, match="DLIS_EXAMPLE_TIMEOUT"):
            example_timeout("quick", {"DLIS_EXAMPLE_TIMEOUT": wrong})


def test_the_limit_stops_only_the_examples_own_code():
    from gallery_pages.example_limit import ExampleTimeoutError, arm, disarm

    arm("test_reset.py", 0.2)  # this file stands for the example
    try:
        with pytest.raises(ExampleTimeoutError, match="limit of 0.2 s"):
            while True:
                time.sleep(0.01)
    finally:
        disarm()


def test_a_new_profile_makes_every_example_run_again(tmp_path):
    from gallery_pages import forget_other_profiles

    checksum = tmp_path / "applications" / "plot_x.py.md5"
    checksum.parent.mkdir()
    checksum.write_text("abc")
    forget_other_profiles(tmp_path, "smoke")
    assert not checksum.exists()
    checksum.write_text("abc")
    forget_other_profiles(tmp_path, "smoke")
    assert checksum.exists(), "same profile: sphinx-gallery's cache is kept"
    forget_other_profiles(tmp_path, "quick")
    assert not checksum.exists()


def test_execution_times_pages_lose_their_cdn_scripts_but_keep_the_table():
    from gallery_pages.gallery_words import drop_cdn_scripts

    page = (
        "Times\n=====\n\n.. container::\n\n  .. raw:: html\n\n"
        '    <script src="https://code.jquery.com/jquery-3.7.0.js"></script>\n\n'
        "  .. list-table::\n   :header-rows: 1\n\n   * - Example\n"
    )
    source = [page]
    drop_cdn_scripts(None, "auto_examples/sg_execution_times", source)
    assert "https://" not in source[0]
    assert "  .. list-table::\n   :header-rows: 1" in source[0]
    other = [page]
    drop_cdn_scripts(None, "guides/other", other)
    assert other == [page]


def test_chained_examples_rerun_when_any_of_them_changes(tmp_path):
    from dlis_gallery.workflow import sources_digest
    from gallery_pages import forget_other_profiles

    sources, outputs = tmp_path / "workflow", tmp_path / "out"
    sources.mkdir()
    (sources / "plot_1_a.py").write_text("a = 1\n")
    (sources / "plot_2_b.py").write_text("b = 2\n")
    forget_other_profiles(outputs, f"quick {sources_digest(list(sources.glob('*.py')))}")
    (outputs / "plot_2_b.py.md5").write_text("abc")
    forget_other_profiles(outputs, f"quick {sources_digest(list(sources.glob('*.py')))}")
    assert (outputs / "plot_2_b.py.md5").exists(), "nothing changed: the cache stays"
    (sources / "plot_1_a.py").write_text("a = 2\n")
    forget_other_profiles(outputs, f"quick {sources_digest(list(sources.glob('*.py')))}")
    assert not (outputs / "plot_2_b.py.md5").exists(), "step 1 changed: step 2 runs again"


def test_the_applications_are_listed_in_the_order_of_the_guide():
    from gallery_pages.guide_order import GuideOrder

    gallery = ROOT / "gallery"
    applications = sorted((gallery / "applications").glob("plot_*.py"), key=GuideOrder(str(gallery)))
    assert [path.stem for path in applications] == [
        "plot_denoising",
        "plot_segmentation",
        "plot_volume_segmentation",
        "plot_object_detection",
        "plot_super_resolution",
    ]
    steps = sorted((gallery / "workflow").glob("plot_*.py"), key=GuideOrder(str(gallery)))
    assert [path.name[:7] for path in steps] == [f"plot_{n}_" for n in range(1, 10)]
    guide = (ROOT / "docs" / "guides" / "dragonfly-daily-15.md").read_text("utf-8")
    headings = ("Image Filtering", "Image Segmentation", "Object Detection", "Super Resolution")
    named = [guide.index(f"### {heading}") for heading in headings]
    assert named == sorted(named), "the guide names them in this order"


def test_the_cdn_repair_still_matches_what_sphinx_gallery_writes(tmp_path):
    """sphinx-gallery's own execution-times page, repaired: no CDN address left. This fails
    when a sphinx-gallery release changes that page (or drops its CDNs: then drop the repair)."""
    from sphinx_gallery.gen_gallery import write_computation_times
    from sphinx_gallery.gen_rst import ExampleCost

    from gallery_pages.gallery_words import drop_cdn_scripts

    example = tmp_path / "auto_examples" / "plot_a.py"
    cost = ExampleCost(execution_time=2.5, memory=10.0, src_file=str(example), target_dir=str(example.parent))
    write_computation_times({"write_computation_times": True, "src_dir": str(tmp_path)}, None, [cost])
    source = [next(tmp_path.glob("sg_execution_times.rst*")).read_text()]
    assert "https://" in source[0], "sphinx-gallery loads CDN scripts on this page"
    drop_cdn_scripts(None, "sg_execution_times", source)
    assert "https://" not in source[0]
    assert ":ref:`sphx_glr_auto_examples_plot_a.py`" in source[0]
