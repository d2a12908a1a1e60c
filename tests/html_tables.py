"""The rows of HTML tables as text, for tests that read what a page or a report shows."""

from __future__ import annotations

from html.parser import HTMLParser


class _Rows(HTMLParser):
    def __init__(self, group: tuple[str, str] | None):
        super().__init__()
        self.group_tag, self.group_attr = group or (None, None)
        self.rows: list[tuple[str | None, list[str]]] = []
        self.group, self.cell = None, None

    def handle_starttag(self, tag, attrs):
        if tag == self.group_tag:
            self.group = dict(attrs).get(self.group_attr)
        elif tag == "tr":
            self.rows.append((self.group, []))
        elif tag in ("td", "th") and self.rows:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1][1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, group: tuple[str, str] | None = None) -> list[tuple[str | None, list[str]]]:
    """Every table row's cell texts, each with the value of attribute `group[1]` of the
    latest `group[0]` element before it (e.g. ("section", "id"); None without one)."""
    parser = _Rows(group)
    parser.feed(html)
    return parser.rows
