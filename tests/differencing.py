"""A differencing attacker: what a reader can work out from published tables.

A page publishes numbers, each of which stands for a range of true counts (an
exact number for itself; a rounded one for its interval; a blank for 1..k−1).
Tables tie them together: a total is the sum of its parts (categories, cells,
weekday × hour, a period minus the day it does not share with another). The
attacker narrows every range by interval propagation over those sums until
nothing changes, which is exact for one table and sound for many; a count is
*recovered* when its range shrinks to one value although it was not published
as that value.

    pub = Publication()
    pub.add("total", 12, (12, 12))           # key, true count, what the page lets one infer
    pub.add(("cat", "A"), 2, (1, 2))         # a blank: 1..k−1
    pub.add(("cat", "B"), 10, (10, 10))
    pub.sum("total", [("cat", "A"), ("cat", "B")])
    pub.recovered()                          # [('cat', 'A')]: 12 − 10 = 2

Keys that are never published (the one day two periods do not share) start
as [0, ∞).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

INF = math.inf


@dataclass
class Publication:
    #: key -> true count (what the attacker wants)
    truth: dict[Hashable, int] = field(default_factory=dict)
    #: key -> (low, high): what the published number tells
    shown: dict[Hashable, tuple[float, float]] = field(default_factory=dict)
    #: (total, parts): total == sum(parts)
    sums: list[tuple[Hashable, tuple[Hashable, ...]]] = field(default_factory=list)

    def add(self, key: Hashable, true: int, shown: tuple[float, float] | None = None) -> None:
        """A count: `shown` is what its published value tells (None: not published)."""
        assert key not in self.truth, key
        self.truth[key] = int(true)
        if shown is not None:
            low, high = shown
            assert low <= true <= high, (key, true, shown)
            self.shown[key] = (low, high)

    def sum(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        parts = tuple(parts)
        assert self.truth[total] == sum(self.truth[p] for p in parts), (total, parts)
        self.sums.append((total, parts))

    def infer(self) -> dict[Hashable, tuple[float, float]]:
        """Each count's narrowest range that the published numbers and sums allow:
        narrow each sum's total and parts, again for every sum a narrowed count is in."""
        bounds = {key: self.shown.get(key, (0, INF)) for key in self.truth}
        sums_of = {key: [] for key in self.truth}
        for i, (total, parts) in enumerate(self.sums):
            for key in (total, *parts):
                sums_of[key].append(i)
        pending = set(range(len(self.sums)))
        while pending:
            total, parts = self.sums[pending.pop()]
            for key in _narrow(bounds, total, parts):
                pending.update(sums_of[key])
        return bounds

    def recovered(self, small: tuple[int, int] | None = None) -> list[Hashable]:
        """Counts pinned to one value that was not published as exactly that value;
        with `small` = (1, k−1) only those whose true value lies in that range."""
        bounds = self.infer()
        found = []
        for key, (low, high) in bounds.items():
            true = self.truth[key]
            assert low <= true <= high, (key, true, low, high)  # the attacker is sound
            if low == high and self.shown.get(key) != (true, true):
                if small is None or small[0] <= true <= small[1]:
                    found.append(key)
        return found


def _narrow(bounds: dict, total: Hashable, parts: tuple[Hashable, ...]) -> list[Hashable]:
    """Narrow total = sum(parts) once; returns the keys whose range changed."""
    lows = [bounds[p][0] for p in parts]
    highs = [bounds[p][1] for p in parts]
    finite_high = sum(h for h in highs if h < INF)
    unbounded = sum(h == INF for h in highs)
    low_sum = sum(lows)
    changed = _tighten(bounds, total, low_sum, INF if unbounded else finite_high)
    t_low, t_high = bounds[total]
    for part, low, high in zip(parts, lows, highs):
        others_unbounded = unbounded - (high == INF)
        others_high = INF if others_unbounded else finite_high - (high if high < INF else 0)
        changed += _tighten(bounds, part, t_low - others_high, t_high - (low_sum - low))
    return changed


def _tighten(bounds: dict, key: Hashable, low: float, high: float) -> list[Hashable]:
    old_low, old_high = bounds[key]
    new = (max(old_low, low, 0), min(old_high, high))
    if new != (old_low, old_high):
        bounds[key] = new
        return [key]
    return []
