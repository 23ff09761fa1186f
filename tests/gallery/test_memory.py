"""The memory an example took: the peak of its process above where it started."""

from __future__ import annotations

import time

import numpy as np

from gallery_pages.memory import PeakMemory


def _hold(megabytes: int):
    def run():
        block = np.ones(megabytes * 2**20, dtype=np.uint8)  # written, so resident
        time.sleep(0.3)
        return int(block[::4096].sum())

    return run


def test_a_200_mb_array_is_measured_and_the_result_returned():
    used, result = PeakMemory()(_hold(200))
    assert result == 200 * 2**20 // 4096
    assert 180 < used < 260


def test_doing_nothing_takes_next_to_nothing():
    used, result = PeakMemory()(lambda: "done")
    assert result == "done" and used < 20


def test_the_measurement_compares_equal_so_the_configuration_caches():
    assert PeakMemory() == PeakMemory() and hash(PeakMemory()) == hash(PeakMemory())
