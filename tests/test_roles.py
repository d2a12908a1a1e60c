"""Who gets which role: listed, verified addresses from the expected issuer only."""

import pytest

from dashboard import roles

ROLES = {
    "viewers": ["*@lillaedet.se"],
    "editors": ["anna@lillaedet.se", "*@polisen.se"],
    "admins": ["it@lillaedet.se"],
}
ISSUER = "https://login.example.se"
AUTH = {"client_id": "lagesbild", "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration"}


def claims(email="anna@lillaedet.se", verified=True, issuer=ISSUER):
    return {"is_logged_in": True, "email": email, "email_verified": verified, "iss": issuer}


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("anna@lillaedet.se", "editor"),
        ("Anna@LillaEdet.SE", "editor"),
        ("kommunpolis@polisen.se", "editor"),
        ("it@lillaedet.se", "admin"),
        ("someone@lillaedet.se", "viewer"),
        ("someone@else.se", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_roles_come_from_the_lists_and_nobody_else_has_one(email, role):
    assert roles.role_for(email, ROLES) == role


@pytest.mark.parametrize(
    "email",
    [
        "a@b@polisen.se",  # a second "@": the pattern's * must not swallow it
        "a@evil.se@polisen.se",
        "anna@lillaedet.se ",  # not the exact address
        " anna@lillaedet.se",
        "anna@lillaedet.se\n",
        "Anna <anna@lillaedet.se>",
        '"a@b"@polisen.se',
        "anna@@lillaedet.se",
        "@polisen.se",
        "anna@",
        "anna@polisen",
        "an..na@polisen.se",
        "anna@polisen..se",
        "anna@-polisen.se",
    ],
)
def test_only_a_single_well_formed_address_can_match(email):
    assert roles.role_for(email, ROLES) == ""


def test_a_star_does_not_reach_across_the_at_sign():
    assert not roles.matches("anna@polisen.se.evil.se", "*@polisen.se")
    assert not roles.matches("polisen.se@evil.se", "*polisen.se")
    assert not roles.matches("anna@evil.se", "*")
    assert roles.matches("anna@syd.polisen.se", "*@*.polisen.se")


def test_case_is_folded_the_unicode_way_not_just_lowered():
    # "ß".lower() stays "ß"; casefold makes it "ss", as a provider may spell it.
    assert "STRAßE@lillaedet.se".lower() != "strasse@lillaedet.se".lower()
    assert roles.role_for("STRAßE@lillaedet.se", {"editors": ["strasse@lillaedet.se"]}) == "editor"
    assert roles.role_for("åsa@lillaedet.se", {"editors": ["ÅSA@LILLAEDET.SE"]}) == "editor"


def test_the_strongest_listing_wins():
    assert roles.role_for("it@lillaedet.se", ROLES | {"viewers": ["*@*"]}) == "admin"


def test_a_malformed_pattern_matches_nothing():
    assert roles.role_for("anna@lillaedet.se", {"editors": ["anna", "*@*@*", 7]}) == ""


def test_the_expected_issuer_comes_from_the_metadata_url_or_the_setting():
    assert roles.expected_issuer(AUTH, None) == ISSUER
    assert roles.expected_issuer(AUTH, "default") == ISSUER
    named = {"microsoft": {"server_metadata_url": "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration"}}
    assert roles.expected_issuer(named, "microsoft") == "https://login.microsoftonline.com/t/v2.0"
    assert roles.expected_issuer(AUTH, None, configured="https://other.example.se") == "https://other.example.se"
    assert roles.expected_issuer({"server_metadata_url": "https://x.se/metadata.json"}, None) is None
    assert roles.expected_issuer({}, None) is None
    assert roles.expected_issuer(AUTH, "google") is None  # no such provider section


def test_a_listed_verified_address_from_the_expected_issuer_gets_its_role():
    assert roles.signed_in_role(claims(), ROLES, ISSUER) == "editor"
    assert roles.signed_in_role(claims(issuer=ISSUER + "/"), ROLES, ISSUER) == "editor"


@pytest.mark.parametrize(
    "token",
    [
        claims(verified=False),
        claims(verified="true"),  # the claim is a JSON boolean; a string is not a verification
        claims(verified=None),
        {k: v for k, v in claims().items() if k != "email_verified"},
        claims(issuer="https://evil.example.se"),
        claims(issuer=None),
        {k: v for k, v in claims().items() if k != "iss"},
        claims(email="a@b@polisen.se"),
    ],
)
def test_no_role_without_a_verified_address_from_the_expected_issuer(token):
    assert roles.signed_in_role(token, ROLES, ISSUER) == ""


def test_no_role_when_the_expected_issuer_is_unknown():
    assert roles.signed_in_role(claims(), ROLES, None) == ""


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("localhost", True), ("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("", False), (None, False), ("0.0.0.0", False), ("10.0.0.5", False)],
)
def test_only_loopback_addresses_count_as_this_machine(address, loopback):
    assert roles.is_loopback(address) is loopback
