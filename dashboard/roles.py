"""Roles and authors, without Streamlit: who a signed-in address is, and who
writes. The app builds both from the session (`dashboard.ui.access`); the
command line writes as the local operating-system user.
"""

from __future__ import annotations

import fnmatch
import getpass
from collections.abc import Mapping
from dataclasses import dataclass

LOCAL_USER = "lokal användare"
ROLE_LABELS = {"viewer": "Läsare", "editor": "Redaktör", "admin": "Administratör"}
LOOPBACK = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class Identity:
    name: str
    role: str  # viewer, editor, admin, or "" for nobody signed in
    logged_in: bool


def role_for(email: str | None, roles: Mapping) -> str:
    """The role that `[lagesbild.roles]` gives an e-mail address."""
    email = (email or "").strip().lower()
    for role, key in (("admin", "admins"), ("editor", "editors")):
        if email and any(fnmatch.fnmatchcase(email, pattern.lower()) for pattern in roles.get(key, ())):
            return role
    return "viewer"


@dataclass(frozen=True)
class Author:
    """Who writes, as the server established it. Every write function checks
    `may_edit` / `may_import` itself, so a hidden button is never the only guard."""

    name: str
    may_edit: bool = True
    may_import: bool = True


def command_line_author() -> Author:
    """The command line runs with the operating-system user's rights."""
    return Author(f"{getpass.getuser()} (kommandorad)")


def is_loopback(address: str | None) -> bool:
    """An empty server.address means every interface, which is not loopback."""
    return bool(address) and (address in LOOPBACK or address.startswith("127."))
