"""Every measured table reaches the page: it is the last value of its code cell.

sphinx-gallery (and a notebook) shows the value of a cell's last expression,
as HTML when it has ``_repr_html_``; a ``run.table(...)`` or ``run.compare(...)``
anywhere else in a cell would be computed, saved, and never shown.
"""

from __future__ import annotations

import ast

import pytest
from sphinx_gallery.py_source_parser import split_code_and_text_blocks

from tests.gallery.test_examples import EXAMPLES

SHOWN = ("table", "compare")


def _shows(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SHOWN
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "run"
    )


def _names_bound_to_a_shown_value(block: ast.Module) -> set[str]:
    return {
        target.id
        for statement in block.body
        if isinstance(statement, ast.Assign) and _shows(statement.value)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_each_table_is_the_last_value_of_its_cell(path):
    _, blocks = split_code_and_text_blocks(str(path))
    for block in blocks:
        if block.type != "code":
            continue
        tree = ast.parse(block.content)
        calls = [node for node in ast.walk(tree) if _shows(node)]
        if not calls:
            continue
        assert len(calls) == 1, f"{path.name}, line {block.lineno}: one table per cell"
        last = tree.body[-1]
        assert isinstance(last, ast.Expr), f"{path.name}, line {block.lineno}: end the cell with the table"
        shown = _shows(last.value) or (
            isinstance(last.value, ast.Name) and last.value.id in _names_bound_to_a_shown_value(tree)
        )
        assert shown, f"{path.name}, line {block.lineno}: the cell's last value is not its table"
