"""The examples in the readers' library's docstrings (shown in the API reference) run and print
what they say, on every backend (the bioimage.io module's on TensorFlow, where Keras exports
ONNX, and where its extra is installed)."""

from __future__ import annotations

import doctest
import importlib
import os

import keras
import pytest

from dlis_gallery.run import unpackable
from tests.conftest import ROOT

LIBRARY = ROOT / "ext" / "dlis-gallery" / "src" / "dlis_gallery"
MODULES = sorted(f"dlis_gallery.{path.stem}" for path in LIBRARY.glob("*.py") if path.stem != "__init__")


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of_each_module_run(name, monkeypatch, tmp_path):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)  # whatever an example writes stays out of the checkout
    if name == "dlis_gallery.bioimage" and unpackable(keras.backend.backend()):
        pytest.skip(unpackable(keras.backend.backend()))
    module = importlib.import_module(name)
    failed, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert failed == 0, f"{failed} of {tried} examples failed in {name}"


def test_every_public_function_and_class_has_an_example():
    """The API reference shows a short example for each function and class (exceptions aside)."""
    without = []
    for name in MODULES:
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if attribute.startswith("_") or getattr(value, "__module__", None) != name:
                continue
            if isinstance(value, type) and issubclass(value, Exception):
                continue
            if callable(value) and not isinstance(value, type(os)) and ">>>" not in (value.__doc__ or ""):
                if "Examples" not in (value.__doc__ or ""):
                    without.append(f"{name}.{attribute}")
    assert without == []
