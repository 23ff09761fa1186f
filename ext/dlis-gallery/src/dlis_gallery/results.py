"""A measured comparison of methods on held-out data: the table, the intervals and the verdict.

An application page scores every method on the same held-out items (images,
crops, scenes), one score per item and metric.  :class:`Comparison` turns
those scores into what the page shows: each method's mean with its 95 %
interval, and a verdict per chosen metric that compares the network with the
best other method from the interval of their per-item difference: *ahead*,
*behind* or *not distinguishable*.  The sentence is written from the numbers,
never in advance.

A page makes two kinds of comparison (``case``): its main one, on *your kind
of sample* (trained, tuned and tested on separate draws or regions of the
same kind of sample, as a scientist trains on their own acquisition), and a
*domain-shift* one (the same trained methods on images unlike those they
learnt from).  A :class:`Sweep` repeats the main comparison along a knob of
difficulty (photons per pixel, contrast-to-noise, spacing) and says where the
network starts to pay off.

The names of methods and metrics go through the same translation as the
sentences (a build in Chinese finds them in its catalog).

The page shows a comparison or a sweep as an HTML table (sphinx-gallery and
notebooks show an object's ``_repr_html_``); a script run in a terminal
prints it as text.  The HTML carries its own numbers (``data-dlis-results``,
``data-dlis-sweep``), so a build in another language writes it again in that
language (:func:`render_html`, :func:`render_sweep_html` with the build's
translation).
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .metrics import CONFIDENCE, bounds_of, mean_interval

#: What the items of a comparison are; the words come from :func:`item_words`.
ITEMS = ("images", "crops", "micrographs", "scenes", "volumes")
#: What the network is compared with; the words come from :func:`opponent_words`.
OPPONENTS = ("classical", "alternative")
#: The main comparison (your kind of sample) and the domain-shift one; words from :func:`case_words`.
MAIN, SHIFT = "main", "shift"
CASES = (MAIN, SHIFT)
AHEAD, BEHIND, TIED = "ahead", "behind", "not distinguishable"


def english(message: str) -> str:
    """The words of an English build: a translation function that changes nothing.

    Examples
    --------
    >>> english("ahead")
    'ahead'
    """
    return message


@dataclass(frozen=True)
class Verdict:
    """How the network compares with the best other method on one metric.

    ``margin`` is how much better the network is (negative: worse), whatever
    the metric's direction; ``low`` and ``high`` bound its 95 % interval.

    Examples
    --------
    >>> Verdict("F1", "Network", 0.93, "blob_log", 0.87, 0.06, 0.05, 0.07, 16).outcome
    'ahead'
    """

    metric: str
    network: str
    network_value: float
    best: str
    best_value: float
    margin: float
    low: float
    high: float
    count: int

    @property
    def outcome(self) -> str:
        if self.low > 0:
            return AHEAD
        if self.high < 0:
            return BEHIND
        return TIED  # also when the interval is undefined (one item)


class Comparison:
    """Every method's per-item scores on the same held-out items, and the verdicts.

    ``scores[metric][method]`` lists one score per item, in the same item order
    for every method.  ``lower_is_better`` names metrics where less is better
    (errors, distances).  Verdicts compare ``network`` with the best other
    method on each metric of ``verdict_on``; ``against`` says what the other
    methods are (``"classical"`` methods, or ``"alternative"`` networks);
    ``other_networks`` are networks shown beside ``network`` and never taken as
    its best opponent (a 2-D beside a 3-D one, say: the verdict stays against
    the best classical method);
    ``case`` which comparison of the page it is (:data:`MAIN` or :data:`SHIFT`).

    Examples
    --------
    >>> scores = {"PSNR (dB)": {"BM3D": [30.1, 29.8, 31.0], "Network": [31.2, 30.9, 31.5]}}
    >>> compared = Comparison(scores, network="Network", items="crops", verdict_on=["PSNR (dB)"])
    >>> compared.verdicts[0].outcome, round(compared.verdicts[0].margin, 2)
    ('ahead', 0.9)
    """

    def __init__(
        self,
        scores: Mapping[str, Mapping[str, Sequence[float]]],
        *,
        network: str,
        items: str,
        verdict_on: Sequence[str],
        lower_is_better: Sequence[str] = (),
        against: str = "classical",
        case: str = MAIN,
        other_networks: Sequence[str] = (),
    ):
        if case not in CASES:
            raise ValueError(f"case={case!r}: one of {', '.join(CASES)}")
        self.case = case
        if items not in ITEMS:
            raise ValueError(f"items={items!r}: one of {', '.join(ITEMS)}")
        if against not in OPPONENTS:
            raise ValueError(f"against={against!r}: one of {', '.join(OPPONENTS)}")
        self.against = against
        self.scores = {
            metric: {m: list(map(float, v)) for m, v in by.items()} for metric, by in scores.items()
        }
        self.network, self.items = network, items
        self.other_networks = tuple(other_networks)
        self.lower_is_better = tuple(lower_is_better)
        self.metrics = list(self.scores)
        self.methods = list(next(iter(self.scores.values())))
        for metric, by_method in self.scores.items():
            counts = {len(values) for values in by_method.values()}
            if list(by_method) != self.methods or len(counts) != 1:
                raise ValueError(f"{metric}: every method needs a score for the same items")
        self.verdicts = [self._verdict(metric) for metric in verdict_on]

    @property
    def count(self) -> int:
        return len(self.scores[self.metrics[0]][self.methods[0]])

    def better(self, metric: str) -> int:
        """+1 when higher is better on ``metric``, -1 when lower is."""
        return -1 if metric in self.lower_is_better else 1

    def _verdict(self, metric: str) -> Verdict:
        by_method = self.scores[metric]
        sign = self.better(metric)
        others = [method for method in self.methods if method not in (self.network, *self.other_networks)]
        best = max(others, key=lambda method: sign * np.mean(by_method[method]))
        margins = sign * (np.asarray(by_method[self.network]) - np.asarray(by_method[best]))
        margin, low, high = mean_interval(margins)
        return Verdict(
            metric=metric,
            network=self.network,
            network_value=float(np.mean(by_method[self.network])),
            best=best,
            best_value=float(np.mean(by_method[best])),
            margin=margin,
            low=low,
            high=high,
            count=self.count,
        )

    def record(self) -> dict:
        """Everything the page shows, as JSON-ready data."""
        rows = []
        for method in self.methods:
            row = {"method": method}
            for metric in self.metrics:
                mean, low, high = mean_interval(self.scores[metric][method], bounds=bounds_of(metric))
                row.update({metric: mean, f"{metric} low": low, f"{metric} high": high})
            rows.append(row)
        return {
            "case": self.case,
            "items": self.items,
            "count": self.count,
            "network": self.network,
            **({"other_networks": list(self.other_networks)} if self.other_networks else {}),
            "against": self.against,
            "metrics": {metric: self.better(metric) for metric in self.metrics},
            "rows": rows,
            "verdicts": [{**verdict.__dict__, "outcome": verdict.outcome} for verdict in self.verdicts],
        }

    def _repr_html_(self) -> str:
        return render_html(self.record())

    def __str__(self) -> str:
        return render_text(self.record())


def number(value: float) -> str:
    """A score as the tables print it: three decimals, two from 10 up.

    Examples
    --------
    >>> number(0.87654), number(31.2345), number(float("nan"))
    ('0.877', '31.23', 'n/a')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    return f"{value:.2f}" if abs(value) >= 10 else f"{value:.3f}"


