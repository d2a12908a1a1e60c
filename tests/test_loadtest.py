"""The load test at a tiny size: two sessions on two servers for a moment."""

from __future__ import annotations

import os

import pytest

from dashboard import pg_local
from dashboard.bench import loadtest


@pytest.mark.slow
def test_two_sessions_on_two_servers_save_follow_ups_the_other_server_shows(tmp_path):
    if pg_local.binaries() is None and os.environ.get("CI") != "true":
        pytest.skip(pg_local.HOW_TO_GET)
    report = loadtest.run(sessions=2, seconds=1, incidents=2_000, log_dir=tmp_path)
    assert report["servers"] == 2
    assert report["sessions"] == 2 and report["sessions_held"] == 2
    assert report["errors"] == 0, report["error_messages"]
    assert set(report["by_kind"]) == {"open", "filter", "open form", "save"}
    for timing in [report["run_seconds"], *report["by_kind"].values()]:
        assert timing["n"] >= 1 and 0 < timing["p50"] <= timing["p95"] <= timing["max"]
    # Each session saved on its own server; each of those is shown by the other.
    assert all(n >= 1 for n in report["follow_ups_saved_by_server"])
    assert report["follow_ups_saved"] == sum(report["follow_ups_saved_by_server"])
    assert report["follow_ups_missing_on_other_server"] == []
    assert "missing on the other server: 0" in loadtest.table(report)
