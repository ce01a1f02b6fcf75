"""HTML → PDF with WeasyPrint: the printable comparison (and any page export/html makes).

WeasyPrint lays out with Pango and fontconfig, so the Noto fonts installed on the
system give Chinese (Noto Serif/Sans CJK) and Arabic (Noto Naskh/Sans Arabic)
their glyphs; nothing is fetched: every URL a document names is refused."""
from __future__ import annotations

# A user stylesheet: `!important` so that it wins over the page's own (author) rules.
PRINT_CSS = """
@page{size:A4;margin:16mm 14mm 18mm;@bottom-center{content:counter(page) " / " counter(pages);font:9pt sans-serif}}
body{font-family:"Noto Serif","Noto Naskh Arabic","Noto Sans Arabic","Noto Serif CJK SC","Noto Sans CJK SC",serif !important;
     font-size:10pt !important;margin:0 !important;max-width:none !important}
h1,h2,.op,.summary{font-family:"Noto Sans","Noto Sans Arabic","Noto Sans CJK SC",sans-serif !important}
nav{display:none} table.sbs tr{break-inside:avoid} h2{break-after:avoid}
table.sbs{table-layout:fixed !important;width:100% !important}
"""
# The side-by-side table in a fixed layout (two equal columns, as the page's own CSS asks with
# width:50%): an automatic table layout measures every cell's minimum and maximum content width
# first — line-breaking the whole text once more — which was 30% of a 93-page PDF's time.


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"not fetched: {url[:80]}")


def _fetcher():
    """Only data: URLs (WeasyPrint ≥ 68 takes a URLFetcher; older versions a function)."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:
        return _no_fetch
    return URLFetcher(allowed_protocols=["data"])


def from_html(html: str) -> bytes:
    """A PDF of a standalone HTML page (UTF-8), printed on A4 with page numbers."""
    from weasyprint import CSS, HTML
    return HTML(string=html, url_fetcher=_fetcher()).write_pdf(stylesheets=[CSS(string=PRINT_CSS)])


def comparison(cmp, title: str = "") -> bytes:
    """A comparison's printable PDF: the summary and the side-by-side view (the inline
    view of the HTML page would double the pages and the time)."""
    from . import html
    page = html.render(cmp, title)
    a, b = page.find('<h2 id="inline">'), page.find('<h2 id="side-by-side">')
    if 0 <= a < b:
        page = page[:a] + page[b:]
    return from_html(page)
