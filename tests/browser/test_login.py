"""The whole `st.login` redirect flow in Chromium against a real OpenID Connect
provider (node-oidc-provider, tests/oidc/) on 127.0.0.1: the browser goes from
the app to the provider's sign-in page and back, and Streamlit exchanges the
code with the provider server to server. The page may reach the app and the
provider only.

Needs Node.js and `npm ci --prefix tests/oidc` (`make test` runs it); without
them the test is skipped, except under CI.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading

import pytest

from dashboard import PROJECT_ROOT
from tests.browser.conftest import AppServer, free_port, screenshot, wait_for_app

OIDC_DIR = PROJECT_ROOT / "tests" / "oidc"
CLIENT_SECRET = "test-client-secret"
CONTACT = "Anna Andersson, trygghetssamordnare"
ROLES = {"viewers": ["*@lillaedet.se"], "editors": ["*@polisen.se"], "admins": ["it@lillaedet.se"]}
# Login name at the provider -> the claims it vouches for.
ACCOUNTS = {
    "redaktor": {"email": "kommunpolis@polisen.se", "email_verified": True},
    "okand": {"email": "someone@example.se", "email_verified": True},
    "overifierad": {"email": "overifierad@polisen.se", "email_verified": False},
}
NOT_LISTED = "finns inte med bland dem som får se lägesbilden"


def _provider_missing() -> str | None:
    if not shutil.which("node"):
        return "no Node.js: install Node.js 20+ and npm, then `npm ci --prefix tests/oidc` (make test does)"
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        return "the test provider is not installed: run `npm ci --prefix tests/oidc` (make test does)"
    return None


def _ready_line(process: subprocess.Popen, timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    while True:
        line = lines.get(timeout=timeout)
        if line.startswith("READY "):
            return line.split()[1]


@pytest.fixture(scope="module")
def provider_and_app(tmp_path_factory, demo_dir):
    """(issuer, app) with the app's `[auth]` pointing at the provider through a secrets file of its own."""
    missing = _provider_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the login test's provider: {missing}")
        pytest.skip(missing)
    (PROJECT_ROOT / "test-artifacts").mkdir(exist_ok=True)
    app_port = free_port()
    redirect_uri = f"http://127.0.0.1:{app_port}/oauth2callback"
    log = open(PROJECT_ROOT / "test-artifacts" / "oidc-provider.log", "w")
    node = subprocess.Popen(
        ["node", "provider.mjs", redirect_uri, CLIENT_SECRET, json.dumps(ACCOUNTS)],
        cwd=OIDC_DIR, stdout=subprocess.PIPE, stderr=log, text=True,
    )  # fmt: skip
    app = None
    try:
        issuer = _ready_line(node, timeout=30)
        secrets = tmp_path_factory.mktemp("login") / "secrets.toml"
        secrets.write_text(_secrets(redirect_uri, issuer), encoding="utf-8")
        app = AppServer(demo_dir, "internal", port=app_port, args=("--secrets.files", str(secrets)))
        yield issuer, app
    finally:
        if app:
            app.stop()
        node.terminate()
        node.wait(10)
        log.close()


def _secrets(redirect_uri: str, issuer: str) -> str:
    roles = "\n".join(f"{key} = {json.dumps(patterns)}" for key, patterns in ROLES.items())
    return f"""
[auth]
redirect_uri = "{redirect_uri}"
cookie_secret = "a test cookie secret, long enough"
client_id = "lagesbild"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{issuer}/.well-known/openid-configuration"
# The provider knows "login" and "consent", not Streamlit's default "select_account".
client_kwargs = {{ prompt = "login" }}

[lagesbild]
contact = "{CONTACT}"

[lagesbild.roles]
{roles}
"""


def sign_in(offline_pages, provider_and_app, login: str, shot: str):
    """Open the app, press "Logga in", sign in at the provider and come back."""
    issuer, app = provider_and_app
    page = offline_pages(app.url, issuer)
    page.goto(app.url)
    wait_for_app(page, "Logga in för att se lägesbilden.")
    page.locator("[data-testid='stMain']").get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{issuer}/interaction/**")
    page.get_by_label("Login").fill(login)
    screenshot(page, f"login-provider-{shot}")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{app.url}/**")
    return page


def test_a_listed_editor_sees_the_internal_app_with_the_editor_label(offline_pages, provider_and_app):
    page = sign_in(offline_pages, provider_and_app, "redaktor", "editor")
    wait_for_app(page, "Översikt")
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Inloggad: kommunpolis@polisen.se (Redaktör)").wait_for()
    assert sidebar.get_by_text("Internt läge").is_visible()
    assert sidebar.get_by_role("button", name="Presentera (mötesläge)").is_visible()
    assert page.locator("[data-testid='stMetric']").count() > 0
    assert page.get_by_text(NOT_LISTED).count() == 0
    screenshot(page, "login-editor")


@pytest.mark.parametrize(
    ("login", "email"),
    # The unverified address matches the editors' pattern: only email_verified stands in its way.
    [("okand", "someone@example.se"), ("overifierad", "overifierad@polisen.se")],
    ids=["unlisted", "unverified"],
)
def test_without_a_role_the_page_says_whom_to_ask_and_shows_no_data(offline_pages, provider_and_app, login, email):
    page = sign_in(offline_pages, provider_and_app, login, login)
    wait_for_app(page, NOT_LISTED)
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_text(f"Du är inloggad som {email}").first.is_visible()
    assert main.get_by_text(f"Be {CONTACT} att lägga till din adress.").is_visible()
    page.locator("[data-testid='stSidebar']").get_by_text(f"Inloggad: {email} (ingen behörighet)").wait_for()
    assert page.locator("[data-testid='stMetric'], [data-testid='stDataFrame'], .js-plotly-plot").count() == 0
    assert page.locator("[data-testid='stSidebarNav']").count() == 0  # no way on to the pages
    assert main.get_by_text("Översikt").count() == 0
    screenshot(page, f"login-{login}")
