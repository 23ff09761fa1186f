"""The build hooks: a clean Keras state per example, and no results of another profile."""

import numpy as np

from dlis_gallery.quiet import quiet_keras
from dlis_gallery.sphinx_setup import reset_example
from tests.conftest import ROOT


def test_reset_clears_layer_names_and_reseeds():
    keras = quiet_keras()
    reset_example({}, "first.py")
    first_name = keras.layers.Dense(1).name
    first_draw = np.random.rand()
    keras.layers.Dense(1)  # state an earlier example leaves behind
    np.random.rand()
    reset_example({}, "second.py")
    assert keras.layers.Dense(1).name == first_name
    assert np.random.rand() == first_draw


def test_a_new_profile_makes_every_example_run_again(tmp_path):
    from dlis_gallery.sphinx_setup import forget_other_profiles

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
    from dlis_gallery.gallery_words import drop_cdn_scripts

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
    from dlis_gallery.sphinx_setup import forget_other_profiles
    from dlis_gallery.workflow import sources_digest

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
    from dlis_gallery.guide_order import GuideOrder

    gallery = ROOT / "gallery"
    applications = sorted((gallery / "applications").glob("plot_*.py"), key=GuideOrder(str(gallery)))
    assert [path.stem for path in applications] == [
        "plot_denoising",
        "plot_segmentation",
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

    from dlis_gallery.gallery_words import drop_cdn_scripts

    example = tmp_path / "auto_examples" / "plot_a.py"
    cost = ExampleCost(execution_time=2.5, memory=10.0, src_file=str(example), target_dir=str(example.parent))
    write_computation_times({"write_computation_times": True, "src_dir": str(tmp_path)}, None, [cost])
    source = [next(tmp_path.glob("sg_execution_times.rst*")).read_text()]
    assert "https://" in source[0], "sphinx-gallery loads CDN scripts on this page"
    drop_cdn_scripts(None, "sg_execution_times", source)
    assert "https://" not in source[0]
    assert ":ref:`sphx_glr_auto_examples_plot_a.py`" in source[0]
