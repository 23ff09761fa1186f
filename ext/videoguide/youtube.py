"""The addresses of a guide's video: where to watch it, embed it, and jump in it.

Guides name their video by a YouTube watch, ``youtu.be`` or embed URL.  All of
them reduce to one video id, from which every other address is derived here and
nowhere else.  Embeds use the privacy-enhanced host and only start playing when
a reader asks for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
WATCH_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
EMBED_HOSTS = WATCH_HOSTS | {"youtube-nocookie.com", "www.youtube-nocookie.com"}
SHORT_HOSTS = {"youtu.be"}


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host: the only links we emit."""
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


@dataclass(frozen=True)
class YouTubeVideo:
    """A YouTube video, known by its id."""

    video_id: str

    @property
    def watch_url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.video_id}"

    def watch_url_at(self, seconds: int) -> str:
        """The watch page, opened at ``seconds`` (``t=173s``)."""
        return f"{self.watch_url}&t={seconds}s"

    def embed_url(self, start: int = 0) -> str:
        """The privacy-enhanced embedded player, starting at ``start`` seconds.

        ``enablejsapi=1`` lets the page seek the player it has already loaded.
        """
        return (
            f"https://www.youtube-nocookie.com/embed/{self.video_id}?start={start}&autoplay=1&enablejsapi=1"
        )


def youtube_video(url: str) -> YouTubeVideo | None:
    """The video a YouTube watch, ``youtu.be`` or embed URL points at, else None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"}:
        return None
    host = (parts.hostname or "").lower()
    candidate = ""
    if host in SHORT_HOSTS:
        candidate = parts.path.lstrip("/")
    elif host in WATCH_HOSTS and parts.path == "/watch":
        values = parse_qs(parts.query).get("v", [])
        candidate = values[0] if len(values) == 1 else ""
    elif host in EMBED_HOSTS and parts.path.startswith("/embed/"):
        candidate = parts.path.removeprefix("/embed/")
    return YouTubeVideo(candidate) if VIDEO_ID.match(candidate) else None


def link_at(url: str, seconds: int) -> str:
    """Where a timestamp link goes: the YouTube watch page at that second, or,
    for a video that is not on YouTube, the video's own page."""
    video = youtube_video(url)
    return video.watch_url_at(seconds) if video else url
