"""Percentages are rounded half up to one decimal, exactly.

Hand-computed: 1 of 16 is 6.25 % → 6.3 (round() said 6.2); 127 of 2,000 is
6.35 % → 6.4 (in binary floating point 6.35 is 6.3499…, and round() said 6.3);
1 of 8 is 12.5 % → 12.5 (the whole-percent rounding said 12); 2 of 3 is 66.666… → 66.7."""

import pytest

from kernel.percent import percent


@pytest.mark.parametrize(
    "part, whole, expected",
    [
        (1, 16, 6.3),
        (5, 16, 31.3),
        (127, 2000, 6.4),
        (1, 8, 12.5),
        (2, 3, 66.7),
        (1, 3, 33.3),
        (3, 4, 75.0),
        (0, 7, 0.0),
        (7, 7, 100.0),
        (1, 2001, 0.0),  # 0.04997… rounds down
        (1, 1999, 0.1),  # 0.05002… rounds up
    ],
)
def test_a_share_is_rounded_half_up_to_one_decimal(part, whole, expected):
    assert percent(part, whole) == expected


def test_the_result_reads_as_its_one_decimal_figure():
    assert str(percent(2, 3)) == "66.7" and str(percent(1, 16)) == "6.3"


def test_nothing_to_divide_by_gives_no_figure():
    assert percent(0, 0) is None


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        percent(-1, 4)
