"""The build hooks: a clean Keras state per example, and no results of another profile."""

import numpy as np

from dlis_gallery.quiet import quiet_keras
from dlis_gallery.sphinx_setup import reset_example


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
    from dlis_gallery.sphinx_setup import drop_cdn_scripts

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
    from dlis_gallery.sphinx_setup import forget_other_profiles, sources_digest

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
