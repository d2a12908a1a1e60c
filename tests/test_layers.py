"""The layers hold: only the app's frame and `dashboard/ui/` know Streamlit,
so the command line, imports and reports run without it (and load fast)."""

from __future__ import annotations

import ast
import subprocess
import sys

from dashboard import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "dashboard"
#: The frame, its widgets, and the benchmark (which drives the pages through AppTest).
UI = {PACKAGE / "ui", PACKAGE / "app.py", PACKAGE / "bench"}


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_only_ui_modules_import_streamlit():
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in sorted(PACKAGE.rglob("*.py"))
        if not any(path == ui or ui in path.parents for ui in UI)
        and {"streamlit", "streamlit_folium"} & _imports(path)
    ]
    assert offenders == []


def test_the_command_line_does_not_load_streamlit():
    probe = "import sys, dashboard.cli; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert out.stdout.strip() == "False"
