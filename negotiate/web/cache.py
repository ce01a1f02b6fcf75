"""Cached library calls, keyed on the stored files' sha256: pure functions of
their arguments, so st.cache_data may keep them across reruns and sessions."""
from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from .. import contracts, ingest, read
from ..store import Store, seed

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "corpora"
REALTEXTS = ROOT.parent / "shared" / "realtexts"


@st.cache_resource
def store() -> Store:
    s = Store()
    seed(s, CORPORA, REALTEXTS if REALTEXTS.exists() else None)
    return s


@st.cache_data(max_entries=64, show_spinner=False)
def document(sha: str, name: str, reading: str = ""):
    return read(name, data=store().get_file(sha), name=name, ocr=reading == "ocr")


@st.cache_data(max_entries=16, show_spinner=False)
def comparison(a: tuple[str, ...], b: tuple[str, ...]):
    from ..compare import compare
    return compare(document(*a), document(*b))


@st.cache_data(max_entries=16, show_spinner=False)
def exports(a: tuple[str, ...], b: tuple[str, ...], author: str) -> dict[str, bytes]:
    from ..export import html, redline
    c = comparison(a, b)
    docx, _, _ = redline.render(c, author, new_data=store().get_file(b[0]), old_data=store().get_file(a[0]))  # NEW's own package
    return {"docx": docx, "html": html.render(c).encode("utf-8"),
            "json": json.dumps(contracts.compare_json(c), ensure_ascii=False, indent=2).encode("utf-8")}


@st.cache_data(max_entries=4, show_spinner=False)
def comparison_pdf(a: tuple[str, ...], b: tuple[str, ...], title: str) -> bytes:
    from ..export import pdf
    return pdf.comparison(comparison(a, b), title)


@st.cache_data(max_entries=8, show_spinner=False)
def chains(docs: tuple[tuple[str, ...], ...]):
    from ..trace import trace
    return trace([document(*d) for d in docs])


@st.cache_data(max_entries=32, show_spinner=False)
def brackets_report(doc: tuple[str, ...]):
    from ..brackets import analyse
    return analyse(document(*doc))


@st.cache_data(max_entries=8, show_spinner=False)
def consolidation(base: tuple[str, ...], proposals: tuple[tuple[str, ...], ...], parties: tuple[str, ...]):
    from ..consolidate import build
    return build(document(*base), [document(*p) for p in proposals], list(parties))


@st.cache_data(max_entries=8, show_spinner=False)
def tracked_proposals(base: tuple[str, ...], proposals: tuple[tuple[str, ...], ...], parties: tuple[str, ...]) -> bytes:
    from ..export.proposals import build
    return build(consolidation(base, proposals, parties)).to_bytes()


@st.cache_data(max_entries=256, show_spinner=False)
def language(sha: str, name: str, reading: str = "") -> str:
    """A stored file's language: a string, cheap to hand out on every rerun (a cached
    Document is copied each time it is returned)."""
    return document(sha, name, reading).language


@st.cache_data(max_entries=64, show_spinner=False)
def document_as(sha: str, name: str, reading: str = "", revisions: str = "accept"):
    """A stored .docx read with its tracked changes accepted, rejected or kept as marks."""
    return read(name, data=store().get_file(sha), name=name, ocr=reading == "ocr", revisions=revisions)


@st.cache_data(max_entries=8, show_spinner=False)
def party_inputs(doc: tuple[str, ...]):
    """One .docx whose tracked changes are the delegations' proposals → (base, proposals, authors)."""
    from ..consolidate import proposals_from_revisions
    return proposals_from_revisions(document_as(*doc, revisions="markup"))


@st.cache_data(max_entries=8, show_spinner=False)
def consolidation_of_inputs(doc: tuple[str, ...]):
    from ..consolidate import build
    base, proposals, parties = party_inputs(doc)
    return build(base, proposals, parties)


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPORA.iterdir() if p.suffix in ingest.extensions() and p.name != "README.md")


def upload_types() -> list[str]:
    """The extensions the uploader accepts, without their dot: every registered reader's."""
    return [e.lstrip(".") for e in ingest.extensions()]

