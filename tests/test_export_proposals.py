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


# -- the words a party inserts, in that party's own formatting ----------------------------------

def _fr(text, rpr=""):
    """A run of `text` with run properties `rpr` (WordprocessingML inside w:rPr)."""
    return f'<w:r>{"<w:rPr>" + rpr + "</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


TIMES, ARIAL = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/>', '<w:rFonts w:ascii="Arial" w:hAnsi="Arial"/>'


def _runs(data: bytes, author: str | None = None, inserted: bool = True) -> list[tuple[str, str]]:
    """Each run of the body (only those inside a w:ins, by `author` or anyone's, unless
    `inserted` is False) as (text, its w:rPr serialized without namespaces, "" when it has
    none): the formatting Word shows the words in."""
    import io
    import re
    import zipfile

    from lxml import etree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    if inserted:
        runs = [r for ins in root.iter(w + "ins") if ins.getparent().tag != w + "rPr"
                and author in (None, ins.get(w + "author")) for r in ins.iter(w + "r")]
    else:
        runs = list(root.iter(w + "r"))
    out = []
    for r in runs:
        rpr = r.find(w + "rPr")
        xml = etree.tostring(rpr, encoding="unicode") if rpr is not None else ""
        out.append(("".join(t.text or "" for t in r.iter(w + "t")), re.sub(r' xmlns:\w+="[^"]*"', "", xml).replace("w:", "")))
    return out


def _formatting_case(tmp_path, eu_runs, g77_runs=None):
    from .test_export_docx import make_docx, para
    base = tmp_path / "base.docx"
    base.write_bytes(make_docx(para(runs=_fr("1. Parties shall report every three years.", TIMES))
                               + para(runs=_fr("2. The secretariat shall compile the reports.", TIMES))))
    files = [tmp_path / "eu.docx"]
    files[0].write_bytes(make_docx(eu_runs))
    if g77_runs is not None:
        files.append(tmp_path / "g77.docx")
        files[1].write_bytes(make_docx(g77_runs))
    return base, files


def _chars(runs, what: str) -> str:
    """The inserted characters whose run properties contain `what`."""
    return "".join(t for t, rpr in runs if what in rpr)


def test_a_partys_inserted_words_keep_its_bold_and_superscript(tmp_path):
    """A party's .docx proposal whose new words are bold and carry a superscript note letter:
    inside the tracked insertion they are bold and superscript as the party wrote them (its
    fonts too), not in the base's formatting where they go; reject all is still the base and
    accept all the party's text."""
    from negotiate.ooxml import review_package

    from .test_export_docx import para
    eu = (para(runs=_fr("1. Parties shall report every ", ARIAL) + _fr("two", ARIAL + "<w:b/>")
               + _fr(" years", ARIAL) + _fr("a", ARIAL + '<w:vertAlign w:val="superscript"/>') + _fr(".", ARIAL))
          + para(runs=_fr("2. The secretariat shall compile the reports.", ARIAL)))
    base, (eu_file,) = _formatting_case(tmp_path, eu)
    c = cs.build(read(base), [read(eu_file)], ["EU"])
    out = tmp_path / "t.docx"
    proposals.write(c, out, date=DATE)
    got = _runs(out.read_bytes(), "EU")
    assert "two" in "".join(t for t, _ in got) and "a" in "".join(t for t, _ in got)
    assert _chars(got, "<b/>") == "two", got
    assert _chars(got, '<vertAlign val="superscript"/>') == "a", got
    assert all("Arial" in rpr and "Times" not in rpr for t, rpr in got if t.strip()), got
    data = out.read_bytes()
    (tmp_path / "rej.docx").write_bytes(review_package(data, accept=False))
    (tmp_path / "acc.docx").write_bytes(review_package(data, accept=True))
    assert [b.text for b in read(tmp_path / "rej.docx").blocks] == [b.text for b in read(base).blocks]
    assert [b.text for b in read(tmp_path / "acc.docx").blocks] == [b.text for b in read(eu_file).blocks]
    # accepted, the party's words are the party's runs: "two" bold, the note letter superscript
    acc = _runs((tmp_path / "acc.docx").read_bytes(), inserted=False)
    assert _chars(acc, "<b/>") == "two" and _chars(acc, '<vertAlign val="superscript"/>') == "a", acc


