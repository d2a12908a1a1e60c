"""Rows left out on purpose, and the one summary of them: English on the
command line, Swedish on the upload pages (Importera, Indikatorer).

Skipping is not an error: a statistics file lists all 290 kommuner, the
country and counties; a police feed holds summaries and other counties. Every
importer counts such rows by a `Text` reason (its English and Swedish words)
in `Skips`, with a few examples each, and `Skips.lines(swedish)` writes the
summary the user reads:

    7 row(s) skipped: kommun not served by this installation (Ale, Alingsås, …)
    7 rader hoppades över: kommunen ingår inte i installationen (Ale, Alingsås, …)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from dashboard.formatting import fmt_number

#: How many skipped names a summary quotes per reason.
EXAMPLES = 5


@dataclass(frozen=True)
class Text:
    """Something said to the user, in English (command line) and Swedish (pages)."""

    en: str
    sv: str

    def __str__(self) -> str:
        return self.en

    def say(self, swedish: bool = False) -> str:
        return self.sv if swedish else self.en


# Why rows were skipped.
NOT_SERVED = Text("kommun not served by this installation", "kommunen ingår inte i installationen")
TOTAL = Text(
    "whole country, county or region (not a kommun)", "hela landet, ett län eller en region (inte en kommun)"
)
NOT_KOMMUN = Text(
    "not a kommun (city district, group or other area)", "inte en kommun (stadsdel, grupp eller annat område)"
)
NO_VALUE = Text("no value", "inget värde")
DELETED = Text("deleted in the source", "borttaget i källan")
NO_INDICATOR = Text("statistic without an indicator", "statistik som ingen indikator har")
NOT_POPULATION = Text("other contents than Folkmängd", "annat innehåll än folkmängd")
SUMMARY = Text("a summary of several events, not an incident", "en sammanfattning av flera händelser, inte en händelse")
EVENT_NOT_SERVED = Text(
    "a municipality or county this installation does not serve",
    "en kommun eller ett län som installationen inte omfattar",
)


@dataclass
class Skips:
    """Rows left out on purpose, counted by reason, with a few examples each."""

    counts: Counter = field(default_factory=Counter)
    examples: dict[Text, list[str]] = field(default_factory=dict)
    #: Reasons with more distinct examples than are shown.
    more: set[Text] = field(default_factory=set)

    def add(self, reason: Text, example: str | None = None, n: int = 1) -> None:
        self.counts[reason] += n
        shown = self.examples.setdefault(reason, [])
        if example and example not in shown:
            if len(shown) < EXAMPLES:
                shown.append(example)
            else:
                self.more.add(reason)

    def update(self, other: Skips) -> None:
        for reason, n in other.counts.items():
            self.counts[reason] += n
            for example in other.examples.get(reason, []):
                self.add(reason, example, n=0)
        self.more |= other.more

    def lines(self, swedish: bool = False) -> list[str]:
        """One line per reason, most rows first (see the module docstring)."""
        out = []
        for reason, n in sorted(self.counts.items(), key=lambda item: -item[1]):
            shown = self.examples.get(reason, [])
            more = ", …" if reason in self.more else ""
            head = f"{fmt_number(n)} {'rad' if n == 1 else 'rader'} hoppades över" if swedish else f"{n:,} row(s) skipped"
            out.append(f"{head}: {reason.say(swedish)}" + (f" ({', '.join(shown)}{more})" if shown else ""))
        return out
