"""Data and user text stays text: no markdown image, link or bare address that a
viewer's browser would fetch or follow, in any element, and every table's cells
(and so Streamlit's own "Download as CSV") are safe from spreadsheet formulas."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard import exports, follow_up
from dashboard.formatting import escape_markdown
from dashboard.roles import Author
from dashboard.schema import to_arrow
from dashboard.storage import write_atomic
from dashboard.ui.text import formula_safe
from tests.conftest import page_text

IMAGE_TITLE = "![x](http://evil.example/a.png)"
KOMMUN = "Lilla *Edet* [k](http://evil.example/k)"
NOTE = 'Se http://evil.example/x och www.evil.example, skriv till a@evil.example =HYPERLINK("http://evil.example")'
FORMULA = '=HYPERLINK("http://evil.example","Trygghet")'

_ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")
_MARKUP = re.compile(r"!\[|\]\(|<[A-Za-z!/]|\]:")
_AUTOLINK = re.compile(r"(?i)https?://|www\.|[\w.+-]@[\w-]+\.\w")


def fetchable(markdown: str) -> bool:
    """Would GitHub-flavoured markdown make an image, a link or HTML of this text?"""
    resolved = _ESCAPED.sub(lambda m: m.group(0)[1], markdown)
    return bool(_MARKUP.search(_ESCAPED.sub("§", markdown)) or _AUTOLINK.search(resolved))


@pytest.mark.parametrize("text", [IMAGE_TITLE, KOMMUN, NOTE, "<img src=x>", "[a]: http://e.x"])
def test_escaped_text_is_nothing_to_fetch(text):
    assert fetchable(text)
    assert not fetchable(escape_markdown(text))


def test_escaped_text_reads_as_written():
    shown = _ESCAPED.sub(lambda m: m.group(0)[1], escape_markdown(NOTE)).replace("\u2060", "")
    assert shown == NOTE


def test_formula_cells_are_inert_and_others_unchanged():
    frame = pd.DataFrame({"text": [FORMULA, "-12", "Trygghet", None], "n": [1, 2, 3, 4]})
    safe = formula_safe(frame)
    assert safe["text"].tolist()[:3] == ["'" + FORMULA, "-12", "Trygghet"]
    assert safe["n"].tolist() == [1, 2, 3, 4]
    assert not any(exports.formula_like(v) for v in safe["text"].dropna())


def _rewrite(data: Path, name: str, change) -> None:
    path = data / f"{name}.parquet"
    write_atomic(to_arrow(change(pd.read_parquet(path)), name), path)


@pytest.fixture(scope="module")
def hostile(demo_dir, tmp_path_factory) -> Path:
    """The demo with a hostile pledge title, kommun name, note and indicator name."""
    data = Path(shutil.copytree(demo_dir, tmp_path_factory.mktemp("hostile") / "data"))
    _rewrite(data, "pledges", lambda f: f.assign(title=IMAGE_TITLE))
    _rewrite(data, "municipalities", lambda f: f.assign(kommun=f["kommun"].where(f["kommun_kod"] != "1462", KOMMUN)))
    _rewrite(data, "indicators", lambda f: f.assign(name_sv=FORMULA))
    commitment = pd.read_parquet(data / "commitments.parquet").query("pledge_id == 'lilla_edet_2025'").iloc[0]
    follow_up.record_update(data, Author("=cmd|' /C calc'!A0"), commitment["commitment_id"], "pagar", 50, NOTE)
    return data


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def rendered_markdown(at) -> list[str]:
    """Every text of the page that Streamlit renders as markdown (but the app's own HTML)."""
    texts = []
    for node in _walk(at._tree):
        if getattr(getattr(node, "proto", None), "allow_html", False):
            continue
        texts += [str(getattr(node, attr)) for attr in ("label", "help") if getattr(node, attr, None)]
        if node.type in {"markdown", "caption", "title", "header", "subheader", "alert", "metric", "table"}:
            value = node.value
            texts += [str(v) for v in value.to_numpy().ravel()] if isinstance(value, pd.DataFrame) else [str(value)]
    return texts


@pytest.mark.parametrize(
    ("page", "query"),
    [("oversikt", {}), ("loften", {"kommun": "1462"}), ("indikatorer", {"kommun": "1462"}), ("karta", {})],
)
def test_no_page_renders_fetchable_markup(render, hostile, page, query):
    at = render(hostile, page, query=query)
    assert not at.exception
    texts = rendered_markdown(at)
    assert [t for t in texts if fetchable(t)] == []
    if page == "loften":
        assert any("evil" in t for t in texts)  # the hostile texts are shown, as text


def test_the_indicator_table_shows_names_as_text(render, hostile):
    """Indikatorer's table is HTML (no CSV download to guard): names are escaped text in it."""
    at = render(hostile, "indikatorer", query={"kommun": "1462"})
    body = next(e.proto.body for e in at.get("html") if 'class="lb-indicators"' in e.proto.body)
    assert html.escape(FORMULA) in body and FORMULA not in body  # its quotes are entities
    assert "<a " not in body and all(src.startswith("data:") for src in re.findall(r'src="([^"]*)"', body))
    assert FORMULA in page_text(at) and KOMMUN in page_text(at)  # shown as written