def test_a_paragraph_a_party_adds_keeps_its_italics(tmp_path):
    """A whole paragraph a party adds comes as an inserted paragraph whose words are in the
    party's runs (italic where it set them in italics), its label typed as before."""
    from .test_export_docx import para
    eu = (para(runs=_fr("1. Parties shall report every three years.", TIMES))
          + para(runs=_fr("The Parties ", ARIAL) + _fr("may also", ARIAL + "<w:i/>") + _fr(" report on finance.", ARIAL))
          + para(runs=_fr("2. The secretariat shall compile the reports.", TIMES)))
    base, (eu_file,) = _formatting_case(tmp_path, eu)
    c = cs.build(read(base), [read(eu_file)], ["EU"])
    assert [u.in_base for u in c.units if u.kind != "header"] == [True, False, True]
    new = next(u for u in c.units if not u.in_base)
    out = tmp_path / "t.docx"
    proposals.write(c, out, date=DATE)
    got = _runs(out.read_bytes(), "EU")
    assert [t for t, _ in got] == [new.label, "The Parties ", "may also", " report on finance."], got
    assert _chars(got, "<i/>") == "may also", got
    assert [rpr for t, rpr in got if t == " report on finance."] == [f"<rPr>{ARIAL.replace('w:', '')}</rPr>"], got
    marked = read(out, revisions="markup")
    added = next(b for b in marked.blocks if "finance" in b.text)
    assert added.label == new.label and added.text == "The Parties may also report on finance."
    assert [(r.kind, r.author) for r in added.revisions] == [("ins", "EU")]


def test_the_same_words_in_two_formattings_take_the_first_partys(tmp_path):
    """Two parties proposing the same words, one in bold and one in italics: one insertion
    by both, in the formatting of the party named first — whichever that is."""
    from .test_export_docx import para

    def prop(rpr):
        return (para(runs=_fr("1. Parties shall report every ", ARIAL) + _fr("two", ARIAL + rpr) + _fr(" years.", ARIAL))
                + para(runs=_fr("2. The secretariat shall compile the reports.", ARIAL)))
    base, (eu_file, g77_file) = _formatting_case(tmp_path, prop("<w:b/>"), prop("<w:i/>"))
    for files, parties, want in (([eu_file, g77_file], ["EU", "G77"], "<b/>"), ([g77_file, eu_file], ["G77", "EU"], "<i/>")):
        c = cs.build(read(base), [read(f) for f in files], parties)
        out = tmp_path / "t.docx"
        proposals.write(c, out, date=DATE)
        got = _runs(out.read_bytes(), ", ".join(parties))
        assert _chars(got, want) == "two" and _chars(got, "<b/>" if want == "<i/>" else "<i/>") == "", (parties, got)


def test_without_the_partys_docx_its_words_take_the_base_formatting(tmp_path):
    """A party's proposal that is not a .docx, or whose bytes are not at hand, or changed since it
    was read: its words take the base's formatting where they go, as before. Given its bytes
    (`party_data`), they are in its own."""
    from negotiate.export.proposals import in_package

    from .test_export_docx import make_docx, para
    eu = (para(runs=_fr("1. Parties shall report every ", ARIAL) + _fr("two", ARIAL + "<w:b/>") + _fr(" years.", ARIAL))
          + para(runs=_fr("2. The secretariat shall compile the reports.", ARIAL)))
    base, (eu_file,) = _formatting_case(tmp_path, eu)
    txt = tmp_path / "eu.txt"
    txt.write_text("1. Parties shall report every two years.\n\n2. The secretariat shall compile the reports.\n", encoding="utf-8")
    data = eu_file.read_bytes()
    from_bytes = read("eu-upload.docx", data=data)          # no such file: its bytes are not at hand
    for doc, party_data, own in ((read(txt), None, False), (from_bytes, None, False), (from_bytes, {"EU": data}, True),
                                 (read(eu_file), None, True)):
        c = cs.build(read(base), [doc], ["EU"])
        got = _runs(in_package(c, DATE, party_data=party_data), "EU")
        assert "two" in "".join(t for t, _ in got)
        if own:
            assert _chars(got, "<b/>") == "two" and all("Arial" in rpr for t, rpr in got if t.strip()), got
        else:
            assert _chars(got, "<b/>") == "" and all("Times" in rpr for t, rpr in got if t.strip()), got
    # the file changed after it was read: not its formatting any more, so none of it is taken
    doc = read(eu_file)
    eu_file.write_bytes(make_docx(eu.replace("<w:b/>", '<w:u w:val="single"/>')))
    got = _runs(in_package(cs.build(read(base), [doc], ["EU"]), DATE), "EU")
    assert all("Times" in rpr for t, rpr in got if t.strip()), got


