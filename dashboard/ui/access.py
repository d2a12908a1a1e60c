"""Who may see and do what. The server decides: every write path asks
`can_edit()` itself, and the mode (`LAGESBILD_MODE`) comes from the
environment only, never from the URL or the browser.

Login: when `.streamlit/secrets.toml` has an `[auth]` section, users sign in
with OpenID Connect through Streamlit's `st.login`, and
`[lagesbild.roles]` lists who may see what (the rules: `dashboard.roles`):

    [lagesbild]
    contact = "Anna Andersson, trygghetssamordnare, anna@lillaedet.se"

    [lagesbild.roles]
    viewers = ["*@lillaedet.se"]
    editors = ["trygghetssamordnare@lillaedet.se", "*@polisen.se"]
    admins = ["it@lillaedet.se"]

Signed-in users who are not listed get no role and, in internal and meeting
mode, see only whom to ask. Editors record updates, meetings and indicator
values; admins also import incident files. Without `[auth]` the app runs for
one local user, who may edit only when the server listens on this machine
alone (loopback), unless `LAGESBILD_ALLOW_REMOTE_EDIT=1`.
"""

from __future__ import annotations

import os

import streamlit as st

from dashboard.config import settings
from dashboard.roles import LOCAL_USER, Author, Identity, expected_issuer, is_loopback, signed_in_role

DEFAULT_CONTACT = "den som ansvarar för lägesbilden i din kommun"


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def local_editing_allowed() -> bool:
    if os.environ.get("LAGESBILD_ALLOW_REMOTE_EDIT") == "1":
        return True
    return is_loopback(st.get_option("server.address"))


def identity() -> Identity:
    if not auth_configured():
        return Identity(LOCAL_USER, "editor" if local_editing_allowed() else "viewer", False)
    if not st.user.is_logged_in:
        return Identity("", "", False)
    claims = st.user.to_dict()
    issuer = expected_issuer(st.secrets["auth"], claims.get("provider"), _lagesbild().get("issuer"))
    name = str(claims.get("email") or claims.get("name") or "okänd")
    return Identity(name, signed_in_role(claims, _lagesbild().get("roles", {}), issuer), True)


def contact() -> str:
    """Whom an unlisted user asks to be listed: `[lagesbild] contact`."""
    return str(_lagesbild().get("contact") or DEFAULT_CONTACT)


def _lagesbild():
    return st.secrets.get("lagesbild", {})


def mode() -> str:
    """The mode in force for this session: the configured one, or `meeting`
    while an internal user presents. A session can only narrow its mode."""
    configured = settings().mode
    if configured == "internal" and st.session_state.get("presenting"):
        return "meeting"
    return configured


def can_edit() -> bool:
    """Editing (updates, meetings, indicator values) is for editors, in internal mode only."""
    return mode() == "internal" and identity().role in ("editor", "admin")


def can_record_meeting() -> bool:
    """A meeting and its decisions are recorded by an editor of an internal
    installation, also while presenting: presenting narrows what the room
    sees, not who may write."""
    return settings().mode == "internal" and identity().role in ("editor", "admin")


def meeting_author() -> Author:
    """This session as the author of a meeting's record and decisions."""
    return Author(current_user(), may_edit=can_record_meeting(), may_import=False)


def can_import() -> bool:
    """Importing incident files is for admins (and the local user)."""
    who = identity()
    return mode() == "internal" and (who.role == "admin" or (who.role == "editor" and not who.logged_in))


def current_user() -> str:
    """The name recorded as author of a write."""
    return identity().name


def author() -> Author:
    """This session as the author of a write, with what it may do."""
    return Author(current_user(), may_edit=can_edit(), may_import=can_import())


def shows_single_incidents() -> bool:
    """Single incidents and their free text reach the browser in internal mode only."""
    return mode() == "internal"


def needs_login() -> bool:
    """Internal and meeting views show sensitive data: sign-in first when login is configured."""
    return auth_configured() and settings().mode != "public" and not st.user.is_logged_in


def not_listed() -> bool:
    """Signed in, but without a role: internal and meeting views stay closed."""
    who = identity()
    return settings().mode != "public" and who.logged_in and not who.role
