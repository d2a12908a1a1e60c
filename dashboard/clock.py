"""The app's one notion of "today" and "now".

Everything that asks for the date asks here. `LAGESBILD_TODAY=YYYY-MM-DD`
freezes the calendar date (tests, a demo shown as of a given day, replaying a
meeting); the time of day keeps running, so timestamps still increase.
"""

from __future__ import annotations

import os
from datetime import date, datetime, tzinfo


def today() -> date:
    return now().date()


def now(tz: tzinfo | None = None) -> datetime:
    """Wall-clock time (local, or in `tz`), shifted to the frozen date when one is set."""
    real = datetime.now(tz)
    frozen = os.environ.get("LAGESBILD_TODAY", "").strip()
    if not frozen:
        return real
    try:
        day = date.fromisoformat(frozen)
    except ValueError:
        raise ValueError(f"LAGESBILD_TODAY must be a date YYYY-MM-DD, not {frozen!r}") from None
    return real + (day - real.date())