def test_kept_parse_gives_the_party_formatting_without_reading_again(tmp_path, monkeypatch):
    """The CLI reads the parties' .docx inside `package.keeping(compact=True)` when writing
    --tracked: the writer takes their runs from those parses (no second read) and writes what
    it writes after reading each file again."""
    from negotiate.export import package

    from .test_export_docx import _parts, para
    eu = (para(runs=_fr("1. Parties shall report every ", ARIAL) + _fr("two", ARIAL + "<w:b/>")
               + _fr(" years", ARIAL) + _fr("a", ARIAL + '<w:vertAlign w:val="superscript"/>') + _fr(".", ARIAL))
          + para(runs=_fr("The Parties ", ARIAL) + _fr("may also", ARIAL + "<w:i/>") + _fr(" report on finance.", ARIAL))
          + para(runs=_fr("2. The secretariat shall compile the reports.", ARIAL)))
    base, (eu_file,) = _formatting_case(tmp_path, eu)
    ref = tmp_path / "ref.docx"
    proposals.write(cs.build(read(base), [read(eu_file)], ["EU"]), ref, date=DATE)
    with package.keeping(compact=True):
        kept = read(eu_file)
    c = cs.build(read(base), [kept], ["EU"])
    real, calls = package.read_docx, []
    monkeypatch.setattr(package, "read_docx", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    out = tmp_path / "kept.docx"
    proposals.write(c, out, date=DATE)
    assert calls == [str(base)]          # the base's package only
    assert _chars(_runs(out.read_bytes(), "EU"), "<b/>") == "two"
    assert _parts(out.read_bytes()) == _parts(ref.read_bytes())
    res = subprocess.run([sys.executable, "-m", "negotiate", "consolidate", str(base), str(eu_file), "--party", "EU",
                          "-o", str(tmp_path / "cli.docx"), "--tracked", "--date", DATE], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert _parts((tmp_path / "cli.docx").read_bytes()) == _parts(ref.read_bytes())


def test_party_inputs_note_letters_stay_superscript(tmp_path):
    """The COP29 party-inputs draft: the delegations' insertions relettering the table notes
    ("IDd" → "IDc", the letter superscript) are written, by the same authors, with the letter in
    superscript and the word before it not — as each delegation wrote them (each proposal's
    runs, taken from the draft's own tracked changes), not in the base's formatting where
    they go ("IDc" all superscript, as it was)."""
    import zipfile

    from lxml import etree

    from negotiate.ingest.revisions import proposals_from_revisions

    from .conftest import realtext
    src = realtext("art6-2-cop29/art6-2-cma-draft-decision-party-inputs.docx")
    base, props, parties = proposals_from_revisions(read(src, revisions="markup"))
    c = cs.build(base, props, parties)
    out = tmp_path / "t.docx"
    proposals.write(c, out, date=DATE)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    sup = '<vertAlign val="superscript"/>'
    root = etree.fromstring(zipfile.ZipFile(src).read("word/document.xml"))

    def theirs(author):
        """The superscript texts inside the draft's own insertions by `author`, in order."""
        return ["".join(t.text or "" for t in r.iter(w + "t")) for ins in root.iter(w + "ins")
                if ins.get(w + "author") == author and ins.getparent().tag != w + "rPr"
                for r in ins.iter(w + "r") if r.find(f"{w}rPr/{w}vertAlign[@{w}val='superscript']") is not None]
    letters = 0
    for party in parties:
        ours = [t for t, rpr in _runs(out.read_bytes(), party) if sup in rpr]
        assert ours == theirs(party), party
        letters += len(ours)
    assert letters >= 20          # the draft's 25 relettered notes
    # Each change is the letter alone, as the delegations made it: the same 91 stretches.
    from negotiate.export.package import count_stretches
    from negotiate.ooxml import Package
    assert count_stretches(Package("t.docx", out.read_bytes())) == count_stretches(Package("src.docx", src.read_bytes())) == 91
    out_root = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    changed = ["".join(t.text or "" for t in el.iter(w + "t", w + "delText"))
               for el in out_root.iter(w + "ins", w + "del") if el.getparent().tag != w + "rPr"]
    assert changed and all(len(t) <= 2 for t in changed), [t for t in changed if len(t) > 2]


def test_party_inputs_fixture_keeps_each_delegations_formatting_under_its_new_name(tmp_path):
    """One .docx whose tracked changes are the delegations' proposals, the authors renamed with
    --party: each delegation's inserted words come back bold or italic as it inserted them."""
    from .test_export_docx import make_docx, para

    def ins(t, author, rpr, rid):
        return (f'<w:ins w:id="{rid}" w:author="{author}" w:date="2024-11-20T10:00:00Z">'
                f'{_fr(t, rpr)}</w:ins>')
    src = tmp_path / "inputs.docx"
    src.write_bytes(make_docx(
        para(runs=_fr("1. Parties shall report ", TIMES) + ins("regularly ", "EU", TIMES + "<w:b/>", 1) + _fr("to the body.", TIMES))
        + para(runs=_fr("2. The secretariat shall compile ", TIMES) + ins("all ", "Brazil", TIMES + "<w:i/>", 2)
               + _fr("the reports.", TIMES))))
    out = tmp_path / "t.docx"
    res = subprocess.run([sys.executable, "-m", "negotiate", "consolidate", str(src), "--party", "European Union",
                          "--party", "Brazil", "-o", str(out), "--tracked", "--date", DATE], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    eu, br = _runs(out.read_bytes(), "European Union"), _runs(out.read_bytes(), "Brazil")
    assert _chars(eu, "<b/>").strip() == "regularly" and _chars(eu, "<i/>") == "", eu
    assert _chars(br, "<i/>").strip() == "all" and _chars(br, "<b/>") == "", br
