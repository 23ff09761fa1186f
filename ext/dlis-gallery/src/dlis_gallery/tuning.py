"""Tuning a classical method's knobs on a grid, and saying when the grid decided.

A classical baseline is only as strong as its tuning: each example tries a
grid of values on training images and keeps the best.  When the best value is
the smallest or largest one tried, the true optimum may lie beyond the grid,
and the comparison would be against a handicapped method.  :func:`grid_search`
reports those knobs, so the page can say so (and the build can refuse it).
A knob may have limits it cannot or should not pass (an overlap fraction
cannot exceed 1; a window beyond some size costs more than a page can spend):
a best value on such a limit is not a grid edge, and is reported as a note.
A grid asks for the same costly step of the same image again and again (a
blur at each radius, whatever the other knob): :func:`once_per_image` keeps
each answer, so a search costs what its distinct steps cost.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass

#: The words every grid-edge warning carries: the docs build fails on a page that shows them.
GRID_EDGE = "on the edge of its grid"


@dataclass(frozen=True)
class Tuned:
    """The best knobs found on a grid, their score, and the knobs whose best value was an edge.

    Attributes
    ----------
    knobs : dict
        The best value of each knob.
    score : float
        The score of those knobs.
    edges : tuple of str
        Knobs whose best value is the smallest or largest tried.
    at_limits : tuple of str
        Knobs whose best value is one of their declared limits.

    Examples
    --------
    >>> tuned = Tuned(knobs={"patch_size": 13}, score=31.2, edges=(), at_limits=("patch_size",))
    >>> tuned.notes("NL-means")
    ['Note: NL-means patch_size = 13 is at its limit.']
    """

    knobs: dict
    score: float
    edges: tuple[str, ...]
    at_limits: tuple[str, ...] = ()

    def warnings(self, method: str) -> list[str]:
        """One sentence per knob whose best value is the smallest or largest tried."""
        return [
            f"Warning: {method} {knob} = {self.knobs[knob]!r} is {GRID_EDGE}: try values beyond it."
            for knob in self.edges
        ]

    def notes(self, method: str) -> list[str]:
        """One sentence per knob whose best value is one of its declared limits."""
        return [f"Note: {method} {knob} = {self.knobs[knob]!r} is at its limit." for knob in self.at_limits]


def grid_search(
    score: Callable[..., float],
    grid: Mapping[str, Sequence],
    limits: Mapping[str, tuple[float, float]] | None = None,
    higher_is_better: bool = True,
    workers: int = 1,
) -> Tuned:
    """The best knobs on ``grid`` (knob name -> values, in order) by ``score(**knobs)``.

    A coordinate search, as one tunes by hand but without skipping a value:
    from the middle of the grid, each knob in turn tries all its values with
    the others held, until a whole pass changes nothing.  One knob is an
    exhaustive search; several cost the sum of their grid sizes per pass, not
    the product.  A numeric knob's smallest and largest values are its grid's
    edges (with two values the best is always one: give three or more); a
    knob with non-numeric values (a method's variant) has no edge.

    Parameters
    ----------
    score : callable
        ``score(**knobs)``: the mean score on training images.
    grid : mapping
        Each knob's values to try, in order.
    limits : mapping, optional
        Values a knob cannot or should not pass, ``(low, high)``: a best value
        there is a note, not a grid edge.
    higher_is_better : bool
        Whether a higher score is better.
    workers : int
        How many of a knob's values are scored at once, in threads: for a
        method that works on one core (BM3D), on a machine of several.
        ``score`` must then be safe to call from several threads and draw
        nothing at random.

    Returns
    -------
    Tuned
        The best knobs, their score, the knobs on an edge or at a limit.

    Examples
    --------
    >>> tuned = grid_search(lambda weight: -(weight - 0.7) ** 2, {"weight": [0.3, 0.5, 0.7, 1.0]})
    >>> tuned.knobs, tuned.edges
    ({'weight': 0.7}, ())
    >>> grid_search(lambda weight: weight, {"weight": [1, 2, 3]}).warnings("TV")
    ['Warning: TV weight = 3 is on the edge of its grid: try values beyond it.']
    """
    limits = limits or {}
    sign = 1 if higher_is_better else -1
    seen: dict[tuple, float] = {}

    def scored(knobs: dict) -> float:
        return seen[tuple(knobs.values())]

    def score_new(candidates: list[dict], each: Callable) -> None:
        new = [knobs for knobs in candidates if tuple(knobs.values()) not in seen]
        for knobs, value in zip(new, each(lambda knobs: score(**knobs), new), strict=True):
            seen[tuple(knobs.values())] = sign * float(value)

    with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
        each = pool.map if pool else map
        best = {name: values[len(values) // 2] for name, values in grid.items()}
        changed = True
        while changed:
            changed = False
            for name, values in grid.items():
                score_new([{**best, name: value} for value in values], each)
                value = max(values, key=lambda value: scored({**best, name: value}))
                if scored({**best, name: value}) > scored(best):
                    best[name], changed = value, True
    edges = tuple(name for name in grid if _on_edge(best[name], grid[name], limits.get(name)))
    at_limits = tuple(name for name in grid if name in limits and best[name] in limits[name])
    return Tuned(knobs=best, score=sign * scored(best), edges=edges, at_limits=at_limits)


def _on_edge(value, values: Sequence, limit: tuple[float, float] | None) -> bool:
    numeric = [item for item in values if isinstance(item, int | float) and not isinstance(item, bool)]
    if len(numeric) < 2 or len(numeric) != len(values):
        return False
    if limit is not None and value in limit:
        return False
    return value in (min(numeric), max(numeric))


def once_per_image(function: Callable) -> Callable:
    """``function(image, *knobs)``, computed once per image and knobs, then remembered.

    For a tuning's score only: the answers stay in memory as long as the
    returned function does (make it inside the function that tunes).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import ndimage
    >>> blur = once_per_image(ndimage.gaussian_filter)
    >>> image = np.eye(8)
    >>> blur(image, 2) is blur(image, 2)
    True
    """
    answers: dict[tuple[int, Hashable], tuple] = {}

    def remembered(image, *knobs):
        key = (id(image), *knobs)
        if key not in answers:
            answers[key] = (image, function(image, *knobs))  # the image is kept, so its id stays its own
        return answers[key][1]

    return remembered