def item_words(items: str, _: Callable[[str], str]) -> str:
    """What a comparison's items are, in the language of ``_``.

    Examples
    --------
    >>> item_words("crops", english)
    'held-out crops'
    """
    return {
        "images": _("held-out images"),
        "crops": _("held-out crops"),
        "micrographs": _("held-out micrographs"),
        "scenes": _("held-out scenes"),
        "volumes": _("held-out volumes"),
    }[items]


def confidence_words(_: Callable[[str], str] = english) -> str:
    """The confidence level of every interval, as "95 %" is written in the language of ``_``.

    Examples
    --------
    >>> confidence_words()
    '95 %'
    """
    return _("{percent} %").format(percent=round(100 * CONFIDENCE))


def opponent_words(against: str, _: Callable[[str], str]) -> str:
    """What the network is compared with, in the language of ``_``.

    Examples
    --------
    >>> opponent_words("classical", english)
    'classical method'
    """
    return {"classical": _("classical method"), "alternative": _("alternative")}[against]


def outcome_words(outcome: str, _: Callable[[str], str] = english) -> str:
    """A verdict's outcome in one word or two, in the language of ``_``.

    Examples
    --------
    >>> outcome_words("behind")
    'behind'
    """
    return {AHEAD: _("ahead"), BEHIND: _("behind")}.get(outcome, _("not distinguishable"))


def case_words(case: str, _: Callable[[str], str] = english) -> str:
    """Which comparison of a page it is, said in the language of ``_``.

    Examples
    --------
    >>> case_words("shift").split(":")[0]
    'Another kind of image (domain shift)'
    """
    return {
        MAIN: _(
            "Your kind of sample: trained, tuned and tested on separate draws of the same kind of sample"
        ),
        SHIFT: _(
            "Another kind of image (domain shift): the same trained and tuned methods, "
            "applied to images unlike those they learnt from"
        ),
    }[case]


