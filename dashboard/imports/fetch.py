"""`python -m dashboard fetch polisen`: fetch the police's open events feed and
import what is new or changed.

Safe to run every 30 minutes from cron: runs hold a lock (a second run waits
for the first), and importing the same events again changes nothing, while an
edited event replaces its stored version (`imports.incidents`). The feed holds
the latest 500 events of all Sweden; events of kommuner the installation does
not serve are skipped and counted. The response is kept as
`<data dir>/fetched/polisen.json` (the last one), its rejected events beside it
(`polisen.json.rejected.csv`).

The base URL is `LAGESBILD_POLISEN_URL` (default the real API); tests point it
at a local server.
"""

from __future__ import annotations

import os
import urllib.request
from pathlib import Path

from dashboard import storage
from dashboard.imports import unreadable

DEFAULT_URL = "https://polisen.se/api/events"
URL_SETTING = "LAGESBILD_POLISEN_URL"
TIMEOUT_S = 60
FETCHED_DIR = "fetched"


def feed_url() -> str:
    return os.environ.get(URL_SETTING) or DEFAULT_URL


def download(url: str) -> bytes:
    """The response body; a failed request rejects the fetch with the reason."""
    request = urllib.request.Request(url, headers={"User-Agent": "lagesbild", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (configured URL)
            return response.read()
    except (OSError, ValueError) as exc:  # URLError, HTTPError and timeouts are OSErrors
        raise unreadable(url, f"fetching failed: {exc}", f"hämtningen misslyckades: {exc}") from exc


def fetch_polisen(data_dir: Path, author, url: str | None = None):
    """Fetch the feed and import it (skipping invalid events); the import's result."""
    from dashboard.imports import incidents

    data_dir = Path(data_dir)
    target = data_dir / FETCHED_DIR / "polisen.json"
    with storage.lock(target):
        storage.write_bytes_atomic(target, download(url or feed_url()))
        return incidents.import_file(target, data_dir, author, skip_invalid=True, format="polisen")
