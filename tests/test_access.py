"""Access control: modes decided by the server, login and roles, loopback rule."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import roles
from dashboard.ui import access
from tests.conftest import APP, page_text

ROLES = {"editors": ["anna@lillaedet.se", "*@polisen.se"], "admins": ["it@lillaedet.se"]}
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "lagesbild",
    "client_secret": "x",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("anna@lillaedet.se", "editor"),
        ("Anna@LillaEdet.se", "editor"),
        ("kommunpolis@polisen.se", "editor"),
        ("it@lillaedet.se", "admin"),
        ("someone@else.se", "viewer"),
        ("", "viewer"),
        (None, "viewer"),
    ],
)
def test_roles_come_from_the_mapping_and_default_to_viewer(email, role):
    assert roles.role_for(email, ROLES) == role


@pytest.mark.parametrize(
    ("address", "loopback"),
    [("localhost", True), ("127.0.0.1", True), ("127.0.1.1", True), ("::1", True), ("", False), (None, False), ("0.0.0.0", False), ("10.0.0.5", False)],
)
def test_only_loopback_addresses_count_as_this_machine(address, loopback):
    assert roles.is_loopback(address) is loopback


def app(monkeypatch, data_dir, mode="internal", user=None, auth=True):
    monkeypatch.setenv("LAGESBILD_DATA_DIR", str(data_dir))
    monkeypatch.setenv("LAGESBILD_MODE", mode)
    at = AppTest.from_file(APP, default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
        at.secrets["lagesbild"] = {"roles": ROLES}
    if user is not None:
        at.user = user
    return at.run()


def test_with_login_configured_nobody_sees_data_before_signing_in(monkeypatch, demo_dir):
    at = app(monkeypatch, demo_dir, user={"is_logged_in": False})
    assert not at.exception
    assert "Logga in för att se lägesbilden." in page_text(at)
    assert [t.value for t in at.title] == ["Lägesbild"]
    assert not at.metric  # no headline numbers leaked


def test_a_signed_in_viewer_sees_data_but_may_not_edit(monkeypatch, demo_dir):
    at = app(monkeypatch, demo_dir, user={"is_logged_in": True, "email": "someone@else.se"})
    assert "Översikt" in [t.value for t in at.title]
    assert "Inloggad: someone@else.se (Läsare)" in page_text(at)
    assert at.session_state["selection"] is not None


def test_an_editor_is_named_with_the_role(monkeypatch, demo_dir):
    at = app(monkeypatch, demo_dir, user={"is_logged_in": True, "email": "anna@lillaedet.se"})
    assert "Inloggad: anna@lillaedet.se (Redaktör)" in page_text(at)


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