def verdict_sentence(
    verdict: Mapping, items: str, against: str = "classical", _: Callable[[str], str] = english
) -> str:
    """The verdict in words, from the numbers of one verdict record.

    Examples
    --------
    >>> scores = {"F1": {"LoG": [0.80, 0.82, 0.79], "Network": [0.90, 0.93, 0.91]}}
    >>> record = Comparison(scores, network="Network", items="scenes", verdict_on=["F1"]).record()
    >>> verdict_sentence(record["verdicts"][0], "scenes").split(" by ")[0]
    'Network is ahead of the best classical method, LoG (0.803),'
    """
    outcome = verdict["outcome"]
    sign = -1 if outcome == BEHIND else 1
    words = {
        "network": _(verdict["network"]),
        "best": _(verdict["best"]),
        "best_value": number(verdict["best_value"]),
        "metric": _(verdict["metric"]),
        "margin": number(sign * verdict["margin"]),
        "low": number(sign * (verdict["high"] if sign < 0 else verdict["low"])),
        "high": number(sign * (verdict["low"] if sign < 0 else verdict["high"])),
        "count": verdict["count"],
        "items": item_words(items, _),
        "against": opponent_words(against, _),
        "level": confidence_words(_),
    }
    if outcome == AHEAD:
        sentence = _(
            "{network} is ahead of the best {against}, {best} ({best_value}), by {margin} "
            "in {metric} ({level} interval {low} to {high}, {count} {items})."
        )
    elif outcome == BEHIND:
        sentence = _(
            "{network} is behind the best {against}, {best} ({best_value}), by {margin} "
            "in {metric} ({level} interval {low} to {high}, {count} {items})."
        )
    else:
        sentence = _(
            "{network} and the best {against}, {best} ({best_value}), are not distinguishable "
            "in {metric}: the difference is {margin}, and its {level} interval ({low} to {high}, "
            "{count} {items}) includes zero."
        )
    return sentence.format(**words)


def _caption(record: Mapping, _: Callable[[str], str]) -> str:
    return _(
        "Mean over {count} {items}, and below it the {level} interval of the mean. "
        "Arrows: higher (↑) or lower (↓) is better. Bold: the best of each column."
    ).format(count=record["count"], items=item_words(record["items"], _), level=confidence_words(_))


def render_html(record: Mapping, _: Callable[[str], str] = english) -> str:
    """The comparison as an HTML table with its caption and verdicts, in the language of ``_``.

    Examples
    --------
    >>> scores = {"F1": {"LoG": [0.80, 0.82, 0.79], "Network": [0.90, 0.93, 0.91]}}
    >>> record = Comparison(scores, network="Network", items="scenes", verdict_on=["F1"]).record()
    >>> render_html(record).startswith('<div class="dlis-results" data-dlis-results=')
    True
    """
    metrics, rows = record["metrics"], record["rows"]
    best = {
        metric: max(range(len(rows)), key=lambda index: sign * rows[index][metric])
        for metric, sign in metrics.items()
    }
    head = "".join(
        f"<th scope='col'>{html.escape(_(metric))} {'↑' if sign > 0 else '↓'}</th>"
        for metric, sign in metrics.items()
    )
    body = []
    for index, row in enumerate(rows):
        cells = []
        for metric in metrics:
            mean = html.escape(number(row[metric]))
            mean = f"<strong>{mean}</strong>" if best[metric] == index else mean
            interval = f"{number(row[f'{metric} low'])} – {number(row[f'{metric} high'])}"
            cells.append(f"<td>{mean}<br><span class='dlis-interval'>{html.escape(interval)}</span></td>")
        kind = " class='dlis-network'" if row["method"] == record["network"] else ""
        body.append(f"<tr{kind}><th scope='row'>{html.escape(_(row['method']))}</th>{''.join(cells)}</tr>")
    verdicts = "".join(
        f"<p class='dlis-verdict dlis-{verdict['outcome'].replace(' ', '-')}'>"
        f"{html.escape(verdict_sentence(verdict, record['items'], record['against'], _))}</p>"
        for verdict in record["verdicts"]
    )
    data = html.escape(json.dumps(record, allow_nan=True), quote=True)
    method_heading = html.escape(_("Method"))
    case = html.escape(case_words(record.get("case", MAIN), _))
    return (
        f'<div class="dlis-results" data-dlis-results="{data}">'
        f"<p class='dlis-case'><strong>{case}</strong></p>"
        f"<div class='dlis-table-scroll'><table class='dlis-results-table'>"
        f"<caption>{html.escape(_caption(record, _))}</caption>"
        f"<thead><tr><th scope='col'>{method_heading}</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>{verdicts}</div>"
    )


def render_text(record: Mapping) -> str:
    """The comparison as plain text, for a script run in a terminal.

    Examples
    --------
    >>> scores = {"F1": {"LoG": [0.80, 0.82, 0.79], "Network": [0.90, 0.93, 0.91]}}
    >>> record = Comparison(scores, network="Network", items="scenes", verdict_on=["F1"]).record()
    >>> render_text(record).splitlines()[-1].startswith("Network is ahead")
    True
    """
    metrics = list(record["metrics"])
    lines = [case_words(record.get("case", MAIN)), _caption(record, english)]
    header = ["method", *(f"{m} {'↑' if record['metrics'][m] > 0 else '↓'}" for m in metrics)]
    cells = [
        [row["method"]]
        + [f"{number(row[m])} [{number(row[f'{m} low'])}, {number(row[f'{m} high'])}]" for m in metrics]
        for row in record["rows"]
    ]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]
    for line in [header, ["-" * width for width in widths], *cells]:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))
    lines += [verdict_sentence(verdict, record["items"], record["against"]) for verdict in record["verdicts"]]
    return "\n".join(lines)
