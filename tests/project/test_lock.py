"""The lock: every package the project asks for is pinned in constraints.txt, and every nox
session but the two that must not (the lock itself, tests-latest) installs within it."""

from __future__ import annotations

import ast
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT

NOXFILE = ROOT / "noxfile.py"
#: Sessions that install outside the lock on purpose.
UNLOCKED = {"lock", "tests_latest"}


def _pinned() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    pins = [line.split("==") for line in lines if line and not line.startswith("#")]
    return {canonicalize_name(name): version for name, version in pins}


#: This repository's packages: the site's extensions and the readers' library.
PROJECTS = [ROOT / "pyproject.toml", ROOT / "ext" / "dlis-gallery" / "pyproject.toml"]


def test_every_requirement_of_both_packages_is_pinned_once():
    projects = [tomllib.loads(path.read_text())["project"] for path in PROJECTS]
    ours = {canonicalize_name(project["name"]) for project in projects}
    wanted = []
    for project in projects:
        wanted += project["dependencies"]
        for extra in project.get("optional-dependencies", {}).values():
            wanted += extra
    wanted = [item for item in wanted if canonicalize_name(Requirement(item).name) not in ours]
    assert len(wanted) > 20
    pinned = _pinned()
    missing = []
    for requirement in map(Requirement, wanted):
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            missing.append(str(requirement))
    assert missing == [], "run `nox -s lock` after changing the requirements"


def test_sessions_install_within_the_lock():
    tree = ast.parse(NOXFILE.read_text())
    outside = []
    for function in (node for node in tree.body if isinstance(node, ast.FunctionDef)):
        for call in ast.walk(function):
            if isinstance(call, ast.Call) and ast.unparse(call.func) == "session.install":
                if function.name not in UNLOCKED and function.name != "install":
                    outside.append(function.name)
    assert outside == []
    assert "\n    install(session" in NOXFILE.read_text()
