"""Per-document facts kept on the Sphinx environment across builds.

Each store is a dict on the environment keyed by docname: forgotten when its
document is re-read or removed, and merged back from parallel readers.  Guides'
meta, the moments pages cite, and the moment each guide section shows all
live in one of these.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


class DocStore:
    """A dict of facts by docname, stored on the environment as ``attribute``."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def of(self, env: BuildEnvironment) -> dict:
        if not hasattr(env, self.attribute):
            setattr(env, self.attribute, {})
        return getattr(env, self.attribute)

    def purge(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        self.of(env).pop(docname, None)

    def merge(self, app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
        self.of(env).update({name: value for name, value in self.of(other).items() if name in docnames})

    def connect(self, app: Sphinx) -> None:
        app.connect("env-purge-doc", self.purge)
        app.connect("env-merge-info", self.merge)


#: GuideMeta of every guide, by docname.
GUIDES = DocStore("videoguide_guides")
#: The timestamp roles of every page: a list of Moment, by the page's docname.
MOMENTS = DocStore("videoguide_moments")
#: For each guide: {seconds: id of the first section showing that moment}.
SECTIONS = DocStore("videoguide_sections")
