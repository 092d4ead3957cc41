"""One rule for a share shown as a percentage (completion, on-time, satisfaction
rates): ``part`` of ``whole`` in per cent, rounded half up to one decimal, the way
government statistics are reported (2 of 3 is 66.7, 1 of 16 is 6.3), computed
exactly on the integers: no binary floating point decides a rounding, and no
banker's rounding (Python's ``round`` makes 6.25 into 6.2 and 12.5 into 12)."""

from __future__ import annotations


def percent(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, one decimal, half up; None when there
    is nothing to divide by. The result is the float nearest that one-decimal
    figure, so it goes into JSON, spreadsheets and templates as a plain number."""
    if not whole:
        return None
    if part < 0 or whole < 0:
        raise ValueError("percent() takes counts, not negative numbers")
    # tenths = floor(1000 · part / whole + ½), in integers.
    tenths = (2000 * part + whole) // (2 * whole)
    return tenths / 10
