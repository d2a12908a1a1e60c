"""The demo data set tells the truth about the seeds."""

from datetime import date, timedelta

import numpy as np
import pyarrow.parquet as pq
import pytest

from dashboard import db, demo, incident_store
from dashboard.demo import generate_follow_up, write_demo
from tests.conftest import DEMO_INCIDENTS
from tests.datasets import TODAY

SEED_KOMMUNER = {
    "1415": "Stenungsund", "1419": "Tjörn", "1421": "Orust", "1462": "Lilla Edet",
    "1488": "Trollhättan", "1494": "Lidköping", "1960": "Kungsör",
}  # fmt: skip


@pytest.fixture(scope="module")
def con(demo_dir):
    return db.connect(demo_dir)


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_the_seven_seed_municipalities_with_real_codes(con):
    assert dict(rows(con, "SELECT kommun_kod, kommun FROM municipalities")) == SEED_KOMMUNER
    assert rows(con, "SELECT lpo FROM municipalities WHERE kommun_kod = '1494'") == [("Västra Skaraborg",)]


def test_commitment_counts_per_pledge_and_actor_match_the_documents(con):
    counts = rows(
        con,
        "SELECT pledge_id, actor, count(*) FROM commitments GROUP BY ALL ORDER BY ALL",
    )
    by_pledge = {}
    for pledge, actor, n in counts:
        by_pledge.setdefault(pledge, {})[actor] = n
    assert by_pledge["lidkoping_2021"] == {"gemensamt": 3, "kommunen": 3, "polisen": 3}
    assert by_pledge["stenungsund_orust_tjorn_2023"] == {"kommunen": 6, "polisen": 5}
    assert sum(by_pledge["lilla_edet_2025"].values()) == 6
    assert sum(by_pledge["trollhattan_2021"].values()) == 6


def test_one_pledge_covers_stenungsund_orust_and_tjorn(con):
    [(kods,)] = rows(con, "SELECT list_sort(kommun_kods) FROM pledges WHERE pledge_id = 'stenungsund_orust_tjorn_2023'")
    assert kods == ["1415", "1419", "1421"]


def test_increase_is_the_desired_effect_for_detected_drug_offences(con):
    directions = dict(rows(con, "SELECT indicator_id, direction FROM indicators"))
    assert directions["upptackta_narkotikabrott"] == "increase"
    assert directions["anmalningar_utsatta_brottsoffer"] == "increase"
    assert directions["upplevd_trygghet"] == "increase"


def test_every_desired_effect_has_values_for_its_municipality(con):
    missing = rows(
        con,
        """SELECT e.effect_id FROM desired_effects e JOIN pledges p USING (pledge_id)
           WHERE NOT EXISTS (SELECT 1 FROM indicator_values v WHERE v.indicator_id = e.indicator_id
                             AND list_contains(p.kommun_kods, v.kommun_kod))""",
    )
    assert missing == []


def test_incidents_cover_every_municipality_until_today(con):
    [(n, kommuner, first, last)] = rows(
        con, "SELECT count(*), count(DISTINCT kommun_kod), min(occurred_at)::DATE, max(occurred_at)::DATE FROM incidents"
    )
    assert (n, kommuner) == (DEMO_INCIDENTS, 7)
    assert date(2021, 1, 1) <= first < date(2021, 2, 1)
    assert TODAY - timedelta(days=7) <= last <= TODAY  # TODAY is the 1st of a month


def test_disorder_happens_on_evenings_and_weekend_nights(con):
    [(night_share, weekend_share)] = rows(
        con,
        """SELECT avg((hour(occurred_at) >= 21 OR hour(occurred_at) < 4)::INT),
                  avg((isodow(occurred_at) IN (5, 6, 7))::INT)
           FROM incidents WHERE focus_area = 'ordningsstorning'""",
    )
    assert night_share > 0.6  # 7 of 24 hours would be 0.29
    assert weekend_share > 0.5  # 3 of 7 days would be 0.43


def test_some_incidents_only_know_their_municipality(con):
    [(share,)] = rows(con, "SELECT avg((place_precision = 'kommun')::INT) FROM incidents")
    assert 0.04 < share < 0.12


def test_statuses_vary_and_some_commitments_are_overdue(con):
    statuses = {r[0] for r in rows(con, "SELECT DISTINCT status FROM commitment_updates")}
    assert {"pagar", "genomford", "forsenad"} <= statuses
    [(late,)] = rows(
        con,
        """WITH latest AS (SELECT commitment_id, arg_max(status, "at") AS status FROM commitment_updates GROUP BY 1)
           SELECT count(*) FROM commitments JOIN latest USING (commitment_id)
           WHERE due_date < current_date AND status NOT IN ('genomford', 'avbruten')""",
    )
    assert late > 0


def test_follow_up_practice_shapes_the_meetings(con):
    kinds = dict(rows(con, "SELECT kind, count(*) FROM meetings GROUP BY 1"))
    assert kinds["lagesbild"] > 10 and kinds["bra"] >= 4
    assert rows(con, "SELECT held_on < DATE '2023-04-01' FROM meetings WHERE kind = 'styrgrupp'") == [(True,)]


def test_same_seed_same_data(tmp_path):
    until = date(2026, 6, 30)
    a, b, c = (tmp_path / n for n in "abc")
    write_demo(a, incidents=500, seed=3, until=until)
    write_demo(b, incidents=500, seed=3, until=until)
    write_demo(c, incidents=500, seed=4, until=until)
    sql = "SELECT incident_id, category, occurred_at, lat, lon FROM incidents ORDER BY incident_id"
    first, second, other = (db.connect(d).execute(sql).fetchall() for d in (a, b, c))
    assert first == second
    assert first != other


def test_updates_are_not_in_the_future():
    until = date(2025, 6, 1)
    meetings, updates = generate_follow_up(np.random.default_rng(1), until)
    assert meetings["held_on"].max() <= until
    assert updates["at"].max().date() <= until


def test_incidents_made_in_chunks_are_one_file_per_partition_sorted_by_time(tmp_path, monkeypatch):
    """A period reads only its own row groups: every partition is one file in time order,
    however many chunks the demo made (a chunk's rows span the whole year)."""
    monkeypatch.setattr(demo, "CHUNK_ROWS", 200)
    write_demo(tmp_path, incidents=1_000, seed=3, until=date(2026, 6, 30))
    files = list(incident_store.current_tree(tmp_path).glob("kommun_kod=*/year=*/*.parquet"))
    assert len(files) == len({f.parent for f in files}) > 7
    times = [pq.read_table(f, columns=["occurred_at"])["occurred_at"].to_pylist() for f in files]
    assert all(t == sorted(t) for t in times) and sum(map(len, times)) == 1_000
    # kommun_kod ("0114": text) and year are in the path only, as in files an import writes.
    assert all({"kommun_kod", "year"}.isdisjoint(pq.read_schema(f).names) for f in files)
