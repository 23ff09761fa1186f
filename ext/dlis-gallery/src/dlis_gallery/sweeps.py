"""Where the network starts to pay off: its margin over the best classical method along a knob of difficulty.

A scientist lives with one knob more than any other: the photons per pixel
of a fast acquisition, the contrast between two phases, how close two spots
sit.  A :class:`Sweep` scores every method at each level of that knob (the
network trained once across the whole range, the classical knobs tuned per
level), and at each level gives the verdict of a
:class:`~dlis_gallery.results.Comparison`: the margin of the network over
the best other method with its 95 % interval.  The runs of levels with one
verdict are the sentence the page prints ("ahead at 2 to 20; not
distinguishable at 50 to 100"), and a change of verdict between two levels
is a crossover, marked on the chart (:func:`dlis_gallery.figures.sweep_chart`).
Nothing is written in advance: the words come from the numbers.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping, Sequence

from .results import (
    AHEAD,
    BEHIND,
    Comparison,
    confidence_words,
    english,
    item_words,
    number,
    opponent_words,
    outcome_words,
)


class Sweep:
    """The network against the best other method at each level of ``knob``.

    Parameters
    ----------
    scores : mapping
        ``scores[level][method]``: one score per held-out item at that level,
        the items in the same order for every method.
    knob : str
        What the levels measure, with its unit ("photons per pixel").
    metric : str
        What the scores are ("PSNR (dB)").
    network : str
        The network's name among the methods.
    items : str
        What the items are (see :data:`dlis_gallery.results.ITEMS`).
    lower_is_better : bool
        Whether a lower score is better.
    against : str
        What the other methods are: ``"classical"`` or ``"alternative"``.

    Examples
    --------
    >>> sweep = Sweep(
    ...     {2: {"BM3D": [20.0, 21.0, 20.5], "Network": [22.0, 23.1, 22.4]},
    ...      50: {"BM3D": [30.0, 31.0, 30.5], "Network": [30.1, 30.9, 30.6]}},
    ...     knob="photons per pixel", metric="PSNR (dB)", network="Network", items="crops")
    >>> [verdict["outcome"] for verdict in sweep.record()["verdicts"]]
    ['ahead', 'not distinguishable']
    >>> sweep_sentence(sweep.record())
    'By photons per pixel: Network is ahead of the best classical method at 2; not distinguishable at 50.'
    """

    def __init__(
        self,
        scores: Mapping[float, Mapping[str, Sequence[float]]],
        *,
        knob: str,
        metric: str,
        network: str,
        items: str,
        lower_is_better: bool = False,
        against: str = "classical",
    ):
        self.knob, self.metric, self.network, self.items, self.against = knob, metric, network, items, against
        self.levels = list(scores)
        lower = [metric] if lower_is_better else []
        self.comparisons = [
            Comparison(
                {metric: scores[level]},
                network=network,
                items=items,
                verdict_on=[metric],
                lower_is_better=lower,
                against=against,
            )
            for level in self.levels
        ]

    def record(self) -> dict:
        """Everything the page shows, as JSON-ready data: each level's verdict, the runs
        of one verdict and the crossovers between them."""
        verdicts = [
            {"level": level, **comparison.record()["verdicts"][0]}
            for level, comparison in zip(self.levels, self.comparisons, strict=True)
        ]
        return {
            "knob": self.knob,
            "metric": self.metric,
            "network": self.network,
            "items": self.items,
            "against": self.against,
            "verdicts": verdicts,
            "runs": runs_of(verdicts),
            "crossovers": crossovers_of(verdicts),
        }

    def _repr_html_(self) -> str:
        return render_sweep_html(self.record())

    def __str__(self) -> str:
        return render_sweep_text(self.record())


def runs_of(verdicts: Sequence[Mapping]) -> list[dict]:
    """Consecutive levels with the same verdict: ``{"outcome", "first", "last"}`` each, in order.

    Examples
    --------
    >>> levels = [{"level": 2, "outcome": "ahead"}, {"level": 5, "outcome": "ahead"}]
    >>> runs_of(levels + [{"level": 9, "outcome": "behind"}])
    [{'outcome': 'ahead', 'first': 2, 'last': 5}, {'outcome': 'behind', 'first': 9, 'last': 9}]
    """
    found: list[dict] = []
    for verdict in verdicts:
        if found and found[-1]["outcome"] == verdict["outcome"]:
            found[-1]["last"] = verdict["level"]
        else:
            found.append({"outcome": verdict["outcome"], "first": verdict["level"], "last": verdict["level"]})
    return found


def crossovers_of(verdicts: Sequence[Mapping]) -> list[dict]:
    """Where the verdict changes between two neighbouring levels: ``{"between": [a, b], "from", "to"}``.

    Examples
    --------
    >>> crossovers_of([{"level": 5, "outcome": "ahead"}, {"level": 9, "outcome": "behind"}])
    [{'between': [5, 9], 'from': 'ahead', 'to': 'behind'}]
    """
    return [
        {"between": [before["level"], after["level"]], "from": before["outcome"], "to": after["outcome"]}
        for before, after in zip(verdicts, verdicts[1:], strict=False)
        if before["outcome"] != after["outcome"]
    ]


def level_words(level: float) -> str:
    """A level as the sentences write it.

    Examples
    --------
    >>> level_words(2.0), level_words(0.05), level_words(12.5)
    ('2', '0.05', '12.5')
    """
    return f"{level:g}"


def sweep_sentence(record: Mapping, _: Callable[[str], str] = english) -> str:
    """The sweep in one sentence, from its runs of verdicts, in the language of ``_``.

    Examples
    --------
    >>> record = {"knob": "gap (pixels)", "network": "Network", "against": "classical",
    ...           "runs": [{"outcome": "ahead", "first": 3, "last": 5}]}
    >>> sweep_sentence(record)
    'By gap (pixels): Network is ahead of the best classical method at 3 to 5.'
    """
    pieces = []
    for index, run in enumerate(record["runs"]):
        levels = (
            level_words(run["first"])
            if run["first"] == run["last"]
            else _("{first} to {last}").format(first=level_words(run["first"]), last=level_words(run["last"]))
        )
        if index == 0:
            template = (
                _("{network} is ahead of the best {against} at {levels}")
                if run["outcome"] == AHEAD
                else _("{network} is behind the best {against} at {levels}")
                if run["outcome"] == BEHIND
                else _("{network} and the best {against} are not distinguishable at {levels}")
            )
            pieces.append(
                template.format(
                    network=_(record["network"]), against=opponent_words(record["against"], _), levels=levels
                )
            )
        else:
            outcome = outcome_words(run["outcome"], _)
            pieces.append(_("{outcome} at {levels}").format(outcome=outcome, levels=levels))
    return _("By {knob}: {runs}.").format(knob=_(record["knob"]), runs=_("; ").join(pieces))


def render_sweep_html(record: Mapping, _: Callable[[str], str] = english) -> str:
    """The sweep as an HTML table (one row per level) and its sentence, in the language of ``_``.

    Examples
    --------
    >>> scores = {1: {"A": [1.0, 2.0], "Network": [2.0, 3.0]}, 2: {"A": [1.0, 2.0], "Network": [1.0, 2.1]}}
    >>> swept = Sweep(scores, knob="level", metric="PSNR (dB)", network="Network", items="crops")
    >>> render_sweep_html(swept.record()).count("<tr>")
    3
    """
    best = _("Best {against}").format(against=opponent_words(record["against"], _))
    head = [_(record["knob"]), _(record["network"]), best]
    head += [_("Margin ({level} interval)").format(level=confidence_words(_)), _("Verdict")]
    rows = []
    for verdict in record["verdicts"]:
        margin = f"{number(verdict['margin'])} [{number(verdict['low'])}, {number(verdict['high'])}]"
        kind = verdict["outcome"].replace(" ", "-")
        cells = [
            html.escape(number(verdict["network_value"])),
            html.escape(f"{_(verdict['best'])} {number(verdict['best_value'])}"),
            html.escape(margin),
            f"<span class='dlis-outcome dlis-{kind}'>"
            f"{html.escape(outcome_words(verdict['outcome'], _))}</span>",
        ]
        rows.append(
            f"<tr><th scope='row'>{html.escape(level_words(verdict['level']))}</th>"
            + "".join(f"<td>{cell}</td>" for cell in cells)
            + "</tr>"
        )
    header = "".join(f"<th scope='col'>{html.escape(cell)}</th>" for cell in head)
    caption = _("{metric} at each level, mean over {count} {items} per level").format(
        metric=_(record["metric"]), count=record["verdicts"][0]["count"], items=item_words(record["items"], _)
    )
    data = html.escape(json.dumps(record, allow_nan=True), quote=True)
    return (
        f'<div class="dlis-sweep" data-dlis-sweep="{data}">'
        f"<div class='dlis-table-scroll'><table class='dlis-sweep-table'>"
        f"<caption>{html.escape(caption)}</caption><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f"<p class='dlis-sweep-sentence'>{html.escape(sweep_sentence(record, _))}</p></div>"
    )


def render_sweep_text(record: Mapping) -> str:
    """The sweep as plain text, for a script run in a terminal.

    Examples
    --------
    >>> scores = {1: {"A": [1.0, 2.0], "Network": [2.0, 3.0]}, 2: {"A": [1.0, 2.0], "Network": [1.0, 2.1]}}
    >>> swept = Sweep(scores, knob="level", metric="PSNR (dB)", network="Network", items="crops")
    >>> render_sweep_text(swept.record()).splitlines()[0]
    'PSNR (dB) by level: Network against the best classical'
    """
    against = f"{record['network']} against the best {record['against']}"
    lines = [f"{record['metric']} by {record['knob']}: {against}"]
    for verdict in record["verdicts"]:
        lines.append(
            f"  {level_words(verdict['level']):>8}  {number(verdict['network_value'])} vs {verdict['best']} "
            f"{number(verdict['best_value'])}: {number(verdict['margin'])} "
            f"[{number(verdict['low'])}, {number(verdict['high'])}] {verdict['outcome']}"
        )
    lines.append(sweep_sentence(record))
    return "\n".join(lines)
