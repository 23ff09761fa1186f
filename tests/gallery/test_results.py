"""Comparisons, verdicts, grid tuning and data sets: what an application page reports."""

import json

import pytest

from dlis_gallery.results import AHEAD, BEHIND, TIED, Comparison, render_html, verdict_sentence
from dlis_gallery.run import ExampleRun, OverlappingSetsError
from dlis_gallery.tuning import GRID_EDGE, grid_search


def _comparison(network, baseline, other=None, **options):
    scores = {"PSNR (dB)": {"BM3D": baseline, **({"TV": other} if other else {}), "Network": network}}
    options.setdefault("verdict_on", ["PSNR (dB)"])
    return Comparison(scores, network="Network", items="crops", **options)


def test_ahead_when_the_interval_of_the_difference_excludes_zero():
    (verdict,) = _comparison([30.5, 31.1, 29.8, 30.9], [30.0, 30.6, 29.5, 30.3]).verdicts
    assert verdict.outcome == AHEAD
    assert verdict.margin == pytest.approx(0.475)
    assert verdict.best == "BM3D" and verdict.low > 0


def test_behind_and_not_distinguishable():
    (behind,) = _comparison([29.0, 29.5, 28.9, 29.2], [30.0, 30.6, 29.5, 30.3]).verdicts
    assert behind.outcome == BEHIND and behind.high < 0
    (tied,) = _comparison([30.2, 30.4, 29.4, 30.3], [30.0, 30.6, 29.5, 30.3]).verdicts
    assert tied.outcome == TIED and tied.low < 0 < tied.high


def test_the_best_baseline_is_the_best_by_its_measured_mean():
    (verdict,) = _comparison([3.0, 3.1], [2.0, 2.1], other=[2.5, 2.6]).verdicts
    assert verdict.best == "TV" and verdict.best_value == pytest.approx(2.55)


def test_lower_is_better_flips_the_best_baseline_and_the_verdict():
    scores = {"error (px)": {"LoG": [2.0, 2.2, 1.9], "DoG": [1.5, 1.6, 1.4], "Network": [1.0, 1.1, 0.9]}}
    comparison = Comparison(
        scores, network="Network", items="scenes", verdict_on=["error (px)"], lower_is_better=["error (px)"]
    )
    (verdict,) = comparison.verdicts
    assert verdict.best == "DoG", "the lowest error is the best baseline"
    assert verdict.margin == pytest.approx(0.5) and verdict.outcome == AHEAD
    sentence = verdict_sentence(comparison.record()["verdicts"][0], "scenes")
    assert sentence.startswith("Network is ahead of the best classical method, DoG (1.500), by 0.500")
    assert "↓" in render_html(comparison.record())


def test_a_behind_sentence_gives_positive_distances():
    comparison = _comparison([29.0, 29.5, 28.9, 29.2], [30.0, 30.6, 29.5, 30.3])
    sentence = verdict_sentence(comparison.record()["verdicts"][0], "crops")
    assert "is behind the best classical method, BM3D (30.10), by 0.950 in PSNR (dB)" in sentence
    low, high = sentence.split("95 % interval ")[1].split(",")[0].split(" to ")
    assert 0 < float(low) < 0.95 < float(high)


def test_scores_must_cover_the_same_items():
    with pytest.raises(ValueError, match="same items"):
        _comparison([1.0, 2.0], [1.0])


def test_html_escapes_names_and_carries_its_numbers():
    scores = {"F1": {"<b>blob</b>": [0.5, 0.6], "Network": [0.7, 0.8]}}
    comparison = Comparison(scores, network="Network", items="scenes", verdict_on=["F1"])
    page = comparison._repr_html_()
    assert "<b>blob</b>" not in page and "&lt;b&gt;blob&lt;/b&gt;" in page
    assert 'data-dlis-results="' in page and "<table" in page
    assert "<strong>0.750</strong>" in page, "the best mean of the column is bold"


def test_a_translation_rewords_the_verdict_but_keeps_the_numbers():
    record = _comparison([30.5, 31.1, 29.8, 30.9], [30.0, 30.6, 29.5, 30.3]).record()
    shouting = render_html(record, lambda message: message.replace("is ahead of", "IS AHEAD OF"))
    assert "IS AHEAD OF the best classical method" in shouting
    assert "Network" in shouting and "0.475" in shouting


