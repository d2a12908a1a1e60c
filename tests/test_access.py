"""Access control in the session: modes decided by the server, sign-in, roles
from the session's claims (the rules themselves: tests/test_roles.py), loopback rule."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui import access
from tests.conftest import APP, page_text

ROLES = {"viewers": ["*@lillaedet.se"], "editors": ["anna@lillaedet.se", "*@polisen.se"], "admins": ["it@lillaedet.se"]}
ISSUER = "http://127.0.0.1:9"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "lagesbild",
    "client_secret": "x",
    "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration",
}


def html_text(at) -> str:
    return "\n".join(h.value for h in at.html)


def signed_in(email, verified=True, issuer=ISSUER):
    return {"is_logged_in": True, "email": email, "email_verified": verified, "iss": issuer}


def app(monkeypatch, data_dir, mode="internal", user=None, auth=True, lagesbild=None):
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LAGESBILD_MODE", mode)
    at = AppTest.from_file(APP, default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
        at.secrets["lagesbild"] = {"roles": ROLES} | (lagesbild or {})
    if user is not None:
        at.user = user
    return at.run()


def test_with_login_configured_nobody_sees_data_before_signing_in(monkeypatch, demo_dir):
    at = app(monkeypatch, demo_dir, user={"is_logged_in": False})
    assert not at.exception
    assert "Logga in för att se lägesbilden." in page_text(at)
    assert [t.value for t in at.title] == ["Lägesbild"]
    assert not at.metric  # no headline numbers leaked


def test_a_listed_viewer_sees_data_but_may_not_edit(monkeypatch, demo_dir):
    at = app(monkeypatch, demo_dir, user=signed_in("someone@lillaedet.se"))
    assert "Översikt" in [t.value for t in at.title]
    assert "Inloggad: someone@lillaedet.se (Läsare)" in page_text(at)
    assert at.session_state["selection"] is not None


def test_an_editor_is_named_with_the_role(monkeypatch, demo_dir):
    at = app(monkeypatch, demo_dir, user=signed_in("anna@lillaedet.se"))
    assert "Inloggad: anna@lillaedet.se (Redaktör)" in page_text(at)


@pytest.mark.parametrize("mode", ["internal", "meeting"])
@pytest.mark.parametrize(
    "user",
    [
        signed_in("someone@else.se"),  # not listed
        signed_in("anna@lillaedet.se", verified=False),
        signed_in("anna@lillaedet.se", issuer="https://evil.example.se"),
        signed_in("a@b@polisen.se"),
    ],
)
def test_signed_in_without_a_role_shows_whom_to_ask_and_no_data(monkeypatch, demo_dir, mode, user):
    at = app(monkeypatch, demo_dir, mode=mode, user=user)
    assert not at.exception
    text = html_text(at)
    assert "finns inte med bland dem som får se lägesbilden" in text
    assert "Be den som ansvarar för lägesbilden i din kommun att lägga till din adress." in text
    assert [t.value for t in at.title] == ["Lägesbild"]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert "selection" not in at.session_state


def test_the_contact_comes_from_the_configuration(monkeypatch, demo_dir):
    contact = "Anna Andersson, trygghetssamordnare, 0520-123 45"
    at = app(monkeypatch, demo_dir, user=signed_in("someone@else.se"), lagesbild={"contact": contact})
    assert f"Be {contact} att lägga till din adress." in html_text(at)


def test_public_mode_needs_no_login(monkeypatch, demo_dir):
    at = app(monkeypatch, demo_dir, mode="public", user={"is_logged_in": False})
    assert "Översikt" in [t.value for t in at.title]


def test_internal_mode_without_login_refuses_a_non_loopback_address(monkeypatch, demo_dir):
    monkeypatch.setattr(access.st, "get_option", lambda name: "0.0.0.0")
    monkeypatch.delenv("LAGESBILD_ALLOW_REMOTE_EDIT", raising=False)
    at = app(monkeypatch, demo_dir, auth=False)
    assert "server.address = localhost" in at.error[0].value
    assert not at.metric


def test_without_login_the_local_user_is_said_visibly(monkeypatch, demo_dir):
    at = app(monkeypatch, demo_dir, auth=False)
    assert "Ingen inloggning konfigurerad" in page_text(at)


def test_public_mode_asks_no_role_of_a_signed_in_user(monkeypatch, demo_dir):
    at = app(monkeypatch, demo_dir, mode="public", user=signed_in("someone@else.se"))
    assert "Översikt" in [t.value for t in at.title]
    assert "finns inte med" not in html_text(at)
