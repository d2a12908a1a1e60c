"""Roles and authors, without Streamlit: who a signed-in address is, and who
writes. The app builds both from the session (`dashboard.ui.access`); the
command line writes as the local operating-system user.

A signed-in user has a role only when listed in `[lagesbild.roles]`
(`viewers`, `editors`, `admins`; shell patterns such as `*@polisen.se`), and
only for an address the identity provider has verified (`email_verified`) in a
token from the expected issuer. Everyone else gets no role.
"""

from __future__ import annotations

import fnmatch
import getpass
import re
from collections.abc import Mapping
from dataclasses import dataclass

LOCAL_USER = "lokal användare"
ROLE_LABELS = {"viewer": "Läsare", "editor": "Redaktör", "admin": "Administratör", "": "ingen behörighet"}
LOOPBACK = ("localhost", "127.0.0.1", "::1")
# Strongest first: an address listed twice gets the higher role.
ROLE_LISTS = (("admin", "admins"), ("editor", "editors"), ("viewer", "viewers"))
METADATA_SUFFIX = "/.well-known/openid-configuration"
# One address: a dot-atom local part and a domain of at least two labels. No
# quoted local parts, comments or second "@": what a provider verifies is a
# plain mailbox, and anything else is refused rather than interpreted.
_ATOM = r"[\w!#$%&'*+/=?^`{|}~-]+"
_LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")


@dataclass(frozen=True)
class Identity:
    name: str
    role: str  # viewer, editor, admin; "" for nobody signed in, or signed in without a role
    logged_in: bool


def is_address(text: str | None) -> bool:
    """A single well-formed e-mail address, nothing around it."""
    return isinstance(text, str) and _ADDRESS.fullmatch(text) is not None


def matches(address: str, pattern: str) -> bool:
    """Case-folded shell-pattern match, the local part and the domain each on
    its own, so a `*` never reaches across the "@"."""
    if not is_address(address) or not isinstance(pattern, str) or pattern.count("@") != 1:
        return False
    local, domain = address.casefold().split("@")
    local_pattern, domain_pattern = pattern.casefold().split("@")
    return fnmatch.fnmatchcase(local, local_pattern) and fnmatch.fnmatchcase(domain, domain_pattern)


def role_for(email: str | None, roles: Mapping) -> str:
    """The role that `[lagesbild.roles]` lists an address under, or "" when it is not listed."""
    for role, key in ROLE_LISTS:
        if email and any(matches(email, pattern) for pattern in roles.get(key, ())):
            return role
    return ""


def expected_issuer(auth: Mapping, provider: str | None, configured: str | None = None) -> str | None:
    """The issuer a token must come from: `[lagesbild] issuer` if set, else the
    one the provider's `server_metadata_url` names (OpenID Connect Discovery
    puts the metadata at issuer + /.well-known/openid-configuration)."""
    if configured:
        return configured
    section = auth.get(provider) if provider and provider != "default" else auth
    url = section.get("server_metadata_url") if isinstance(section, Mapping) else None
    if not isinstance(url, str) or not url.endswith(METADATA_SUFFIX):
        return None
    return url.removesuffix(METADATA_SUFFIX)


def verified_email(claims: Mapping, issuer: str | None) -> str | None:
    """The address of a signed-in user, only when the expected issuer vouches for it."""
    token_issuer = claims.get("iss")
    if not issuer or not isinstance(token_issuer, str) or token_issuer.rstrip("/") != issuer.rstrip("/"):
        return None
    if claims.get("email_verified") is not True:
        return None
    email = claims.get("email")
    return email if is_address(email) else None


def signed_in_role(claims: Mapping, roles: Mapping, issuer: str | None) -> str:
    """The role of a signed-in user: "" unless verified and listed."""
    return role_for(verified_email(claims, issuer), roles)


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
