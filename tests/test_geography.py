"""Every kommun and län, and every name real files give them."""

import pytest
import shapely

from dashboard import geography
from dashboard.geography import boundary, centre_and_radius, kommuner, resolve_county, resolve_kommun


def test_290_kommuner_in_21_counties_each_with_a_boundary():
    codes = list(kommuner())
    assert len(codes) == len(set(codes)) == 290
    assert all(len(code) == 4 and code.isdigit() for code in codes)
    assert len(geography.counties()) == 21
    assert {k.county_code for k in kommuner().values()} == set(geography.counties())
    assert all(boundary(code).is_valid and boundary(code).area > 0 for code in codes)


@pytest.mark.parametrize(
    "text, code",
    [
        ("Lidköping", "1494"),
        ("Lidköpings kommun", "1494"),
        ("LIDKÖPING", "1494"),
        ("1494 Lidköping", "1494"),  # SCB PxWeb
        ("Lidköpings kommun (1494)", "1494"),
        ("  lidköping ", "1494"),
        ("Lidköping kommun", "1494"),
        ("Göteborgs Stad", "1480"),
        ("Göteborg", "1480"),
        ("Stockholms stad", "0180"),
        ("Lilla edet", "1462"),  # the police feed's casing
        ("Lilla Edets kommun", "1462"),
        ("Malung–Sälen", "2023"),  # en dash
        ("Malung-Sälens kommun", "2023"),
        ("Upplands Bro", "0139"),
        ("Kungsörs kommun", "1960"),  # genitive s dropped
        ("Borås kommun", "1490"),  # the s belongs to the name
        ("Borås Stad", "1490"),
        ("Region Gotland", "0980"),
        ("1494", "1494"),
        ("0114", "0114"),
        ("114", "0114"),  # a spreadsheet dropped the zero
        (114, "0114"),
        (1494.0, "1494"),
        ("Lidköpings kommun (1480)", "1480"),  # the code wins
        ("0380 Lidköping", "0380"),
    ],
)
def test_every_name_real_files_use_resolves(text, code):
    assert resolve_kommun(text) == code


@pytest.mark.parametrize(
    "text", ["", None, float("nan"), "Atlantis", "9999", "9999 Lidköping", "Uppsala län", "Region Uppsala", "14"]
)
def test_what_is_not_a_kommun_resolves_to_none(text):
    assert resolve_kommun(text) is None


def test_every_kommun_resolves_by_each_of_its_names():
    for code, k in kommuner().items():
        for name in (k.name, k.official_name, k.name.upper(), k.official_name.upper(), k.name.lower(), code):
            assert resolve_kommun(name) == code, name
        assert resolve_kommun(f"{code} {k.name}") == code
        assert resolve_kommun(f"{k.official_name} ({code})") == code


def test_no_name_form_belongs_to_two_kommuner():
    # The indexes raise on a form shared by two codes; every code is in them.
    index = geography._kommun_index()
    assert set(index.values()) == set(kommuner())
    assert len(index) >= 2 * 290
    assert set(geography._county_index().values()) == set(geography.counties())


@pytest.mark.parametrize(
    "text, code",
    [
        ("Västra Götalands län", "14"),
        ("Västra Götaland", "14"),
        ("VÄSTRA GÖTALANDS LÄN", "14"),
        ("14 Västra Götalands län", "14"),
        ("14", "14"),
        ("Region Skåne", "12"),
        ("Uppsala län", "03"),
        ("Stockholms län", "01"),
        ("Gotlands län", "09"),
    ],
)
def test_county_names_resolve_to_county_codes(text, code):
    assert resolve_county(text) == code


def test_every_county_resolves_by_its_names():
    for code, county in geography.counties().items():
        for name in (county.name, county.short_name, county.name.upper(), code):
            assert resolve_county(name) == code, name
    assert resolve_county("Lidköping") is None


def test_close_names_are_suggested():
    assert geography.suggest_kommun("Lidkoping")[0] == "Lidköping"
    assert "Uppsala" in geography.suggest_kommun("Upsala")
    assert geography.suggest_kommun("xyz") == []


def test_centre_lies_inside_and_radius_covers_the_kommun():
    for code in kommuner():
        lat, lon, radius_km = centre_and_radius(code)
        assert boundary(code).contains(shapely.Point(lon, lat)), code
        assert 1 < radius_km < 400, code
    lat, lon, radius_km = centre_and_radius("0380")  # Uppsala: about 50 x 60 km
    assert 59.6 < lat < 60.3 and 17.2 < lon < 18.3
    assert 25 < radius_km < 60