def test_grid_search_finds_the_best_and_flags_an_edge():
    inside = grid_search(
        lambda h, size: -((h - 0.8) ** 2) - abs(size - 5), {"h": [0.6, 0.8, 1.0], "size": [3, 5, 7]}
    )
    assert inside.knobs == {"h": 0.8, "size": 5} and inside.edges == ()
    edge = grid_search(lambda h: h, {"h": [0.6, 0.8, 1.0]})
    assert edge.knobs == {"h": 1.0} and edge.edges == ("h",)
    assert GRID_EDGE in edge.warnings("NL-means")[0]


def test_a_limit_is_not_an_edge_and_variants_have_none():
    tuned = grid_search(
        lambda overlap, mode: overlap, {"overlap": [0.5, 0.75, 1.0], "mode": ["a", "b"]}, {"overlap": (0, 1)}
    )
    assert tuned.knobs["overlap"] == 1.0 and tuned.edges == ()
    lowest = grid_search(lambda error: error, {"error": [1, 2, 3]}, higher_is_better=False)
    assert lowest.knobs == {"error": 1} and lowest.edges == ("error",)


def _run(tmp_path, monkeypatch):
    monkeypatch.setenv("DLIS_METRICS_DIR", str(tmp_path))
    return ExampleRun(name="x", profile="quick", backend="tensorflow", device="CPU")


def test_a_grid_edge_is_printed_in_the_page_and_recorded(tmp_path, monkeypatch, capsys):
    run = _run(tmp_path, monkeypatch)
    knobs = run.tune("TV", lambda weight: -weight, {"weight": [0.05, 0.1, 0.2]})
    assert knobs == {"weight": 0.05}
    printed = capsys.readouterr().out
    assert "TV: weight = 0.05" in printed
    assert f"Warning: TV weight = 0.05 is {GRID_EDGE}" in printed
    saved = json.loads((tmp_path / "x.json").read_text())
    assert saved["tuned"] == {"TV": {"weight": 0.05}} and len(saved["grid_edges"]) == 1


def test_a_comparison_prints_as_text_in_a_terminal_and_is_saved(tmp_path, monkeypatch, capsys):
    run = _run(tmp_path, monkeypatch)
    run.compare(
        {"F1": {"LoG": [0.5, 0.6, 0.55], "Network": [0.7, 0.8, 0.75]}},
        network="Network",
        items="scenes",
        verdict_on=["F1"],
    )
    printed = capsys.readouterr().out
    assert "Mean over 3 held-out scenes" in printed and "Network is ahead" in printed
    saved = json.loads((tmp_path / "x.json").read_text())
    assert saved["comparison"]["verdicts"][0]["outcome"] == AHEAD


def test_a_page_shows_html_instead_of_text(tmp_path, monkeypatch, capsys):
    run = _run(tmp_path, monkeypatch)
    run.html = True
    shown = run.table("Held-out", [{"method": "TV", "PSNR": 27.512}])
    assert capsys.readouterr().out == ""
    assert "<caption>Held-out</caption>" in shown._repr_html_() and "27.512" in shown._repr_html_()


def test_training_and_held_out_sets_must_be_disjoint(tmp_path, monkeypatch):
    import numpy as np

    run = _run(tmp_path, monkeypatch)
    run.declare_data(train=["camera", "astronaut"], test=["coins"])
    with pytest.raises(OverlappingSetsError, match="camera"):
        run.declare_data(train=["camera"], test=["camera"])
    image = np.arange(16.0).reshape(4, 4)
    with pytest.raises(OverlappingSetsError):
        run.declare_data(train=[image, image + 1], test=[image.copy()])
    run.declare_data(train=[image], test=[image + 1])


def test_grid_search_costs_about_the_sum_of_the_grid_sizes_not_their_product():
    tried = []

    def score(a, b, c):
        tried.append((a, b, c))
        return -((a - 3) ** 2) - (b - 1) ** 2 - (c - 4) ** 2

    values = [0, 1, 2, 3, 4, 5]
    tuned = grid_search(score, {"a": values, "b": values, "c": values})
    assert tuned.knobs == {"a": 3, "b": 1, "c": 4} and tuned.edges == ()
    assert len(set(tried)) == len(tried) <= 3 * 2 * len(values), "each combination scored once, two passes"


def test_a_best_value_at_a_declared_limit_is_a_note_not_a_warning(tmp_path, monkeypatch, capsys):
    run = _run(tmp_path, monkeypatch)
    run.tune("NL-means", lambda patch_size: patch_size, {"patch_size": [5, 9, 15]}, {"patch_size": (1, 15)})
    printed = capsys.readouterr().out
    assert "Note: NL-means patch_size = 15 is at its limit." in printed and GRID_EDGE not in printed
    assert json.loads((tmp_path / "x.json").read_text())["grid_edges"] == []
