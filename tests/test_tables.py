"""The store of the shared tables, the same on both back ends: what is written
is read back with the contract's types, versions change with every write and
only then, a failed transaction writes nothing; migrations match schema.py and
running them again changes nothing; the app shows what PostgreSQL holds."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pyarrow as pa
import pytest
import shapely

from dashboard import geography, tables
from dashboard.schema import STORED, to_arrow
from tests.conftest import page_text
from tests.datasets import copy_demo

PLEDGE = {
    "pledge_id": "p1", "title": "Löfte 'ett'", "kommun_kods": ["1462", "1488"], "period_start": date(2026, 1, 1),
    "period_end": date(2027, 12, 31), "focus_areas": [],
}  # fmt: skip


def _update(update_id: str) -> pa.Table:
    rec = {"update_id": update_id, "commitment_id": "c1", "at": datetime(2026, 11, 30, 9, 15), "status": "pagar", "progress": 40}
    return to_arrow(pd.DataFrame([rec]), "commitment_updates")


@pytest.mark.usefixtures("backend")
def test_a_table_is_read_back_as_written(tmp_path):
    store = tables.store(tmp_path)
    assert store.read("pledges").num_rows == 0 and not store.has("pledges")
    pledges = to_arrow(pd.DataFrame([PLEDGE]), "pledges")
    store.replace("pledges", pledges)
    assert store.has("pledges")
    assert store.read("pledges").to_pylist() == pledges.to_pylist()
    boundaries = geography.boundaries_table(["1462"])
    store.replace("boundaries", boundaries)
    [row] = store.read("boundaries").to_pylist()
    assert shapely.from_wkb(row["geometry"]).equals(shapely.from_wkb(boundaries["geometry"][0].as_py()))


@pytest.mark.usefixtures("backend")
def test_appends_keep_every_row_and_versions_change_only_with_writes(tmp_path):
    store = tables.store(tmp_path)
    before = store.versions()
    assert store.versions() == before
    store.append("commitment_updates", _update("u1"), "update")
    store.append("commitment_updates", _update("u2"), "update")
    after = store.versions()
    assert sorted(store.read("commitment_updates")["update_id"].to_pylist()) == ["u1", "u2"]
    assert {name for name in STORED if after[name] != before[name]} == {"commitment_updates"}


@pytest.mark.usefixtures("backend")
def test_a_failed_transaction_leaves_the_tables_as_they_were(tmp_path, backend):
    store = tables.store(tmp_path)
    store.replace("pledges", to_arrow(pd.DataFrame([PLEDGE]), "pledges"))
    before = store.versions()
    with pytest.raises(RuntimeError), store.transaction("pledges") as tx:
        tx.replace("pledges", to_arrow(pd.DataFrame([PLEDGE | {"title": "Ändrad"}]), "pledges"))
        raise RuntimeError("the disk is full")
    if backend == "postgres":  # one transaction; Parquet's writes are atomic one file at a time
        assert store.versions() == before
        assert store.read("pledges")["title"].to_pylist() == ["Löfte 'ett'"]


def test_migrations_create_every_shared_table_with_the_schemas_columns(pg_database):
    from adbc_driver_postgresql import dbapi

    with dbapi.connect(pg_database) as con, con.cursor() as cur:
        cur.execute(
            "SELECT table_name, column_name, "
            "CASE WHEN data_type = 'ARRAY' THEN 'text[]' "
            "WHEN data_type LIKE 'timestamp without%' THEN 'timestamp' ELSE data_type END "
            "FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
        found = {}
        for table, column, typ in cur.fetchall():
            found.setdefault(table, {})[column] = typ
    for name, table in STORED.items():
        assert found[name] == {c: tables.PG_TYPES[t] for c, t in table.columns.items()}, name


def test_migrate_twice_changes_nothing(pg_database, monkeypatch, capsys):
    from dashboard import cli

    store = tables.PostgresStore(pg_database)
    assert store.migrate() == []  # the template was migrated
    monkeypatch.setenv(tables.URL_SETTING, pg_database)
    assert cli.main(["migrate"]) == 0
    assert capsys.readouterr().out.strip() == "The database is up to date."
    store.close()


def _retitle(store: tables.Store, title: str) -> None:
    """What another server does: correct the title of Lilla Edet's pledge."""
    pledges = store.read("pledges").to_pandas()
    pledges.loc[pledges["pledge_id"] == "lilla_edet_2025", "title"] = title
    store.replace("pledges", to_arrow(pledges, "pledges"))


def test_the_app_shows_what_postgresql_holds(demo_dir, tmp_path, pg_database, monkeypatch, render):
    """With LAGESBILD_DATABASE_URL the pages read the shared tables from PostgreSQL, not the
    files, and a write from elsewhere shows at the next rerun."""
    monkeypatch.setenv(tables.URL_SETTING, pg_database)
    data = copy_demo(demo_dir, tmp_path / "demo")
    for path in data.glob("*.parquet"):
        path.unlink()  # only the incidents stay in files
    store = tables.store(data)
    _retitle(store, "Medborgarlöfte från PostgreSQL")
    at = render(data, "loften", query={"kommun": "1462"})
    assert not at.exception
    assert "Medborgarlöfte från PostgreSQL" in [e.label for e in at.expander]
    assert "Sedan förra mötet" in page_text(at)
    _retitle(store, "Rättat på en annan server")
    at.run()
    assert "Rättat på en annan server" in [e.label for e in at.expander]


def test_an_unreachable_database_is_one_line_in_the_cli_and_swedish_in_the_app(tmp_path, monkeypatch, capsys, render):
    from dashboard import cli, pg_local

    # Nothing listens on a port just freed; the password must not be shown.
    port = pg_local.free_port()
    monkeypatch.setenv(tables.URL_SETTING, f"postgresql://lb:hemligt@127.0.0.1:{port}/lb")
    assert cli.main(["migrate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot reach the database of LAGESBILD_DATABASE_URL at 127.0.0.1:{port}: ")
    assert err.count("\n") == 1 and "hemligt" not in err and "Traceback" not in err
    at = render(tmp_path, "oversikt")
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"Databasen i LAGESBILD_DATABASE_URL (127.0.0.1:{port}) svarar inte. Kontakta den som driver servern."
    ]
