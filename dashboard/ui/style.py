"""The app's CSS: large type and no faint greys, readable at four metres, and
Streamlit's own English texts replaced by Swedish ones."""

from __future__ import annotations

import streamlit as st

#: Streamlit has no Swedish. Each of its texts the user can see is hidden where it
#: is drawn (font size 0, over any other rule) and drawn again in Swedish (::after),
#: at the size Streamlit gives it. Selectors are the DOM of Streamlit 1.67 (its static/js).
_TOOLTIP = 'body:has([data-testid="stElementToolbar"] button[aria-label="{}"]:hover) [data-testid="stTooltipContent"] p'
SWEDISH = (
    # The file uploader.
    ('[data-testid="stFileUploaderDropzoneInstructions"] span', "Dra och släpp en fil här", "1rem"),
    ('[data-testid="stFileUploaderDropzone"] button p', "Välj fil", ".875rem"),
    # Multiselect and selectbox lists: the bulk choices, a typed new choice and no match.
    ('[role="option"][data-key="__select_all__"] > div', "Välj alla", ".875rem"),
    ('[role="option"][data-key="__select_matches__"] > div', "Välj alla träffar", ".875rem"),
    ('[role="option"][data-key="__creatable__"] > div', "Lägg till det du skrivit", ".875rem"),
    ('[role="listbox"] [role="option"]:not([data-key]) > span', "Inga träffar", ".875rem"),
    # A table without rows.
    ('[data-testid="stTableStyledEmptyTableCell"]', "inga rader", "max(.875rem, 20px)"),  # a slide's least size
    # The date field's empty year (the field is always laid out in en-US).
    ('[data-testid="stDateInputField"] [data-type="year"][data-placeholder]', "åååå", "inherit"),
    # The toolbar over tables and charts: its tooltips, and the table's search box.
    *((_TOOLTIP.format(english), swedish, ".875rem") for english, swedish in (
        ("Fullscreen", "Helskärm"), ("Close fullscreen", "Stäng helskärm"),
        ("Show/hide columns", "Visa eller dölj kolumner"), ("Download as CSV", "Ladda ner som CSV"),
        ("Search", "Sök"), ("Clear selection", "Rensa markeringen"),
    )),
    ('[data-testid="stDataFrame"] label[for^="search-box"]', "Skriv för att söka", ".8125rem"),
)  # fmt: skip


def _swedish_css() -> str:
    return "\n".join(
        f'  {selector} {{ font-size: 0 !important; }}\n  {selector}::after {{ content: "{text}"; font-size: {size}; }}'
        for selector, text, size in SWEDISH
    )


_CSS = f"""
<style>
  /* Readable at four metres: big numbers, bold headings, no faint greys. */
  [data-testid="stMetricLabel"] p {{ font-size: 1.05rem; font-weight: 600; color: #1A1A1A; }}
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{ color: #2B2B2B !important; }}
  .lb-summary {{ font-size: 1.1rem; font-weight: 600; padding: .35rem .6rem;
                background: #EEF1F5; border-left: 6px solid #0B4F9C; margin-bottom: .8rem; }}
  .lb-mode {{ display: inline-block; padding: .1rem .5rem; border: 2px solid #0A0A0A;
             font-weight: 700; font-size: .85rem; }}
  /* Status badges (vocab.STATUSES): white bold text on the status colour, large enough for 3:1. */
  .lb-status {{ display: inline-block; padding: .1rem .55rem; border-radius: .3rem; color: #FFFFFF;
               font-weight: 700; font-size: 1.15rem; white-space: nowrap; }}
  .lb-item {{ font-size: 1.2rem; font-weight: 600; color: #0A0A0A; line-height: 1.35; }}
  .lb-meta {{ font-size: 1rem; color: #1A1A1A; margin-top: .3rem; }}
  /* The indicator table (report.html.indicator_table): it scrolls in its box, its header stays. */
  .lb-indicators {{ max-height: 560px; overflow-y: auto; border: 1px solid #C9CED6; border-radius: .4rem; }}
  .lb-indicators table {{ width: 100%; border-collapse: collapse; font-size: 1rem; color: #0A0A0A; }}
  .lb-indicators th, .lb-indicators td {{ padding: .3rem .6rem; text-align: left; vertical-align: middle;
                                         border-bottom: 1px solid #E1E4E8; }}
  .lb-indicators thead th {{ position: sticky; top: 0; z-index: 1; background: #FFFFFF; }}
  .lb-indicators tr.group th {{ background: #EEF1F5; padding-top: .5rem; }}
  .lb-indicators .direction {{ font-weight: 400; margin-left: .6rem; }}
  .lb-indicators .verdict {{ padding-left: .4rem; border-left: 5px solid transparent; white-space: nowrap; }}
  .lb-indicators .verdict.good {{ border-left-color: #009E73; }}
  .lb-indicators .verdict.bad {{ border-left-color: #D55E00; }}
  /* Status per actor (commitments.status_bars_html): a bar of status-coloured segments per actor. */
  .lb-bars {{ display: grid; grid-template-columns: max-content 1fr; gap: .7rem 1rem; align-items: center;
             margin-top: 1rem; font-size: 1.1rem; }}
  .lb-bar {{ display: flex; height: 2.8rem; }}
  .lb-bar > span {{ display: flex; align-items: center; justify-content: center; overflow: hidden;
                   color: #FFFFFF; font-weight: 700; }}
  /* Swedish for Streamlit's own texts (SWEDISH). */
{_swedish_css()}
  /* The date picker's quick ranges are English and repeat the filter's own periods. */
  [data-testid="stDateInputQuickSelect"] {{ display: none; }}
</style>
"""


def apply_css() -> None:
    st.html(_CSS)
