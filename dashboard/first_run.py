"""Setting up an empty data directory from the app: the kommuner an editor
chooses (`init`'s code path, `init_data.init_data_dir`) or the demo data
(`demo`'s, `demo.write_demo` with its defaults). Either is written only while
the directory holds no data, under one lock beside it, so two editors starting
at once do not both write.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dashboard import db, demo, init_data, storage
from dashboard.records import require
from dashboard.roles import Author


class AlreadySetUp(ValueError):
    """The data directory got its data meanwhile (another editor, or the command line)."""

    swedish = "Datamappen har redan fått data (av någon annan). Ladda om sidan."


def _setup_lock(data_dir: Path):
    # Beside the directory, not in it: a lock file inside would make it "not empty".
    return storage.lock(Path(data_dir).resolve())


def create(data_dir: Path, author: Author, codes: Iterable[str]) -> dict[str, int]:
    """The `init` of the chosen kommuner (codes or names); returns rows per table written."""
    require(author.may_edit)
    codes = init_data.kommun_codes(codes)
    if not codes:
        raise init_data.UnknownKommun("no kommun chosen")
    with _setup_lock(data_dir):
        if db.has_data(data_dir):
            raise AlreadySetUp()
        return init_data.init_data_dir(data_dir, codes)


def write_demo(data_dir: Path, author: Author) -> dict[str, int]:
    """The demo data set, as `python -m dashboard demo` writes it; returns rows per table."""
    require(author.may_edit)
    with _setup_lock(data_dir):
        if db.has_data(data_dir):
            raise AlreadySetUp()
        return demo.write_demo(data_dir)
