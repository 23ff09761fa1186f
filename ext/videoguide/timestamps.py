"""Video timestamps as guides write them: ``[00:02:53]`` or ``[02:53]``.

A guide puts a timestamp at the end of a heading or of the bold lead of a list
item.  This module finds such a trailing timestamp in a piece of text, checks it
and turns it into seconds.  It knows nothing of Sphinx, so it is tested alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Anything that looks like a bracketed time at the end of a text: digits and
#: colons.  What matches here but is not a valid time is reported, not ignored.
TRAILING_TIME_CANDIDATE = re.compile(r"\s*\[\s*(\d+(?::\d+)+)\s*\]\s*$")

#: A clock reading as the role and the guides write it, without brackets.
CLOCK = re.compile(r"^(?:(\d{1,2}):)?(\d{2}):(\d{2})$")


class TimestampError(ValueError):
    """A timestamp that is malformed or out of range; the message says which."""


@dataclass(frozen=True)
class Timestamp:
    """One moment of a video, and the time as the author wrote it."""

    seconds: int
    label: str


def parse_clock(text: str) -> Timestamp:
    """Read ``HH:MM:SS`` or ``MM:SS`` (no brackets) into a :class:`Timestamp`."""
    match = CLOCK.match(text.strip())
    if match is None:
        raise TimestampError(f"malformed timestamp [{text.strip()}]: write [HH:MM:SS] or [MM:SS]")
    hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
    if minutes >= 60 or seconds >= 60:
        raise TimestampError(
            f"timestamp [{text.strip()}] is out of range: minutes and seconds must be below 60"
        )
    return Timestamp(hours * 3600 + minutes * 60 + seconds, text.strip())


def split_trailing_timestamp(text: str) -> tuple[str, Timestamp] | None:
    """Split ``"Image Filtering [00:02:53]"`` into its words and its timestamp.

    Returns ``None`` when the text does not end with something bracketed that
    looks like a time, and raises :class:`TimestampError` when it does but the
    time is malformed or out of range.
    """
    match = TRAILING_TIME_CANDIDATE.search(text)
    if match is None:
        return None
    return text[: match.start()], parse_clock(match.group(1))
