"""The shared vocabulary: codes in English, labels in Swedish.

Status is always shown with text and a symbol as well as colour, so that it
reads on a projector and for colour-blind viewers. Colours are from the
Okabe-Ito palette.
"""

from __future__ import annotations

ACTORS = {
    "polisen": "Polisen",
    "kommunen": "Kommunen",
    "gemensamt": "Gemensamt",
    "ovrig": "Övriga",
}

#: status -> (label, symbol, colour)
STATUSES = {
    "ej_paborjad": ("Ej påbörjad", "○", "#6E6E6E"),
    "pagar": ("Pågår", "◐", "#0072B2"),
    "genomford": ("Genomförd", "✔", "#009E73"),
    "forsenad": ("Försenad", "▲", "#D55E00"),
    "avbruten": ("Avbruten", "✖", "#000000"),
}
DONE_STATUSES = ("genomford", "avbruten")

DIRECTIONS = {
    "increase": ("Ska öka", "↑"),
    "decrease": ("Ska minska", "↓"),
    "none": ("Ingen önskad riktning", "→"),
}

MEETING_KINDS = {
    "lagesbild": "Lägesbildsmöte",
    "bra": "Lokalt BRÅ",
    "styrgrupp": "Styrgrupp",
}

PERIOD_TYPES = ("year", "quarter", "month")
PERIOD_LABELS = {"year": "År", "quarter": "Kvartal", "month": "Månad"}
PLACE_PRECISIONS = ("point", "kommun", "lan")
#: Kinds of place (places.place_type, incidents.place_type); other values are shown as they are.
PLACE_TYPES = {
    "centrum": "Centrum", "station": "Station", "skola": "Skola", "park": "Park", "strak": "Stråk",
    "handel": "Handelsområde", "bostadsomrade": "Bostadsområde", "hamn": "Hamn", "vag": "Väg",
    "ovrigt": "Övrigt",
}  # fmt: skip

WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS_SV = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


def status_badge(status: str) -> str:
    """'▲ Försenad': the status as symbol and text, never colour alone."""
    label, symbol, _ = STATUSES[status]
    return f"{symbol} {label}"
