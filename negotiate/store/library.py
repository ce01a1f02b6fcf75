"""The library of adopted texts (negotiate.precedents.Library) as one person
may use it. The library itself knows nothing of people (the CLI's `negotiate
library` is the operator's); in the app every use goes through this view, so
the rule holds whatever the page shows:

  reading (what is in it, every search)   anyone with a role (adopted texts are published texts)
  adding and removing texts               the secretariat (and the local user / the operator)
  not signed in, or no role               nothing

Changes are written to the audit trail with the file's sha256.
"""
from __future__ import annotations

from .access import AccessDenied


class LibraryView:
    """`store.library(lib)`: `lib` bound to the store's acting person."""

    def __init__(self, library, store):
        self._lib = library
        self._store = store

    # -- the rules --------------------------------------------------------------------------------
    def _read(self) -> None:
        r = self._store.roles()
        r.need(r.read_published(), "read the library of adopted texts (ask the secretariat for a membership)")

    def _change(self, what: str) -> None:
        r = self._store.roles()
        r.need(r.manage(), f"{what} the library of adopted texts (the secretariat does)")

    def may_change(self) -> bool:
        r = self._store.roles()
        return r.manage()

    def __getattr__(self, name):
        # Anything not named below (the engine, the index…) is the library's insides: the operator's only.
        if self._store.user.everything:
            return getattr(self._lib, name)
        raise AccessDenied(f"{self._store.user.email} may not use the library's {name!r} directly")

    # -- reading: everything a search (precedents.find, agreed) and the pages use ---------------------
    @property
    def where(self) -> str:
        return self._lib.where

    def documents(self):
        self._read()
        return self._lib.documents()

    def paragraph_count(self) -> int:
        self._read()
        return self._lib.paragraph_count()

    def __len__(self) -> int:
        return self.paragraph_count()

    def frequencies(self, hashes):
        self._read()
        return self._lib.frequencies(hashes)

    def postings(self, hashes):
        self._read()
        return self._lib.postings(hashes)

    def paragraphs(self, ids):
        self._read()
        return self._lib.paragraphs(ids)

    def documents_by_id(self, ids):
        self._read()
        return self._lib.documents_by_id(ids)

    def document_map(self):
        self._read()
        return self._lib.document_map()

    # -- changing: the secretariat ----------------------------------------------------------------------
    def add(self, doc, path: str | None = None):
        self._change("add texts to")
        d = self._lib.add(doc, path)
        if d is not None:
            self._store._note("library text added", subject=d.symbol or d.path, detail=f"{d.path}; {d.paragraphs} paragraphs",
                             sha256=d.sha256)
        return d

    def add_many(self, docs):
        self._change("add texts to")
        out = self._lib.add_many(docs)
        for d in out:
            self._store._note("library text added", subject=d.symbol or d.path, detail=f"{d.path}; {d.paragraphs} paragraphs",
                             sha256=d.sha256)
        return out

    def add_blocks(self, info, blocks):
        return self.add_many([(info, blocks)])[0]

    def remove(self, what: str):
        self._change("remove texts from")
        gone = self._lib.remove(what)
        for d in gone:
            self._store._note("library text removed", subject=d.symbol or d.path, detail=d.path, sha256=d.sha256)
        return gone
