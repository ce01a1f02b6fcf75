"""Agreed language: a library of adopted texts, and the precedents of a draft's wording.

    from negotiate.precedents import Library, find
    lib = Library()                       # NEGOTIATE_HOME/library, or the shared database in server mode
    lib.add(read("A-RES-78-272.txt"))
    result = find(read("draft.docx"), lib)   # Precedents: matches with spans and sources

Stages, one module each: `units` (text → words/characters and shingle hashes), `library`
(documents, paragraphs and the shingle index, SQLite or PostgreSQL), `search` (candidates,
verification by alignment, ranking), `plant` (drafts with known truth, for tests and the bench).
"""
from __future__ import annotations

from .library import Library, find_date, read_into
from .search import Options, agreed, as_document, citation, find, spans

__all__ = ["Library", "Options", "find", "citation", "spans", "agreed", "as_document", "find_date", "read_into"]
