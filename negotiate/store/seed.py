"""The sample workspace of a first launch."""
from __future__ import annotations

from pathlib import Path


def seed(store, corpora: Path, realtexts: Path | None = None) -> None:
    """A workspace that shows something at first launch: our corpus in three
    versions with the delegations' proposals, and the Paris drafts when
    ../shared/realtexts is there."""
    if store.negotiations():
        return
    nid = store.create_negotiation("Chemicals framework (sample)", "SAICM/TEST/IP.2/2")
    for label, name, date in (("Compilation", "framework-v1-compilation.docx", "2026-01-15"),
                              ("Streamlined", "framework-v2-streamlined.docx", "2026-02-20"),
                              ("Revised", "framework-v3-revised.docx", "2026-03-30")):
        store.add(nid, (corpora / name).read_bytes(), name, label, date=date)
    store.add(nid, (corpora / "framework-v1-compilation.txt").read_bytes(), "framework-v1-compilation.txt",
              "Compilation", kind="proposal", party="G77/China")
    store.add(nid, (corpora / "framework-v3-revised.txt").read_bytes(), "framework-v3-revised.txt",
              "Revised", kind="proposal", party="EU")
    zid = store.create_negotiation("化学品框架 (示例)", "SAICM/TEST/ZH/1")
    for label, name in (("v1", "zh-framework-v1.docx"), ("v2", "zh-framework-v2.docx")):
        store.add(zid, (corpora / name).read_bytes(), name, label)
    paris = realtexts / "paris2015" if realtexts else None
    if paris and paris.exists():
        pid = store.create_negotiation("Paris Agreement 2015 (real drafts)", "FCCC/ADP/2015")
        for label, name, date in (("23 Oct", "agreement-23-oct-2015.md", "2015-10-23"),
                                  ("4 Dec", "agreement-4-dec-2015.md", "2015-12-04"),
                                  ("9 Dec", "agreement-9-dec-2015.md", "2015-12-09"),
                                  ("12 Dec (adopted)", "agreement-12-dec-2015.md", "2015-12-12"),
                                  ("29 Jan 2016 (corrected)", "agreement-29-jan-2016.md", "2016-01-29")):
            store.add(pid, (paris / name).read_bytes(), name, label, date=date)
