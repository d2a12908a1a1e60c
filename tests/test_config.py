"""Configuration: a bad setting stops the start with one clear line, never a silent default."""

from __future__ import annotations

import pytest

from dashboard import config
from dashboard.config import ConfigError, settings


@pytest.mark.parametrize("raw, k", [("", 3), ("3", 3), (" 5 ", 5), ("10", 10)])
def test_min_count_accepts_whole_numbers_of_at_least_3(monkeypatch, raw, k):
    monkeypatch.setenv("LAGESBILD_MIN_COUNT", raw)
    assert settings().min_count == k


def test_min_count_defaults_to_3(monkeypatch):
    monkeypatch.delenv("LAGESBILD_MIN_COUNT", raising=False)
    assert settings().min_count == 3


@pytest.mark.parametrize("raw", ["0", "-5", "2", "1", "2.5", "tre", "3e0"])
@pytest.mark.parametrize("mode", config.MODES)
def test_min_count_below_3_or_not_an_integer_is_refused_in_every_mode(monkeypatch, raw, mode):
    monkeypatch.setenv("LAGESBILD_MODE", mode)
    monkeypatch.setenv("LAGESBILD_MIN_COUNT", raw)
    with pytest.raises(ConfigError) as refused:
        settings()
    assert str(refused.value) == f"LAGESBILD_MIN_COUNT must be a whole number of at least 3, not {raw!r}"
    assert refused.value.swedish == f"LAGESBILD_MIN_COUNT måste vara ett heltal som är minst 3, inte {raw!r}."
    assert "\n" not in str(refused.value)


def test_unknown_mode_is_refused_in_english_and_swedish(monkeypatch):
    monkeypatch.setenv("LAGESBILD_MODE", "publik")
    with pytest.raises(ValueError) as refused:  # callers catching ValueError keep working
        settings()
    assert "must be one of internal, meeting, public" in str(refused.value)
    assert "måste vara något av" in refused.value.swedish
