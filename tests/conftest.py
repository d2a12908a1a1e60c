"""Shared fixtures: a small demo data set, an empty data directory, a helper
that renders a page of the app under Streamlit's AppTest, and the two back ends
of the shared tables (`backend`: Parquet files, or a fresh PostgreSQL database
of a throwaway cluster started once per session)."""

from __future__ import annotations

import contextlib
import functools
import html
import os
import re
import uuid
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
from streamlit.testing.v1 import AppTest, local_script_runner

from dashboard import PROJECT_ROOT, pg_local, tables
from dashboard.demo import write_demo
from tests.datasets import TODAY
from tests.html_tables import table_rows

APP = str(PROJECT_ROOT / "dashboard" / "app.py")
DEMO_INCIDENTS = 5_000
DEMO_SEED = 7

# No test reads the real date: the app, and every app server a test starts,
# take "today" from here (dashboard.clock).
os.environ["LAGESBILD_TODAY"] = TODAY.isoformat()


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory) -> Path:
    """A demo data set ending today (pages default to the last quarter)."""
    path = tmp_path_factory.mktemp("demo")
    write_demo(path, incidents=DEMO_INCIDENTS, seed=DEMO_SEED, until=TODAY)
    return path


TEMPLATE = "lagesbild_template"


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The URL of a PostgreSQL server whose database `TEMPLATE` is migrated: a
    throwaway cluster (or LAGESBILD_TEST_DATABASE_URL). Without PostgreSQL the
    tests that need it are skipped, except under CI=true, where they fail."""
    url = os.environ.get("LAGESBILD_TEST_DATABASE_URL")
    with contextlib.ExitStack() as stack:
        if not url:
            if pg_local.binaries() is None:
                if os.environ.get("CI") == "true":
                    pytest.fail(pg_local.HOW_TO_GET)
                pytest.skip(pg_local.HOW_TO_GET)
            url = stack.enter_context(pg_local.cluster())
        _admin(url, f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)", f"CREATE DATABASE {TEMPLATE}")
        store = tables.PostgresStore(_database_url(url, TEMPLATE))
        store.migrate()
        store.close()
        yield url


def _database_url(url: str, database: str) -> str:
    return f"{url.rsplit('/', 1)[0]}/{database}"


def _admin(url: str, *statements: str) -> None:
    from adbc_driver_postgresql import dbapi

    with dbapi.connect(url, autocommit=True) as con, con.cursor() as cur:
        for statement in statements:
            cur.execute(statement)


@pytest.fixture
def pg_database(pg_server) -> str:
    """A fresh, migrated database for one test (a copy of the template); dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    _admin(pg_server, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    url = _database_url(pg_server, name)
    yield url
    tables.postgres(url).close()
    _admin(pg_server, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["parquet", "postgres"])
def backend(request, monkeypatch) -> str:
    """Run a test against each back end of the shared tables: with `postgres`,
    LAGESBILD_DATABASE_URL names a fresh database (child processes inherit it)."""
    if request.param == "postgres":
        monkeypatch.setenv(tables.URL_SETTING, request.getfixturevalue("pg_database"))
    else:
        monkeypatch.delenv(tables.URL_SETTING, raising=False)
    return request.param


@pytest.fixture
def empty_dir(tmp_path) -> Path:
    path = tmp_path / "empty"
    path.mkdir()
    return path


@pytest.fixture
def editor(monkeypatch):
    """Internal mode with editing allowed for the local user, whatever the server address."""
    monkeypatch.setenv("LAGESBILD_MODE", "internal")
    monkeypatch.setenv("LAGESBILD_ALLOW_REMOTE_EDIT", "1")


@pytest.fixture
def render(monkeypatch):
    """render(data_dir, page="oversikt", mode="internal", query=None) -> AppTest after one run."""

    def _render(data_dir: Path, page: str = "oversikt", mode: str = "internal", query: dict | None = None) -> AppTest:
        monkeypatch.setenv("LAGESBILD_DATA_DIR", str(data_dir))
        monkeypatch.setenv("LAGESBILD_MODE", mode)
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        if page != "oversikt":
            at.switch_page(str(PROJECT_ROOT / "pages" / f"{page}.py"))
            at.run()
        return at

    return _render


def rerun_fragments(at: AppTest) -> AppTest:
    """Rerun only the page's fragments (`st.fragment`), as the browser does when a
    widget inside one changes; AppTest's own `run` reruns the whole script."""
    ids = list(at._fragment_storage._fragments)  # those the last run registered
    assert ids, "the page has no fragment"
    with mock.patch.object(local_script_runner, "RerunData", functools.partial(RerunData, fragment_id_queue=ids)):
        return at.run()


def open_expanders(at: AppTest, *prefixes: str) -> AppTest:
    """`at` run again with every expander whose key starts with one of `prefixes`
    open, as a click would: the page builds what is in them only while open."""
    for expander in at.expander:
        key = expander.proto.id.split("-", 2)[-1]  # "$$ID-<hash>-<key>"
        if key.startswith(prefixes):
            at.session_state[key] = True
    return at.run()


@pytest.fixture
def queries_run(monkeypatch) -> list[tuple[str, dict]]:
    """(name, parameters) of every query the app asks its cache for from now on, in order."""
    from dashboard.ui import cached

    calls, cached_run = [], cached._cached

    def recording(name, params, *args, **kwargs):
        calls.append((name, params))
        return cached_run(name, params, *args, **kwargs)

    monkeypatch.setattr(cached, "_cached", recording)
    return calls


def page_text(at: AppTest) -> str:
    """All text the page shows (markdown, titles, captions, metrics, alerts)."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    # A drawing (an SVG chart in markdown, presenter.drawing) is a chart, not text: left out like a plotly chart.
    parts = [re.sub(r"<svg.*?</svg>", "", part, flags=re.S) for part in parts]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    # st.html: its text, not its style sheets or tags.
    parts += [html.unescape(re.sub(r"<style.*?</style>|<[^>]+>", "", e.proto.body, flags=re.S)) for e in at.get("html")]
    return "\n".join(parts)


#: The columns of a series row of the indicator table (`report.html.indicator_table`).
INDICATOR_COLUMNS = ["Kommun", "Bedömning", "Senaste", "Förändring", "Utveckling", "Mål"]


def indicator_table(at: AppTest) -> pd.DataFrame:
    """The Indikatorer page's overview as shown: indicator_id and the table's columns, a row per series
    (an indicator's own heading row is not one)."""
    rows = [
        [indicator, *cells]
        for element in at.get("html")
        if 'class="lb-indicators"' in element.proto.body
        for indicator, cells in table_rows(element.proto.body, ("tbody", "data-indicator"))
        if indicator and len(cells) == len(INDICATOR_COLUMNS)
    ]
    return pd.DataFrame(rows, columns=["indicator_id", *INDICATOR_COLUMNS])
