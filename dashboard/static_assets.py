"""Leaflet served by the app itself, so the map needs no outside host.

Leaflet's built files come from the PyPI package `django-js-lib-leaflet` (a
dependency, installed by the project's own install step). Streamlit serves
`dashboard/static/` at `/app/static/` (`server.enableStaticServing` in
`.streamlit/config.toml`); `ensure_leaflet` copies the files to
`dashboard/static/vendor/leaflet/` (git-ignored) the first time the map is
drawn. Copies, not links: Streamlit refuses static files that resolve outside
its static folder.
"""

from __future__ import annotations

import filecmp
import functools
import shutil
from importlib import resources
from pathlib import Path

from dashboard import storage

STATIC_DIR = Path(__file__).resolve().parent / "static"
LEAFLET_DIR = STATIC_DIR / "vendor" / "leaflet"
#: The script, its stylesheet and the images the stylesheet refers to.
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png", "images/marker-icon.png")


def _installed_leaflet() -> Path:
    return Path(str(resources.files("js_lib_leaflet"))) / "static" / "js_lib_leaflet"


@functools.cache
def ensure_leaflet() -> Path:
    """Copy Leaflet into the static folder unless an identical copy is there."""
    source = _installed_leaflet()
    for name in LEAFLET_FILES:
        src, dst = source / name, LEAFLET_DIR / name
        if dst.is_file() and filecmp.cmp(src, dst, shallow=False):
            continue
        # Copy then rename: a browser never gets half a file from a concurrent session.
        with storage.replacing_file(dst) as tmp:
            shutil.copyfile(src, tmp)
    return LEAFLET_DIR


def static_url(relative: str, base_path: str = "") -> str:
    """The URL path of a file below `dashboard/static/` behind Streamlit's server.baseUrlPath."""
    return "/" + "/".join(part for part in (base_path.strip("/"), "app/static", relative) if part)


def leaflet_urls(base_path: str = "") -> tuple[str, str]:
    """(script, stylesheet) URLs of the app's own Leaflet, copied there first."""
    ensure_leaflet()
    return static_url("vendor/leaflet/leaflet.js", base_path), static_url("vendor/leaflet/leaflet.css", base_path)
