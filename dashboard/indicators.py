"""Indicator logic: is a series moving in the pledge's desired direction?"""

from __future__ import annotations

import math

VERDICTS = {
    "good": ("i önskad riktning", "✔"),
    "bad": ("i fel riktning", "✖"),
    "flat": ("oförändrad", "→"),
    "unknown": ("ingen jämförelse", "–"),
}
#: A relative change smaller than this counts as unchanged.
FLAT_TOLERANCE = 0.01


def verdict(direction: str, latest: float | None, previous: float | None) -> str:
    """'good', 'bad', 'flat' or 'unknown' for a change from previous to latest.

    The desired direction decides: for `increase` indicators (detected drug
    offences, willingness to report) a rise is good; fewer is not always better.
    """
    if latest is None or previous is None or math.isnan(latest) or math.isnan(previous):
        return "unknown"
    change = latest - previous
    if abs(change) <= FLAT_TOLERANCE * max(abs(previous), 1e-9):
        return "flat"
    if direction == "none":
        return "unknown"
    return "good" if (change > 0) == (direction == "increase") else "bad"
