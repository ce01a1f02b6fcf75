"""Each party's proposals as Word tracked changes by that party."""
import subprocess
import sys

import pytest

from negotiate import consolidate as cs
from negotiate import read
from negotiate.export import proposals

from .conftest import CORPORA, soffice

DATE = "2026-03-01T10:00:00Z"


def lines(blocks):
    return [" ".join((label + " " + text).split()) for label, text in blocks]


def party_view(doc, party):
    """What a reader gets in Word by accepting this party's changes and rejecting
    everyone else's (an author "EU, Norway" is both), and taking the party's
    comments to delete a paragraph."""
    dropped = {c.block for c in doc.comments if c.author == party}
    out = []
    for b in doc.blocks:
        if b.index in dropped:
            continue
        text, pos = [], 0
        for r in sorted(b.revisions, key=lambda r: r.start):
            text.append(b.text[pos:r.start])
            mine = party in [a.strip() for a in r.author.split(",")]
            if (r.kind == "ins") == mine:
                text.append(b.text[r.start:r.end])
            pos = r.end
        text.append(b.text[pos:])
        t = "".join(text)
        if t.strip() or b.label and not b.revisions:     # a heading that is only a label
            out.append(" ".join((b.label + " " + t).split()))
    return out


CASES = [("framework-v1-compilation.txt", ["framework-v2-streamlined.txt", "framework-v3-revised.txt"], ["EU", "G77/China"]),
         ("zh-framework-v1.txt", ["zh-framework-v2.txt"], ["中国"]),
         # A .docx base: the proposals go into the base's own package.
         ("framework-v1-compilation.docx", ["framework-v2-streamlined.docx", "framework-v3-revised.docx"], ["EU", "G77/China"]),
         ("zh-framework-v1.docx", ["zh-framework-v2.docx"], ["中国"])]


@pytest.mark.parametrize("base,props,parties", CASES)
def test_reject_all_is_the_base_and_each_party_sees_its_proposal(tmp_path, base, props, parties):
    b = read(CORPORA / base)
    c = cs.build(b, [read(CORPORA / p) for p in props], parties)
    out = tmp_path / "tracked.docx"
    n = proposals.write(c, out, date=DATE)
    assert n > 0
    rejected = read(out, revisions="reject")
    assert lines((x.label, x.text) for x in rejected.blocks) == lines((x.label, x.text) for x in b.blocks)
    marked = read(out, revisions="markup")
    authors = {r.author for x in marked.blocks for r in x.revisions}
    assert {a.strip() for who in authors for a in who.split(",")} == set(parties)
    assert all(r.date.startswith("2026-03-01") for x in marked.blocks for r in x.revisions)
    for p in parties:
        want = [" ".join(((u.label + "\t" if u.label else "") + u.text_of(p)).split())
                for u in c.units if p in u.labels]
        assert party_view(marked, p) == want, p


def test_round_trip_from_a_docx_of_tracked_changes(tmp_path):
    """The party-inputs draft (tracked changes by delegation) → consolidated →
    tracked changes again: each delegation's view is its proposal."""
    doc = read(CORPORA / "framework-v2-party-inputs.docx", revisions="markup")
    base, props, parties = cs.proposals_from_revisions(doc)
    c = cs.build(base, props, parties)
    out = tmp_path / "again.docx"
    proposals.write(c, out, date=DATE)
    marked = read(out, revisions="markup")
    for p, prop in zip(parties, props):
        assert party_view(marked, p) == [" ".join((x.label + " " + x.text).split()) for x in prop.blocks], p


