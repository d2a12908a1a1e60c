"""The seed transcription (dashboard/seeds/pledges.toml) and its loader.

The counts and values asserted here come from the five seed documents; if a
test fails, check the transcription against the document before changing the
expected value.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterator

import pandas as pd
import pytest

from dashboard import seeds

# Vocabulary from the design contract.
ACTORS = {"polisen", "kommunen", "gemensamt", "ovrig"}
FOCUS_AREAS = {
    "narkotika",
    "vald_i_nara_relation",
    "trafik",
    "bedrageri",
    "ordningsstorning",
    "nedskrapning",
    "sexualbrott",
    "organiserad_brottslighet",
    "unga_krankningar_vald",
    "tillgrepp_inbrott",
    "skadegorelse",
    "trygghet_offentlig_miljo",
    "utsatta_brottsoffer",
}
DIRECTIONS = {"increase", "decrease", "none"}
STATUSES = {"ej_paborjad", "pagar", "genomford", "forsenad", "avbruten"}
PERIOD_TYPES = {"year", "quarter", "month"}
FOLLOW_UP_KINDS = {"halvar", "styrgrupp", "bra_webb", "lopande"}
KOMMUN_KODS = {"1415", "1419", "1421", "1462", "1488", "1494", "1960"}
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")

# Expected commitments per pledge and actor, counted in the documents.
EXPECTED_ACTORS = {
    "lilla_edet_2025": {"polisen": 3, "gemensamt": 3},
    "lidkoping_2021": {"polisen": 3, "kommunen": 3, "gemensamt": 3},
    "stenungsund_orust_tjorn_2023": {"polisen": 5, "kommunen": 6},
    "trollhattan_2021": {"gemensamt": 3, "kommunen": 3},
    "kungsor_2024": {"gemensamt": 6},
}
EXPECTED_EFFECTS = {
    "lilla_edet_2025": 6,
    "lidkoping_2021": 2,
    "stenungsund_orust_tjorn_2023": 2,
    "trollhattan_2021": 2,
    "kungsor_2024": 3,
}
EXPECTED_PLEDGES = {
    # pledge_id: (kommun_kods, lpo, period_start, period_end, follow_up_kind)
    "lilla_edet_2025": ({"1462"}, "Östra Fyrbodal", "2025-01-01", "2026-12-31", "halvar"),
    "lidkoping_2021": ({"1494"}, "Västra Skaraborg", "2021-01-01", "2021-12-31", "lopande"),
    "stenungsund_orust_tjorn_2023": (
        {"1415", "1419", "1421"},
        "Södra Fyrbodal",
        "2023-01-01",
        "2024-12-31",
        "lopande",
    ),
    "trollhattan_2021": ({"1488"}, "Östra Fyrbodal", "2021-01-01", "2022-12-31", "styrgrupp"),
    "kungsor_2024": ({"1960"}, "", "2024-01-01", "2024-12-31", "bra_webb"),
}

# OCR leftovers: a digit glued to letters ("6ka", "l4gesbild", "16fte"), symbols
# the scanner puts for å/ä/ö ("é", "&r", "¢kat", "{or-"), and common words that
# lost their diacritics ("pa", "for", "fran", "ar", "tva", "Ostra").
OCR_PATTERNS = [
    re.compile(r"[A-Za-zÅÄÖåäö]\d"),
    re.compile(r"\d[A-Za-zÅÄÖåäö]"),
    re.compile(r"[éèêëáàâãíìîïóòôõúùûü#¢{}&|@$§~^\\]"),
    re.compile(r"\b(pa|for|fran|frin|ar|dr|tva|ocksa|Ostra|ostra|atgarder|lagesbild\w*)\b"),
]


def ocr_leftovers(text: str) -> list[str]:
    return [m.group(0) for rx in OCR_PATTERNS for m in rx.finditer(text)]


@pytest.fixture(scope="module")
def pledges() -> pd.DataFrame:
    return seeds.pledges_frame()


@pytest.fixture(scope="module")
def commitments() -> pd.DataFrame:
    return seeds.commitments_frame()


@pytest.fixture(scope="module")
def effects() -> pd.DataFrame:
    return seeds.desired_effects_frame()


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return seeds.indicators_frame()


def _walk(node: Any, key: str = "") -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair anywhere in the parsed TOML."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from _walk(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v, key)


# --- structure and counts ---------------------------------------------------


def test_five_pledges(pledges: pd.DataFrame) -> None:
    assert list(pledges["pledge_id"]) == list(EXPECTED_PLEDGES)


@pytest.mark.parametrize("pledge_id", list(EXPECTED_PLEDGES))
def test_pledge_header(pledges: pd.DataFrame, pledge_id: str) -> None:
    kods, lpo, start, end, kind = EXPECTED_PLEDGES[pledge_id]
    row = pledges.set_index("pledge_id").loc[pledge_id]
    assert set(row["kommun_kods"]) == kods
    assert len(row["kommun_kods"]) == len(kods)
    assert row["lpo"] == lpo
    assert row["period_start"] == pd.Timestamp(start)
    assert row["period_end"] == pd.Timestamp(end)
    assert row["follow_up_kind"] == kind
    assert row["follow_up"].strip()
    assert row["summary"].strip()
    assert row["source_document"].endswith(".txt")


def test_sot_covers_three_municipalities(pledges: pd.DataFrame) -> None:
    row = pledges.set_index("pledge_id").loc["stenungsund_orust_tjorn_2023"]
    assert sorted(row["kommun_kods"]) == ["1415", "1419", "1421"]


def test_follow_up_due_only_trollhattan(pledges: pd.DataFrame) -> None:
    due = pledges.set_index("pledge_id")["follow_up_due"]
    assert due["trollhattan_2021"] == pd.Timestamp("2023-03-31")
    assert due.drop("trollhattan_2021").isna().all()


def test_follow_up_texts(pledges: pd.DataFrame) -> None:
    fu = pledges.set_index("pledge_id")["follow_up"]
    assert "två gånger per år" in fu["lilla_edet_2025"]
    assert "styrgruppen" in fu["trollhattan_2021"]
    assert "senast första kvartalet 2023" in fu["trollhattan_2021"]
    assert "lokala BRÅ" in fu["kungsor_2024"]
    assert "kommunens hemsida" in fu["kungsor_2024"]


@pytest.mark.parametrize("pledge_id", list(EXPECTED_ACTORS))
def test_commitments_per_actor(commitments: pd.DataFrame, pledge_id: str) -> None:
    got = Counter(commitments.loc[commitments["pledge_id"] == pledge_id, "actor"])
    assert dict(got) == EXPECTED_ACTORS[pledge_id]


def test_total_commitments(commitments: pd.DataFrame) -> None:
    assert len(commitments) == 6 + 9 + 11 + 6 + 6


@pytest.mark.parametrize("pledge_id", list(EXPECTED_EFFECTS))
def test_effects_per_pledge(effects: pd.DataFrame, pledge_id: str) -> None:
    assert (effects["pledge_id"] == pledge_id).sum() == EXPECTED_EFFECTS[pledge_id]


def test_lilla_edet_actors_in_order(commitments: pd.DataFrame) -> None:
    le = commitments[commitments["pledge_id"] == "lilla_edet_2025"]
    assert list(le["actor"]) == ["polisen", "polisen", "polisen", "gemensamt", "gemensamt", "gemensamt"]
    # The third is the police's own, to be done "med fördel i samverkan med" the municipality.
    third = le.iloc[2]
    assert third["actor"] == "polisen"
    assert "närmare kontakt med invånare" in third["text"]


def test_lilla_edet_effect_sources(effects: pd.DataFrame) -> None:
    le = effects[effects["pledge_id"] == "lilla_edet_2025"]
    assert list(le["follow_up_source"]) == [
        "Trygghetsmätning",
        "Brottsstatistik",
        "Kommunens interna statistik",
        "",
        "Polisens trygghetsmätning, brottsstatistik samt Svenskt Näringslivs undersökning kring företagsklimat",
        "Brottsstatistik och inkomna ärenden till socialtjänsten",
    ]


def test_trollhattan_actors(commitments: pd.DataFrame) -> None:
    th = commitments[commitments["pledge_id"] == "trollhattan_2021"].reset_index()
    for _, c in th.iterrows():
        if c["text"].startswith("Trollhättans Stad kommer"):
            assert c["actor"] == "kommunen", c["text"]
        else:
            assert c["actor"] == "gemensamt", c["text"]
    assert "ökad kännedom om vårt medborgarlöfte" in th.iloc[-1]["text"]


def test_kungsor_focus_commitments(commitments: pd.DataFrame) -> None:
    ku = commitments[commitments["pledge_id"] == "kungsor_2024"]
    texts = list(ku["text"])
    assert texts[:3] == [
        "Trafiksäkerhet samt trafikrelaterad brottslighet.",
        "Brottsförebyggande arbete bedrägeribrott.",
        "Narkotikabruk bland unga.",
    ]
    assert [fa[0] for fa in ku["focus_areas"].iloc[:3]] == ["trafik", "bedrageri", "narkotika"]
    assert any("täta lägesbildsmöten" in t for t in texts)
    assert any("skall följas upp" in t for t in texts)
    assert any("gemensamma lägesbildsarbetet" in t for t in texts)


def test_exact_transcriptions(commitments: pd.DataFrame, effects: pd.DataFrame) -> None:
    text = commitments.set_index("commitment_id")["text"]
    assert text["lilla_edet_2025_c1"] == (
        "Lpo Östra Fyrbodal ska öka riktade insatser mot narkotikabrottsligheten "
        "för att minska tillgången till narkotika"
    )
    assert text["lilla_edet_2025_c4"] == (
        "Lpo Östra Fyrbodal och Lilla Edets kommun ska arbeta kontaktskapande i offentlig "
        "miljö där missbruksproblematiken är synlig utifrån den gemensamma lägesbilden"
    )
    eff = effects.set_index("effect_id")["text"]
    assert eff["lilla_edet_2025_e2"] == (
        "Andelen upptäckta narkotikabrott ska öka. Uppföljning sker genom bland annat brottsstatistik."
    )


# --- vocabulary and references ------------------------------------------------


def test_ids_unique_and_snake_case(
    pledges: pd.DataFrame, commitments: pd.DataFrame, effects: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    for frame, col in (
        (pledges, "pledge_id"),
        (commitments, "commitment_id"),
        (effects, "effect_id"),
        (indicators, "indicator_id"),
    ):
        ids = list(frame[col])
        assert len(ids) == len(set(ids)), f"duplicate {col}"
        assert all(ID_RE.match(i) for i in ids), ids
    for frame, col in ((commitments, "commitment_id"), (effects, "effect_id")):
        for pid, oid in zip(frame["pledge_id"], frame[col]):
            assert oid.startswith(pid + "_")


def test_vocabulary(pledges: pd.DataFrame, commitments: pd.DataFrame, indicators: pd.DataFrame) -> None:
    assert set(commitments["actor"]) <= ACTORS
    assert set(pledges["follow_up_kind"]) <= FOLLOW_UP_KINDS
    assert set(indicators["direction"]) <= DIRECTIONS
    assert set(indicators["period_type"]) <= PERIOD_TYPES
    assert set(indicators["focus_area"]) <= FOCUS_AREAS
    for fas in list(pledges["focus_areas"]) + list(commitments["focus_areas"]):
        assert fas and set(fas) <= FOCUS_AREAS, fas
    for kods in pledges["kommun_kods"]:
        assert set(kods) <= KOMMUN_KODS
    for kods in indicators["demo_wrong_way_kommun_kods"]:
        assert set(kods) <= KOMMUN_KODS


def test_status_values_in_vocabulary() -> None:
    # The seeds carry no statuses today; any that are added must be valid.
    for key, value in _walk(seeds.load_seed()):
        if key == "status":
            assert value in STATUSES
        if key == "actor":
            assert value in ACTORS
        if key == "direction":
            assert value in DIRECTIONS


def test_commitment_focus_areas_within_pledge(pledges: pd.DataFrame, commitments: pd.DataFrame) -> None:
    pledge_fas = pledges.set_index("pledge_id")["focus_areas"]
    for _, c in commitments.iterrows():
        assert set(c["focus_areas"]) <= set(pledge_fas[c["pledge_id"]]), c["commitment_id"]


def test_indicator_references_exist(
    commitments: pd.DataFrame, effects: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    known = set(indicators["indicator_id"])
    for ids in commitments["indicator_ids"]:
        assert set(ids) <= known, ids
    assert set(effects["indicator_id"]) <= known
    assert effects["indicator_id"].str.len().gt(0).all()


def test_every_indicator_is_used(
    commitments: pd.DataFrame, effects: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    used = set(effects["indicator_id"]).union(*map(set, commitments["indicator_ids"]))
    assert set(indicators["indicator_id"]) == used


def test_due_dates_within_period(pledges: pd.DataFrame, commitments: pd.DataFrame) -> None:
    periods = pledges.set_index("pledge_id")[["period_start", "period_end"]]
    for _, c in commitments.iterrows():
        start, end = periods.loc[c["pledge_id"]]
        assert start <= c["due_date"] <= end, c["commitment_id"]
    # None of the documents names a deadline of its own for a commitment.
    merged = commitments.merge(pledges[["pledge_id", "period_end"]], on="pledge_id")
    assert (merged["due_date"] == merged["period_end"]).all()


# --- indicators ---------------------------------------------------------------


def test_indicator_count(indicators: pd.DataFrame) -> None:
    assert 12 <= len(indicators) <= 18


def test_lilla_edet_wants_more_detected_and_reported(effects: pd.DataFrame, indicators: pd.DataFrame) -> None:
    direction = indicators.set_index("indicator_id")["direction"]
    le = effects[effects["pledge_id"] == "lilla_edet_2025"].set_index("effect_id")["indicator_id"]
    assert le["lilla_edet_2025_e2"] == "upptackta_narkotikabrott"
    assert le["lilla_edet_2025_e6"] == "anmalningar_utsatta_brottsoffer"
    assert direction["upptackta_narkotikabrott"] == "increase"
    assert direction["anmalningar_utsatta_brottsoffer"] == "increase"
    assert direction["anmalningsbenagenhet"] == "increase"
    assert direction["upplevd_missbruksproblem"] == "decrease"
    assert direction["upplevd_trygghet"] == "increase"


def test_mixed_period_types(indicators: pd.DataFrame) -> None:
    counts = indicators["period_type"].value_counts()
    assert counts["year"] >= 10
    assert 2 <= counts["quarter"] <= 3


def test_directions_all_present(indicators: pd.DataFrame) -> None:
    assert set(indicators["direction"]) == DIRECTIONS


def test_per_capita_units(indicators: pd.DataFrame) -> None:
    for _, i in indicators.iterrows():
        assert i["per_capita"] == ("100 000" in i["unit"]), i["indicator_id"]
        if i["unit"] == "andel (%)":
            assert 0 < i["demo_baseline"] < 100, i["indicator_id"]
            assert pd.isna(i["target"]) or 0 < i["target"] <= 100, i["indicator_id"]


def test_demo_parameters_plausible(indicators: pd.DataFrame) -> None:
    assert (indicators["demo_first_year"] == 2019).all()
    assert (indicators["demo_noise"] > 0).all()
    assert (indicators["demo_baseline"] > 0).all()
    # Some indicators move the wrong way somewhere, so the dashboard has something to show.
    assert indicators["demo_wrong_way_kommun_kods"].map(len).gt(0).sum() >= 4
    for _, i in indicators.iterrows():
        if i["direction"] == "increase":
            assert i["demo_yearly_change"] > 0, i["indicator_id"]
        elif i["direction"] == "decrease":
            assert i["demo_yearly_change"] < 0, i["indicator_id"]
        if pd.notna(i["target"]):
            if i["direction"] == "increase":
                assert i["target"] > i["demo_baseline"], i["indicator_id"]
            elif i["direction"] == "decrease":
                assert i["target"] < i["demo_baseline"], i["indicator_id"]


def test_target_nan_where_absent(indicators: pd.DataFrame) -> None:
    target = indicators.set_index("indicator_id")["target"]
    assert target["upplevd_trygghet"] == 75.0
    assert pd.isna(target["anmalda_trafikbrott"])
    assert indicators["target"].dtype == "float64"


# --- text quality -------------------------------------------------------------


@pytest.mark.parametrize(
    "sample",
    ["syftet att 6ka", "delad l4gesbild", "Medborgarlofte utgér", "som &r i behov", "har ¢kat", "har {or-", "kopp-lat till 16fte", "Lpo Ostra Fyrbodal", "pa platser"],
)
def test_ocr_detector_catches_samples(sample: str) -> None:
    assert ocr_leftovers(sample)


def test_no_ocr_leftovers(
    pledges: pd.DataFrame, commitments: pd.DataFrame, effects: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    texts: list[tuple[str, str]] = []
    for col in ("title", "lpo", "follow_up", "summary"):
        texts += [(f"{p}.{col}", t) for p, t in zip(pledges["pledge_id"], pledges[col])]
    texts += list(zip(commitments["commitment_id"], commitments["text"]))
    for col in ("text", "follow_up_source"):
        texts += [(f"{e}.{col}", t) for e, t in zip(effects["effect_id"], effects[col])]
    for col in ("name_sv", "unit", "source"):
        texts += [(f"{i}.{col}", t) for i, t in zip(indicators["indicator_id"], indicators[col])]
    bad = {where: hits for where, t in texts if (hits := ocr_leftovers(t))}
    assert bad == {}


def test_swedish_letters_survive() -> None:
    raw = seeds.SEED_PATH.read_text(encoding="utf-8")
    assert "\ufffd" not in raw
    for word in ("Östra Fyrbodal", "Lidköpings kommun", "Södra Fyrbodal", "Trollhättans Stad", "åtgärder", "lokala BRÅ"):
        assert word in raw, word


# --- loader -------------------------------------------------------------------


def test_frame_columns(
    pledges: pd.DataFrame, commitments: pd.DataFrame, effects: pd.DataFrame, indicators: pd.DataFrame
) -> None:
    assert list(pledges.columns) == [
        "pledge_id", "title", "kommun_kods", "lpo", "period_start", "period_end", "follow_up",
        "follow_up_kind", "follow_up_due", "source_document", "summary", "focus_areas",
    ]  # fmt: skip
    assert list(commitments.columns) == [
        "commitment_id", "pledge_id", "actor", "text", "focus_areas", "due_date", "indicator_ids",
    ]  # fmt: skip
    assert list(effects.columns) == ["effect_id", "pledge_id", "text", "indicator_id", "follow_up_source"]
    assert list(indicators.columns[:8]) == [
        "indicator_id", "name_sv", "unit", "source", "direction", "focus_area", "period_type", "per_capita",
    ]  # fmt: skip
    assert {"demo_first_year", "demo_baseline", "demo_yearly_change", "demo_noise",
            "demo_wrong_way_kommun_kods", "target"} <= set(indicators.columns)  # fmt: skip


def test_frame_types(pledges: pd.DataFrame, commitments: pd.DataFrame, indicators: pd.DataFrame) -> None:
    for frame, cols in (
        (pledges, ("period_start", "period_end", "follow_up_due")),
        (commitments, ("due_date",)),
    ):
        for col in cols:
            assert pd.api.types.is_datetime64_dtype(frame[col]), col
            values = frame[col].dropna()
            assert (values == values.dt.normalize()).all(), col
    for frame, col in ((pledges, "kommun_kods"), (pledges, "focus_areas"), (commitments, "focus_areas"), (commitments, "indicator_ids")):
        assert all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in frame[col]), col
    assert indicators["per_capita"].dtype == bool
    assert all(len(k) == 4 and k.isdigit() for kods in pledges["kommun_kods"] for k in kods)


def test_frames_are_fresh_copies() -> None:
    a = seeds.commitments_frame()
    a.loc[0, "actor"] = "ovrig"
    a.loc[0, "focus_areas"].append("x")
    b = seeds.commitments_frame()
    assert b.loc[0, "actor"] == "polisen"
    assert "x" not in b.loc[0, "focus_areas"]
    assert seeds.load_seed() is seeds.load_seed()


def test_loader_never_reads_shared() -> None:
    src = (seeds.SEED_PATH.parent / "__init__.py").read_text(encoding="utf-8")
    assert "shared" not in src
    assert seeds.SEED_PATH.is_file()


def test_focus_areas_by_kommun() -> None:
    fas = seeds.focus_areas_by_kommun()
    assert set(fas) == KOMMUN_KODS
    assert fas["1415"] == fas["1419"] == fas["1421"]
    assert "sexualbrott" in fas["1488"]
    assert set(fas["1960"]) == {"trafik", "bedrageri", "narkotika", "tillgrepp_inbrott", "trygghet_offentlig_miljo"}


def test_indicator_kommuns() -> None:
    linked = seeds.indicator_kommuns()
    assert set(linked) == set(seeds.indicators_frame()["indicator_id"])
    assert linked["missbruk_erbjudits_stod"] == ("1462",)
    assert linked["kannedom_medborgarlofte"] == ("1488",)
    assert set(linked["upplevd_trygghet"]) == {"1415", "1419", "1421", "1462", "1488", "1494"}
