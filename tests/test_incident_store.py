"""The incident tree shared by several servers: a reader in another process
sees the table before or after an import, whole, and never an error."""

from __future__ import annotations

import json
import time

import pytest

from dashboard import import_bench, incident_store, storage
from dashboard.imports.incidents import import_file
from dashboard.roles import command_line_author
from tests import datasets
from tests.processes import run_together
from tests.test_import_incidents import _seed_municipalities

IMPORTS = 5

# One process imports file after file (old versions deleted half a second after
# they were replaced); the other reads as an app server does: it looks at the
# tables' fingerprints, refreshes its views when they changed, and counts.
READ_WHILE_IMPORTED = """
import json
import time
from pathlib import Path
from dashboard import db, incident_store
data_dir, role, done = Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
if role == "import":
    from dashboard.imports.incidents import import_file
    from dashboard.roles import command_line_author
    incident_store.GRACE_SECONDS = 0.5
    written = [import_file(Path(f), data_dir, command_line_author()).written for f in sys.argv[5:]]
    done.touch()
    print(json.dumps(written))
else:
    con, state, seen = db.connect(data_dir), db.table_fingerprints(data_dir), []
    while True:
        finished = done.exists()
        now = db.table_fingerprints(data_dir)
        if now != state:
            db.refresh_views(con, data_dir)
            state = now
        counts = con.execute("SELECT (SELECT count(*) FROM incidents), (SELECT sum(n) FROM incident_daily)").fetchone()
        if not seen or seen[-1] != list(counts):
            seen.append(list(counts))
        if finished:
            break
    print(json.dumps(seen))
"""


@pytest.mark.slow
def test_a_reader_in_another_process_never_sees_half_an_import(tmp_path):
    data_dir = tmp_path / "data"
    datasets.write_tables(data_dir, municipalities=_seed_municipalities())
    import_bench.write_sample_csv(tmp_path / "first.csv", 2_000, seed=1)
    before = import_file(tmp_path / "first.csv", data_dir, command_line_author()).written
    files = [import_bench.write_sample_csv(tmp_path / f"in{k}.csv", 500, seed=10 + k) for k in range(IMPORTS)]
    done = tmp_path / "done"
    imported, read = run_together(
        READ_WHILE_IMPORTED, [(data_dir, "import", done, *files), (data_dir, "read", done)], tmp_path, timeout=600
    )
    totals = [before]
    for written in json.loads(imported):
        totals.append(totals[-1] + written)
    seen = json.loads(read)
    assert all(count in totals and daily == count for count, daily in seen), (seen, totals)
    assert seen[-1] == [totals[-1], totals[-1]]
    assert len(seen) > 2  # it read while the imports ran, not only before and after
    # Imports that follow each other within the grace keep the versions they replaced;
    # once the pointer has named the current one for longer, they go.
    root = data_dir / incident_store.TABLE_DIR
    time.sleep(0.6)
    storage.remove_retired(root, 0.5)
    assert [p for p in root.iterdir() if p.is_dir()] == [incident_store.current_tree(data_dir)]
