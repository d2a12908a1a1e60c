"""The app's CSS: large type and no faint greys, readable at four metres."""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
  /* Readable at four metres: big numbers, bold headings, no faint greys. */
  [data-testid="stMetricLabel"] p { font-size: 1.05rem; font-weight: 600; color: #1A1A1A; }
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * { color: #2B2B2B !important; }
  .lb-summary { font-size: 1.1rem; font-weight: 600; padding: .35rem .6rem;
                background: #EEF1F5; border-left: 6px solid #0B4F9C; margin-bottom: .8rem; }
  .lb-mode { display: inline-block; padding: .1rem .5rem; border: 2px solid #0A0A0A;
             font-weight: 700; font-size: .85rem; }
  /* Status badges (vocab.STATUSES): white bold text on the status colour, large enough for 3:1. */
  .lb-status { display: inline-block; padding: .1rem .55rem; border-radius: .3rem; color: #FFFFFF;
               font-weight: 700; font-size: 1.15rem; white-space: nowrap; }
  .lb-item { font-size: 1.2rem; font-weight: 600; color: #0A0A0A; line-height: 1.35; }
  .lb-meta { font-size: 1rem; color: #1A1A1A; margin-top: .3rem; }
  /* Streamlit has no Swedish: the uploader's English texts are replaced here (DOM of Streamlit 1.67). */
  [data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
  [data-testid="stFileUploaderDropzoneInstructions"] span::after {
    content: "Dra och släpp en fil här"; font-size: 1rem; }
  [data-testid="stFileUploaderDropzone"] button { font-size: 0; }
  [data-testid="stFileUploaderDropzone"] button::after { content: "Välj fil"; font-size: 1rem; }
  [data-testid="stFileUploaderDropzone"] button svg { display: none; }
</style>
"""


def apply_css() -> None:
    st.html(_CSS)


