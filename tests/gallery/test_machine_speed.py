"""The bench names the machine it measured on and times one fixed workload there."""

from __future__ import annotations

import os
import sys

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

from machine_speed import cpu_description, machine, sentence  # noqa: E402


@pytest.mark.parametrize(
    ("cpuinfo", "described"),
    [
        ("processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse4_2 avx avx2 fma\n", "AMD EPYC, AVX2"),
        ("model name : Xeon\nflags : avx avx2 avx512f avx512_bf16\nmodel name : Xeon\n", "Xeon, AVX512F"),
        ("model name : Neoverse\nFeatures : fp asimd evtstrm\n", "Neoverse, ASIMD"),
        ("model name : Old\nflags : fpu mmx\n", "Old, no vector extension found"),
    ],
)
def test_the_cpu_is_named_with_its_widest_vector_extension(cpuinfo, described):
    assert cpu_description(cpuinfo) == described


@pytest.mark.slow
def test_the_fixed_workload_is_timed_in_a_process_of_its_own():
    measured = machine({**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert measured["cpu"].count(", ") >= 1  # a model and a vector extension
    assert measured["network_steps_per_s"] > 0 and measured["classical_s"] > 0
    assert measured["cpu"] in sentence(measured) and "steps/s" in sentence(measured)
