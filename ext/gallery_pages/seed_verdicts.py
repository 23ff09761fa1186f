"""The main verdicts under several seeds, as the bench recorded them, beside this build's.

One build runs each example under one seed (``DLIS_SEED``, default 0); a
margin that a seed can flip is not a win.  ``nox -s bench -- --seeds 3``
runs each application under seeds 0, 1 and 2 and writes what each main
verdict was under each (``gallery/reference/seeds.json``, the
``dlis_recorded_seeds`` setting; the bench's record is kept like the full
profile's, with the source it measured).  The answer box and the results
table say, for each main verdict, what the seeds gave, and a verdict that
changes with the seed is shown as such, never as a win.
"""

from __future__ import annotations

from collections.abc import Callable

from dlis_gallery.results import AHEAD, MAIN, TIED, outcome_words

from .reference import example_key, is_stale, recorded


def seed_outcomes(env, docname: str, metric: str) -> tuple[list[tuple[int, str]], bool] | None:
    """``([(seed, outcome), ...], stale)`` of the main verdict on ``metric`` of ``docname``,
    or None when none was recorded."""
    entry = _entry(env, docname)
    if not entry:
        return None
    found = []
    for seed, comparisons in sorted(entry["comparisons"].items(), key=lambda item: int(item[0])):
        for comparison in comparisons:
            if comparison["case"] != MAIN:
                continue
            found += [(int(seed), v["outcome"]) for v in comparison["verdicts"] if v["metric"] == metric]
    return (found, is_stale(env, docname, entry)) if found else None


def seeds_measured(env, docname: str) -> dict:
    """Where and when the seeds of ``docname`` ran (``profile``, ``device``, ``date``): its own entry's
    record, or the run's for a record that has none (a bench run may renew only some pages)."""
    return (_entry(env, docname) or {}).get("measured") or recorded(env, "dlis_recorded_seeds")["run"]


def _entry(env, docname: str) -> dict | None:
    """The seeds' record of ``docname``, if it has one."""
    return recorded(env, "dlis_recorded_seeds")["examples"].get(example_key(docname))


def changes_with_the_seed(outcomes: list[tuple[int, str]] | None) -> bool:
    return bool(outcomes) and len({outcome for _, outcome in outcomes}) > 1


def steady_outcome(outcome: str, outcomes: list[tuple[int, str]] | None) -> str:
    """This build's outcome, unless the seeds disagree about it: then "not distinguishable",
    so that a win a seed can take back is never advertised."""
    return TIED if outcome == AHEAD and changes_with_the_seed(outcomes) else outcome


def seeds_sentence(
    measured: dict, outcomes: list[tuple[int, str]], stale: bool, _: Callable[[str], str]
) -> str:
    """What the seeds gave, in the build's language; ``measured``: :func:`seeds_measured`."""
    listed = _(", ").join(
        _("seed {seed}: {outcome}").format(seed=seed, outcome=outcome_words(outcome, _))
        for seed, outcome in outcomes
    )
    said = _("Under {count} seeds ({profile} profile, {device}, {date}): {listed}.").format(
        count=len(outcomes), profile=measured.get("profile", "?"), device=measured.get("device", "?"),
        date=measured.get("date", "?"), listed=listed,
    )  # fmt: skip
    if changes_with_the_seed(outcomes):
        said += " " + _("The verdict changes with the seed: it is not a win.")
    if stale:
        said += " " + _("(Recorded for an earlier version of this example.)")
    return said
