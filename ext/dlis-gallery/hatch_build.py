"""Puts the workflow's steps (``gallery/workflow/plot_*.py``) into the package as
``dlis_gallery/workflow_steps``, so a step downloaded alone can re-make what it needs.

The steps live once, in the gallery; this hook copies them in at build time
instead of a link in the source tree (a link does not survive every checkout
or copy).  A build from the sdist, which already holds the copies, finds no
gallery beside it and adds nothing; an editable install needs no copies (the
library then reads the steps from the gallery itself).
"""

from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

STEPS = Path(__file__).parent.parent.parent / "gallery" / "workflow"
TARGET = {"wheel": "dlis_gallery/workflow_steps", "sdist": "src/dlis_gallery/workflow_steps"}


class WorkflowStepsHook(BuildHookInterface):
    """Adds each step's source to the files the wheel or the sdist holds."""

    def initialize(self, version: str, build_data: dict) -> None:
        if version == "editable":
            return
        for step in sorted(STEPS.glob("plot_*.py")):
            build_data["force_include"][str(step)] = f"{TARGET[self.target_name]}/{step.name}"
