"""Swedish number and date formats: 1 234,5 and 2026-11-24.

A no-break space separates thousands so that numbers never wrap on a wall.
"""

from __future__ import annotations

import math
import re
from datetime import date

from dashboard.vocab import MONTHS_SV

NBSP = "\u00a0"
MINUS = "\u2212"


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 -> '1 234,5'; None and NaN -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{abs(value):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return (MINUS if value < 0 and text.strip("0,\u00a0") else "") + text


def fmt_signed(value: float | int | None, decimals: int = 0) -> str:
    """+12 / −3,5: a change with its sign always shown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return ("+" if value > 0 else "") + fmt_number(value, decimals)


def fmt_percent_change(current: float, previous: float) -> str:
    """'+12 %' from previous to current; '–' when there is nothing to compare with."""
    if not previous:
        return "–"
    return fmt_signed(100 * (current - previous) / previous) + f"{NBSP}%"


def fmt_date(day: date | None) -> str:
    return day.isoformat() if day else "–"


def fmt_date_long(day: date) -> str:
    """'24 november 2026'."""
    return f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"


def fmt_period(start: date, end: date) -> str:
    return f"{fmt_date(start)} – {fmt_date(end)}"


def change_delta(current: float, previous: float) -> tuple[str, str]:
    """Text and arrow for st.metric's delta: ('+12 (+5 %)', 'up').

    Streamlit reads the sign of a delta string with an ASCII minus only, so the
    arrow is given explicitly for our typographic minus.
    """
    change = current - previous
    arrow = "up" if change > 0 else "down" if change < 0 else "off"
    return f"{fmt_signed(change)} ({fmt_percent_change(current, previous)})", arrow


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^])")
#: Where GitHub-flavoured markdown would make a link of plain text: after 'http'/'https'
#: before ':', after 'www' before '.', and at the '@' of an address. Streamlit's
#: renderer finds these in the text after escapes are resolved, so escaping alone
#: does not stop them; an invisible word joiner there does.
_AUTOLINK = re.compile(r"(?i)(?<=https)(?=:)|(?<=http)(?=:)|(?<=www)(?=\.)|(?=@)")
WORD_JOINER = "\u2060"


def escape_markdown(text: str | None) -> str:
    """The one rule for data and user text in anything Streamlit renders as markdown
    (markdown, titles, headers, captions, alerts, labels of expanders, metrics and
    widgets, st.table cells): shown literally, never a link, an image (which every
    viewer's browser would fetch), HTML, LaTeX, an icon or a colour directive, and
    bare addresses stay text."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, str(text or "")))
