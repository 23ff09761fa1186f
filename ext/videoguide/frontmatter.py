"""A guide's front matter, read and validated into one typed object.

The YAML block at the top of a guide is the author's; everything past this
module works with :class:`GuideMeta` and never with raw dicts.  Problems are
collected with the line of the key they concern, so that the Sphinx side can
report ``guide.md:LINE: message`` and still build the rest of the page.

Like myst-parser's configuration, each field carries its own help text and
validator in its ``metadata``.
"""

from __future__ import annotations

import dataclasses as dc
import difflib
import re
from collections.abc import Callable
from typing import Any

import yaml
from myst_parser.config.main import TopmatterReadError, read_topmatter

from .youtube import is_http_url

#: BCP 47 language tag: language, optional script, region and variants.
BCP47 = re.compile(
    r"^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*$"
)
#: A path to a file shipped with the site, such as ``/dragonfly3dworld/design.css``.
SITE_PATH = re.compile(r"^/?(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*$")


class FrontMatterError(Exception):
    """Something wrong in the front matter, at a line of the guide file."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {_kind(value)}")
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


def _http_url(value: Any) -> str:
    url = _text(value)
    if not is_http_url(url):
        raise ValueError(f"must be an http(s) URL, not {url!r}")
    return url


def _site_path(value: Any) -> str:
    path = _text(value)
    if ".." in path.split("/") or not SITE_PATH.match(path):
        raise ValueError(
            f"must be a path to a file shipped with the site, such as /series/design.css, not {path!r}"
        )
    return path.lstrip("/")


def _language(value: Any) -> str:
    tag = _text(value)
    if not BCP47.match(tag):
        raise ValueError(f"must be a BCP 47 language tag such as zh-CN, not {tag!r}")
    return tag


def _year(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    year = _text(value)
    if not re.fullmatch(r"\d{4}(?:\s*[-–]\s*\d{4})?", year):
        raise ValueError(f"must be a year such as 2025, not {year!r}")
    return year


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", type(None): "empty"}.get(type(value), type(value).__name__)


def field(validator: Callable[[Any], Any], help: str, required: bool = False):
    """A dataclass field whose metadata holds its validator and help text."""
    return dc.field(
        default=None,
        metadata={"validator": validator, "help": help, "required": required},
    )


@dc.dataclass(frozen=True)
class Footer:
    """Who made the guide, where to follow them, and its copyright."""

    author: str | None = field(_text, "The guide's author, shown in the footer.")
    social_link: str | None = field(_http_url, "An http(s) link to the author.")
    social_text: str | None = field(_text, "The words of the social link.")
    copyright_year: str | None = field(_year, "The year after the © sign.")
    copyright_text: str | None = field(_text, "The copyright notice.")


def _footer(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"must be a mapping of footer keys, not {_kind(value)}")
    return value


@dc.dataclass(frozen=True)
class GuideMeta:
    """Everything a guide's front matter says, validated."""

    title: str | None = field(_text, "The HTML title and navigation title.", True)
    header: str | None = field(_text, "The page's visible heading (<h1>).")
    intro_text: str | None = field(_text, "The lead paragraph under the heading.")
    video_url: str | None = field(_http_url, "The YouTube video the guide follows.", True)
    css_path: str | None = field(_site_path, "A stylesheet shipped with the site.")
    js_path: str | None = field(_site_path, "A script shipped with the site.")
    language: str | None = field(_language, "The BCP 47 tag of the guide's language.")
    footer: Footer = dc.field(
        default_factory=Footer,
        metadata={"validator": _footer, "help": "Author, social link and copyright."},
    )

    @property
    def heading(self) -> str:
        """The visible heading: ``header``, else ``title``."""
        return self.header or self.title or ""


#: Keys that make a Markdown page a guide, even when ``video_url`` is missing.
GUIDE_MARKING_KEYS = {"video_url", "header", "intro_text", "css_path", "js_path", "footer"}


@dc.dataclass(frozen=True)
class FrontMatter:
    """The raw front matter of a file, with the line of each key."""

    data: dict[str, Any]
    lines: dict[tuple[str, ...], int]
    first_line: int
    last_line: int

    @property
    def marks_guide(self) -> bool:
        return bool(GUIDE_MARKING_KEYS & set(self.data))


def closing_line(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter opened on ``lines[0]``
    (``---`` or YAML's ``...``), or None when nothing closes it."""
    return next((i for i, line in enumerate(lines[1:], 1) if line.startswith(("---", "..."))), None)


def read_front_matter(source: str) -> FrontMatter | None:
    """Read the YAML block at the top of ``source`` (None when there is none).

    The values come from myst-parser's own reader; a second, structural pass of
    the same block only records on which line each key stands.  Raises
    :class:`FrontMatterError` for YAML that cannot be read.
    """
    lines = source.splitlines()
    if not lines or not lines[0].startswith("---"):
        return None
    last = closing_line(lines)
    if last is None:
        raise FrontMatterError("front matter is not closed by a '---' line", 1)
    block = "\n".join(line.rstrip() for line in lines[1:last]) + "\n"
    try:
        data = read_topmatter(source) or {}
        key_lines = _key_lines(yaml.compose(block), offset=2)
    except (TopmatterReadError, yaml.YAMLError) as err:
        cause = err.__cause__ or err
        mark = getattr(cause, "problem_mark", None)
        problem = getattr(cause, "problem", None) or str(err)
        line = mark.line + 2 if mark is not None else 1
        raise FrontMatterError(f"front matter is not valid YAML: {problem}", line) from None
    return FrontMatter(data=data, lines=key_lines, first_line=1, last_line=last + 1)


def _key_lines(node: yaml.Node | None, offset: int, path=()) -> dict[tuple[str, ...], int]:
    found: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            key_path = (*path, str(key.value))
            found[key_path] = key.start_mark.line + offset
            found.update(_key_lines(value, offset, key_path))
    return found


def validate(front: FrontMatter) -> tuple[GuideMeta, list[FrontMatterError]]:
    """Turn raw front matter into a :class:`GuideMeta` and the problems found.

    Every problem is also a reason the matching field is left out, so the page
    still builds from what is valid.
    """
    problems: list[FrontMatterError] = []
    values = _validated_fields(GuideMeta, front.data, (), front, problems)
    footer_data = values.pop("footer", None) or {}
    values["footer"] = Footer(**_validated_fields(Footer, footer_data, ("footer",), front, problems))
    return GuideMeta(**values), problems


def _validated_fields(cls, data, path, front: FrontMatter, problems) -> dict[str, Any]:
    fields = {f.name: f for f in dc.fields(cls)}
    fallback = front.lines.get(path, front.first_line)
    values: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        line = front.lines.get((*path, key), fallback)
        name = ".".join((*path, key))
        if key not in fields:
            close = difflib.get_close_matches(key, fields, n=1)
            hint = f" (did you mean {'.'.join((*path, close[0]))!r}?)" if close else ""
            message = f"unknown front matter key {name!r}{hint}; known keys: {', '.join(fields)}"
            problems.append(FrontMatterError(message, line))
            continue
        try:
            values[key] = fields[key].metadata["validator"](value)
        except ValueError as err:
            problems.append(FrontMatterError(f"front matter key {name!r} {err}", line))
    for key, f in fields.items():
        if f.metadata.get("required") and key not in data:
            problems.append(FrontMatterError(f"front matter has no {key!r}: {f.metadata['help']}", fallback))
    return values
