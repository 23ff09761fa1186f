"""Comparisons, verdicts, grid tuning and data sets: what an application page reports."""

import json
import threading

import pytest

from dlis_gallery.results import AHEAD, BEHIND, TIED, Comparison, render_html, verdict_sentence
from dlis_gallery.run import ExampleRun, OverlappingSetsError
from dlis_gallery.tuning import GRID_EDGE, grid_search, once_per_image


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


def test_other_networks_are_shown_but_never_the_opponent_of_the_verdict():
    scores = {
        "mean IoU": {
            "Forest": [0.80, 0.82, 0.81],
            "2D U-Net": [0.90, 0.91, 0.92],
            "3D U-Net": [0.85, 0.86, 0.84],
        }
    }
    options = {"network": "3D U-Net", "items": "volumes", "verdict_on": ["mean IoU"]}
    (verdict,) = Comparison(scores, other_networks=["2D U-Net"], **options).verdicts
    assert verdict.best == "Forest" and verdict.outcome == AHEAD, "against the best classical method"
    record = Comparison(scores, other_networks=["2D U-Net"], **options).record()
    assert record["other_networks"] == ["2D U-Net"] and len(record["rows"]) == 3
    (alone,) = Comparison(scores, **options).verdicts
    assert alone.best == "2D U-Net" and alone.outcome == BEHIND, "without it, the 2D U-Net is the opponent"
    assert "other_networks" not in Comparison(scores, **options).record(), "records of one network unchanged"


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


def test_grid_search_scores_several_values_at_once_with_workers_and_finds_the_same_best():
    together = threading.Barrier(2, timeout=10)  # broken unless two scores run at the same time

    def score(scale):
        together.wait()
        return -abs(scale - 1.2)

    grid = {"scale": [0.6, 0.8, 1.0, 1.2]}
    assert grid_search(score, grid, workers=2).knobs == {"scale": 1.2}
    one_at_a_time = threading.Barrier(2, timeout=0.5)  # by default, the second score never comes
    with pytest.raises(threading.BrokenBarrierError):
        grid_search(lambda scale: one_at_a_time.wait(), grid)


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
    assert saved["comparisons"][0]["verdicts"][0]["outcome"] == AHEAD
    assert saved["comparisons"][0]["case"] == "main"


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


def test_a_sweep_finds_where_the_network_pays_off_and_says_it_from_the_numbers(tmp_path, monkeypatch, capsys):
    from dlis_gallery.sweeps import crossovers_of, runs_of

    scores = {
        2: {"BM3D": [20.0, 21.0, 20.5, 20.7], "Network": [22.0, 23.1, 22.4, 22.9]},
        5: {"BM3D": [24.0, 25.0, 24.5, 24.2], "Network": [25.0, 26.1, 25.4, 25.1]},
        20: {"BM3D": [30.0, 31.0, 30.5, 30.2], "Network": [30.1, 30.9, 30.6, 30.2]},
        100: {"BM3D": [35.0, 36.0, 35.5, 35.2], "Network": [34.0, 35.1, 34.4, 34.0]},
    }
    run = _run(tmp_path, monkeypatch)
    swept = run.sweep(scores, knob="photons per pixel", metric="PSNR (dB)", network="Network", items="crops")
    record = swept.record()
    assert [v["outcome"] for v in record["verdicts"]] == [AHEAD, AHEAD, "not distinguishable", "behind"]
    assert runs_of(record["verdicts"])[0] == {"outcome": AHEAD, "first": 2, "last": 5}
    assert [c["between"] for c in crossovers_of(record["verdicts"])] == [[5, 20], [20, 100]]
    sentence = (
        "By photons per pixel: Network is ahead of the best classical method at 2 to 5; "
        "not distinguishable at 20; behind at 100."
    )
    assert sentence in capsys.readouterr().out
    saved = json.loads((tmp_path / "x.json").read_text())
    assert saved["sweeps"][0]["crossovers"] == record["crossovers"]
    shown = swept._repr_html_()
    assert 'data-dlis-sweep="' in shown and sentence in shown.replace("&#x27;", "'")


def test_a_comparison_of_the_domain_shift_says_so_and_an_unknown_case_is_refused():
    from dlis_gallery.results import case_words

    scores = {"F1": {"LoG": [0.5, 0.6, 0.55], "Network": [0.7, 0.8, 0.75]}}
    shifted = Comparison(scores, network="Network", items="scenes", verdict_on=["F1"], case="shift")
    assert case_words("shift") in shifted._repr_html_() and shifted.record()["case"] == "shift"
    with pytest.raises(ValueError, match="case="):
        Comparison(scores, network="Network", items="scenes", verdict_on=["F1"], case="other")


def test_the_seed_comes_from_the_environment_and_a_bad_one_is_refused():
    from dlis_gallery.run import SeedError, example_seed

    assert example_seed({}) == 0 and example_seed({"DLIS_SEED": " 7 "}) == 7
    with pytest.raises(SeedError, match="DLIS_SEED"):
        example_seed({"DLIS_SEED": "-1"})


def test_training_records_its_pace_and_where_the_validation_loss_levels_off(tmp_path, monkeypatch, capsys):
    from types import SimpleNamespace

    run = _run(tmp_path, monkeypatch)
    run.timings["training"] = 40.0
    run.learnt(SimpleNamespace(history={"val_loss": [1.0, 0.4, 0.25, 0.21, 0.2]}), steps_per_epoch=100)
    assert run.training["steps"] == 500 and run.training["steps_per_s"] == 12.5
    assert run.training["plateau_step"] == 400 and run.training["plateau_s"] == 32.0
    assert "plateau at step 400" in capsys.readouterr().out


def test_a_tuning_blurs_each_image_once_per_radius_and_keeps_images_apart():
    import numpy as np
    from scipy import ndimage

    calls = []

    def blur(image, sigma):
        calls.append(sigma)
        return ndimage.gaussian_filter(image, sigma)

    remembered = once_per_image(blur)
    first, second = np.eye(16), np.eye(16)[::-1].copy()
    tuning = grid_search(
        lambda smooth, radius: (
            -np.abs(remembered(first, smooth) - remembered(first, radius)).mean()
            - np.abs(remembered(second, smooth) - remembered(second, radius)).mean()
        ),
        {"smooth": [0.5, 1, 2], "radius": [4, 8, 16]},
    )
    assert sorted(calls) == sorted(2 * [0.5, 1, 2, 4, 8, 16]), "each image, each radius, once"
    assert tuning.knobs == {"smooth": 2, "radius": 4}
    assert np.array_equal(remembered(second, 2), ndimage.gaussian_filter(second, 2))
