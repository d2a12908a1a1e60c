"""What a failed write of the data directory says in Swedish.

A full disk, a read-only or forbidden data directory: the storage layer writes
to a temporary file and renames it into place, so a failed write has changed
nothing, and the form that asked for it keeps what the user typed.
"""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOSPC: "disken är full",
    errno.EROFS: "datamappen är skrivskyddad",
    errno.EACCES: "appen saknar behörighet att skriva i datamappen",
    errno.EPERM: "appen saknar behörighet att skriva i datamappen",
}


def swedish(exc: OSError) -> str:
    """'Det gick inte att spara: disken är full. Ingenting har ändrats; …'"""
    reason = _REASONS.get(exc.errno, "ett fel i filsystemet")
    return f"Det gick inte att spara: {reason}. Ingenting har ändrats; kontakta den som sköter datorn."
