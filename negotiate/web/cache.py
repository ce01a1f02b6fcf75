"""Cached library calls, keyed on the stored files' sha256: pure functions of
their arguments, so st.cache_data may keep them across reruns and sessions."""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import streamlit as st

from .. import contracts, ingest, read
from ..store import Store, StoreDamaged, seed

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT / "corpora"
REALTEXTS = ROOT.parent / "shared" / "realtexts"


@st.cache_resource
def _shared_store() -> Store:
    """One store (one engine, one connection pool) for every session of this
    process; checked once on open (issue 14.7), seeded only in local mode."""
    from ..store import server_mode
    s = Store()
    if not server_mode():
        seed(s, CORPORA, REALTEXTS if REALTEXTS.exists() else None)
    s.problems = s.check()
    return s


def store() -> Store:
    """The store as the person using this page: the one way pages get it.
    Local mode: the local user, who may do everything. Server mode: a view
    bound to the signed-in person, in which every operation checks the rules."""
    from . import server
    try:
        s = _shared_store()
    except StoreDamaged as e:
        st.error(e.oneline())
        st.stop()
    return s.as_user(server.acting_user())


def _readable(sha: str) -> None:
    """The cached reading below is shared by every session: ask the store,
    as this session's person, whether they may read the file, before the cache."""
    s = store()
    if not s.may_read(sha):
        from ..store import AccessDenied
        raise AccessDenied(f"no stored file {sha[:12]}… is visible to {s.user.email}")


_SHA = re.compile(r"[0-9a-f]{64}")


def _shas(args):
    """The stored files an argument list names: a sha256 string, or a key tuple
    (sha256, filename, reading), or tuples of those."""
    for a in args:
        if isinstance(a, str) and _SHA.fullmatch(a):
            yield a
        elif isinstance(a, tuple):
            yield from _shas(a)


def _checked(**cache_options):
    """st.cache_data, with the access check first: cached results are shared by every
    session of the process, so a hit must not hand one person a result computed from
    another's file. Every stored file the arguments name is checked, as this session's
    person, before the cache is asked (issue 18: privacy between delegations)."""
    def deco(fn):
        cached = st.cache_data(show_spinner=False, **cache_options)(fn)

        @functools.wraps(fn)
        def wrapper(*args, **kw):
            for sha in dict.fromkeys(_shas(args + tuple(kw.values()))):
                _readable(sha)
            return cached(*args, **kw)
        wrapper.clear = cached.clear
        return wrapper
    return deco


def document(sha: str, name: str, reading: str = ""):
    _readable(sha)
    return _document(sha, name, reading)


@st.cache_data(max_entries=64, show_spinner=False)
def _document(sha: str, name: str, reading: str = ""):
    from ..errors import NegotiateError
    try:
        data = _shared_store().get_file(sha)
    except OSError as e:            # missing, or its sha256 no longer matches: one line, as for bad input
        raise NegotiateError(name, str(e)) from None
    return read(name, data=data, name=name, ocr=reading == "ocr")


@_checked(max_entries=32)
def alignment(a: tuple[str, ...], b: tuple[str, ...]):
    """The alignment of two stored versions: Compare and Trace share it, so a trace through
    versions already compared (or a comparison of versions already traced) aligns only the rest."""
    from ..align import align
    return align(document(*a), document(*b))


@_checked(max_entries=16)
def comparison(a: tuple[str, ...], b: tuple[str, ...]):
    from ..compare import compare
    return compare(document(*a), document(*b), alignment=alignment(a, b))


@_checked(max_entries=16)
def exports(a: tuple[str, ...], b: tuple[str, ...], author: str) -> dict[str, bytes]:
    from ..export import html, redline
    c = comparison(a, b)
    docx, _, _ = redline.render(c, author, new_data=store().get_file(b[0]), old_data=store().get_file(a[0]))  # NEW's own package
    return {"docx": docx, "html": html.render(c).encode("utf-8"),
            "json": json.dumps(contracts.compare_json(c), ensure_ascii=False, indent=2).encode("utf-8")}


@_checked(max_entries=4)
def comparison_pdf(a: tuple[str, ...], b: tuple[str, ...], title: str) -> bytes:
    from ..export import pdf
    return pdf.comparison(comparison(a, b), title)


@_checked(max_entries=8)
def chains(docs: tuple[tuple[str, ...], ...]):
    from ..trace import trace
    return trace([document(*d) for d in docs], alignments=[alignment(a, b) for a, b in zip(docs, docs[1:])])


@_checked(max_entries=32)
def brackets_report(doc: tuple[str, ...]):
    from ..brackets import analyse
    return analyse(document(*doc))


@_checked(max_entries=8)
def consolidation(base: tuple[str, ...], proposals: tuple[tuple[str, ...], ...], parties: tuple[str, ...]):
    from ..consolidate import build
    return build(document(*base), [document(*p) for p in proposals], list(parties))


@_checked(max_entries=8)
def tracked_proposals(base: tuple[str, ...], proposals: tuple[tuple[str, ...], ...], parties: tuple[str, ...]) -> bytes:
    """The proposals as tracked changes by party, written into the base's own package when it
    is a .docx (its styles, numbering and notes; each party's words in its own formatting)."""
    from ..export.proposals import to_bytes
    c = consolidation(base, proposals, parties)
    return to_bytes(c, base_data=store().get_file(base[0]),
                    party_data={party: store().get_file(p[0]) for p, party in zip(proposals, parties)})[0]


@_checked(max_entries=8)
def consolidated_docx(c_key: tuple, base_sha: str, picks: tuple[tuple[int, str], ...]) -> bytes:
    """The bracketed consolidated .docx (with the compromises picked), written into the
    base's own package when it is a .docx. `c_key`: how the consolidation was made —
    ("proposals", base, proposals, parties) or ("inputs", the party-inputs draft)."""
    from ..export import bracketed
    c = consolidation(*c_key[1:]) if c_key[0] == "proposals" else consolidation_of_inputs(*c_key[1:])
    return bracketed.to_bytes(c, picks=dict(picks), base_data=store().get_file(base_sha))


@_checked(max_entries=256)
def language(sha: str, name: str, reading: str = "") -> str:
    """A stored file's language: a string, cheap to hand out on every rerun (a cached
    Document is copied each time it is returned)."""
    return document(sha, name, reading).language


@_checked(max_entries=64)
def document_as(sha: str, name: str, reading: str = "", revisions: str = "accept"):
    """A stored .docx read with its tracked changes accepted, rejected or kept as marks."""
    return read(name, data=store().get_file(sha), name=name, ocr=reading == "ocr", revisions=revisions)


@_checked(max_entries=8)
def party_inputs(doc: tuple[str, ...]):
    """One .docx whose tracked changes are the delegations' proposals → (base, proposals, authors)."""
    from ..ingest.revisions import proposals_from_revisions
    return proposals_from_revisions(document_as(*doc, revisions="markup"))


@_checked(max_entries=8)
def consolidation_of_inputs(doc: tuple[str, ...]):
    from ..consolidate import build
    base, proposals, parties = party_inputs(doc)
    return build(base, proposals, parties)


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPORA.iterdir() if p.suffix in ingest.extensions() and p.name != "README.md")


def upload_types() -> list[str]:
    """The extensions the uploader accepts, without their dot: every registered reader's."""
    return [e.lstrip(".") for e in ingest.extensions()]