def test_libreoffice_sees_each_change(tmp_path):
    exe = soffice()
    c = cs.build(read(CORPORA / CASES[0][0]), [read(CORPORA / p) for p in CASES[0][1]], CASES[0][2])
    out = tmp_path / "tracked.docx"
    n = proposals.write(c, out, date=DATE)
    subprocess.run([exe, "--headless", "--convert-to", "fodt", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=180)
    fodt = out.with_suffix(".fodt").read_text(encoding="utf-8")
    assert fodt.count("<text:changed-region") == n
    assert fodt.count("<office:annotation>") + fodt.count("<office:annotation ") == \
        sum(len(u.absent) for u in c.units if u.in_base)        # one comment per proposed paragraph deletion


def test_cli_tracked(tmp_path):
    out = tmp_path / "t.docx"
    res = subprocess.run([sys.executable, "-m", "negotiate", "consolidate", str(CORPORA / CASES[0][0]),
                          *[str(CORPORA / p) for p in CASES[0][1]], "--party", "EU", "--party", "G77/China",
                          "-o", str(out), "--tracked"], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert "tracked changes by party" in res.stdout
    assert {r.author for b in read(out, revisions="markup").blocks for r in b.revisions} >= {"EU", "G77/China"}
    bad = subprocess.run([sys.executable, "-m", "negotiate", "consolidate", str(CORPORA / CASES[0][0]),
                          str(CORPORA / CASES[0][1][0]), "--party", "EU", "-o", str(tmp_path / "t.txt"), "--tracked"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "--tracked" in bad.stderr


def test_docx_base_keeps_its_package(tmp_path):
    """Tracked proposals and the bracketed text are written into the base's own
    package: its styles and numbering definitions are the base's, labels stay automatic."""
    import zipfile

    from negotiate.export import bracketed
    base = CORPORA / "framework-v1-compilation.docx"
    c = cs.build(read(base), [read(CORPORA / p) for p in CASES[2][1]], CASES[2][2])
    tracked, plain = tmp_path / "t.docx", tmp_path / "b.docx"
    proposals.write(c, tracked, date=DATE)
    bracketed.write(c, plain)
    src = zipfile.ZipFile(base)
    for out in (tracked, plain):
        z = zipfile.ZipFile(out)
        assert z.read("word/styles.xml") == src.read("word/styles.xml")
        assert z.read("word/numbering.xml") == src.read("word/numbering.xml")
        assert b"<w:numPr>" in z.read("word/document.xml")
    got = [" ".join((b.label + " " + b.text).split()) for b in read(plain).blocks if b.kind != "footnote"]
    want = [" ".join((lab + " " + t).split()) for _, lab, t in bracketed.paragraphs(c)]
    assert got == want
    doc = zipfile.ZipFile(plain).read("word/document.xml").decode()
    assert "<w:i/>" in doc and "(EU" in doc        # attributions in italics


def test_bracketed_docx_italicises_the_attributions_it_wrote_not_the_text(tmp_path):
    """The bracketed .docx sets in italics the attributions the renderer wrote, known as
    such; a delegation's name in parentheses in the negotiated text itself (here the base's
    "(EU)") stays roman — the writer used to guess attributions from the words."""
    from negotiate.export import bracketed
    (tmp_path / "base.txt").write_text("1. The Union (EU) shall report every three years.\n", encoding="utf-8")
    (tmp_path / "eu.txt").write_text("1. The Union (EU) shall report every two years.\n", encoding="utf-8")
    (tmp_path / "us.txt").write_text("1. The Union (EU) shall report every five years.\n", encoding="utf-8")
    c = cs.build(read(tmp_path / "base.txt"), [read(tmp_path / "eu.txt"), read(tmp_path / "us.txt")], ["EU", "US"])
    pieces = [p for _, lab, t in bracketed._paragraphs(c, None, None, marked=True) for p in bracketed._pieces(t, set(c.parties))]
    italic = [t for t, it in pieces if it]
    assert italic and all(t.startswith("(") and t.endswith(")") for t in italic)
    assert "(EU)" in italic and "(US)" in italic
    assert any("The Union (EU) shall" in t for t, it in pieces if not it)
    out = tmp_path / "b.docx"
    bracketed.write(c, out)
    assert [b.text for b in read(out).blocks] == [t for _, _, t in bracketed.paragraphs(c)]
    assert "\ufdd0" not in "".join(b.text for b in read(out).blocks)


def test_party_inputs_docx_consolidated_in_its_own_package(tmp_path):
    """The COP29 party-inputs draft, whose tracked changes are the delegations' proposals: both the
    bracketed and the --tracked output are that document's own package written from its rejected
    text — the delegations' original insertions do not stay beside their bracketed options, and
    the 95 comments, the endnotes, styles and numbering are all kept."""
    import zipfile

    from negotiate.ingest.revisions import proposals_from_revisions
    from negotiate.ooxml import review_package

    from .conftest import realtext
    src = realtext("art6-2-cop29/art6-2-cma-draft-decision-party-inputs.docx")
    base, props, parties = proposals_from_revisions(read(src, revisions="markup"))
    c = cs.build(base, props, parties)
    # the running headers and footers are the base's, not paragraphs the parties added ("xiv bis 3"),
    # and a cell no party numbered takes no label ("Annex bis")
    assert not [u for u in c.units if not u.in_base and u.kind in ("header", "footer")]
    assert not [u for u in c.units if not u.in_base and u.label]
    names_in = set(zipfile.ZipFile(src).namelist())
    bracketed, tracked = tmp_path / "b.docx", tmp_path / "t.docx"
    for out, extra in ((bracketed, []), (tracked, ["--tracked"])):
        subprocess.run([sys.executable, "-m", "negotiate", "consolidate", str(src), "-o", str(out), "--date", DATE, *extra],
                       check=True, capture_output=True)
        z = zipfile.ZipFile(out)
        assert names_in <= set(z.namelist())
        assert z.read("word/comments.xml").count(b"<w:comment ") >= 95
    z = zipfile.ZipFile(bracketed)
    for part in ("word/document.xml", "word/endnotes.xml"):
        assert b"<w:ins " not in z.read(part) and b"<w:del " not in z.read(part)
    text = " ".join(b.text for b in read(bracketed).blocks)
    assert "(Joaquim Barris)" in text and "(Xavier Tibau Alberdi)" in text
    # the tracked output: rejecting every change gives the base, accepting one party's gives its proposal
    data = tracked.read_bytes()
    (tmp_path / "rej.docx").write_bytes(review_package(data, accept=False))
    assert [(b.label, b.text) for b in read(tmp_path / "rej.docx").blocks] == [(b.label, b.text) for b in base.blocks]
    # …for every party, table rows included ("Vintages" → "Vintager", a cell whose note letter
    # one delegation changed, used to be dropped and its new text written into the cell before)
    for k, party in enumerate(parties):
        (tmp_path / f"p{k}.docx").write_bytes(review_package(review_package(data, accept=True, author=party), accept=False))
        got = read(tmp_path / f"p{k}.docx")
        assert [(b.label, b.kind, b.text) for b in got.blocks] == [(b.label, b.kind, b.text) for b in props[k].blocks], party
        assert [b.marker for b in got.blocks if b.kind == "table cell"] == \
            [b.marker for b in props[k].blocks if b.kind == "table cell"], party


def test_a_new_paragraph_in_place_of_a_cell_stands_in_that_cell(tmp_path):
    """A party replacing a cell's words with words too unlike them to be paired: its new paragraph
    is written in that cell (before the base's, which that party proposes to delete), in the
    tracked and in the bracketed output — not at the end of the cell before."""
    import re
    import zipfile

    from .test_export_docx import _d, _i, cell, make_docx, para, table
    row = [cell(para("Alpha heading of the first column")),
           cell(para(runs=_d("Bravo column heading") + _i("Quite unrelated wording instead"))),
           cell(para("Charlie heading of the third column"))]
    src = tmp_path / "base.docx"
    src.write_bytes(make_docx(para("1. The Parties shall cooperate on the matters below.") + table(row)
                              + para("2. The Parties shall report on the table above.")))
    for name, extra in (("t.docx", ["--tracked"]), ("b.docx", [])):
        subprocess.run([sys.executable, "-m", "negotiate", "consolidate", str(src), "-o", str(tmp_path / name), "--date", DATE,
                        *extra], check=True, capture_output=True)
        xml = zipfile.ZipFile(tmp_path / name).read("word/document.xml").decode()
        cells = [re.sub(r"<w:delText[^>]*>.*?</w:delText>", "", tc) for tc in re.findall(r"<w:tc>.*?</w:tc>", xml, re.S)]
        texts = ["".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", tc)) for tc in cells]
        assert len(texts) == 3 and texts[0] == "Alpha heading of the first column", name
        assert texts[1].startswith("Quite unrelated wording instead"), name
