"""Who may do what. Every write path asks `can_edit()` on the server side;
widgets being hidden is not the protection.

Without login configured the app runs for one local user (see issue 9 for
OpenID Connect login and roles).
"""

from __future__ import annotations

from dashboard.config import settings

LOCAL_USER = "lokal användare"


def can_edit() -> bool:
    """Editing (updates, meetings, imports in the UI) is for internal mode only."""
    return settings().mode == "internal"


def current_user() -> str:
    """The name recorded as author of a write."""
    return LOCAL_USER


def shows_single_incidents() -> bool:
    """Single incidents and their free text reach the browser in internal mode only."""
    return settings().mode == "internal"
