"""Unit tests of timestamp parsing."""

import pytest

from videoguide.timestamps import TimestampError, parse_clock, split_trailing_timestamp


@pytest.mark.parametrize(
    ("clock", "seconds"),
    [("00:02:53", 173), ("02:53", 173), ("00:00:00", 0), ("01:02:03", 3723), ("10:00:00", 36000)],
)
def test_clock_readings_become_seconds(clock, seconds):
    moment = parse_clock(clock)
    assert moment.seconds == seconds
    assert moment.label == clock


@pytest.mark.parametrize("clock", ["00:61:00", "00:02:60", "99:99"])
def test_out_of_range_clock_is_rejected(clock):
    with pytest.raises(TimestampError, match="out of range"):
        parse_clock(clock)


@pytest.mark.parametrize("clock", ["2:53", "00:2:53", "123:00:00", "00:02:53:01", "ab:cd"])
def test_malformed_clock_is_rejected(clock):
    with pytest.raises(TimestampError, match="malformed"):
        parse_clock(clock)


def test_trailing_timestamp_is_split_from_the_words():
    words, moment = split_trailing_timestamp("Image Filtering [00:02:53]")
    assert words == "Image Filtering"
    assert moment.seconds == 173


def test_text_without_trailing_timestamp_is_left_alone():
    assert split_trailing_timestamp("Image Filtering") is None
    assert split_trailing_timestamp("At [00:02:53] the video shows") is None
    assert split_trailing_timestamp("See [reference]") is None


def test_bad_trailing_timestamp_is_reported_not_ignored():
    with pytest.raises(TimestampError, match=r"\[00:61:00\] is out of range"):
        split_trailing_timestamp("Image Filtering [00:61:00]")
