"""The Word redline: real tracked changes, lossless both ways, and what LibreOffice makes of them."""
import json
import re
import subprocess
import sys
import zipfile

import pytest

from negotiate import read
from negotiate.compare import compare
from negotiate.export import redline
from negotiate.synth import make_pair

from .conftest import CORPORA, libreoffice_views, realtext, soffice

PAIRS = [("framework-v1-compilation.docx", "framework-v2-streamlined.docx"),
         ("framework-v2-streamlined.docx", "framework-v3-revised.docx"),
         ("framework-v1-compilation.txt", "framework-v3-revised.txt"),
         ("zh-framework-v1.docx", "zh-framework-v2.docx"),
         ("framework-v2-streamlined.txt", "framework-v2-party-inputs.docx")]


def lines(doc):
    """A version as a reader sees it: each paragraph (label and text), then each note with
    the paragraph citing it. A Markdown note becomes a Word footnote in a redline (read
    back after the body, numbered by Word), so notes are compared as (citing paragraph,
    text) whatever their place; a Markdown note nothing cites stays a paragraph."""
    line = lambda b: " ".join((b.label + " " + b.text).split())  # noqa: E731
    kept = lambda b: b.kind == "footnote" and not (b.ref is None and doc.format == "md")  # noqa: E731
    return [line(b) for b in doc.blocks if not kept(b)] + sorted(
        (line(doc.blocks[b.ref]) if b.ref is not None else "") + " ⟶ " + " ".join(b.text.split()) for b in doc.blocks if kept(b))


def roundtrip(old, new, path):
    redline.write(compare(old, new), path, author="Co-facilitators", date="2026-03-01T10:00:00Z")
    return read(path, revisions="accept"), read(path, revisions="reject")


def texts_redlined(tmp_path, old, new, stem=""):
    """Two text inputs written and read, their redline r{stem}.docx round-tripped (accept = new,
    reject = old): the two documents and the redline's body XML."""
    (tmp_path / f"o{stem}.txt").write_text(old, encoding="utf-8")
    (tmp_path / f"n{stem}.txt").write_text(new, encoding="utf-8")
    o, n = read(tmp_path / f"o{stem}.txt"), read(tmp_path / f"n{stem}.txt")
    acc, rej = roundtrip(o, n, tmp_path / f"r{stem}.docx")
    assert lines(acc) == lines(n) and lines(rej) == lines(o)
    return o, n, zipfile.ZipFile(tmp_path / f"r{stem}.docx").read("word/document.xml").decode()


def numbering_xml(docx) -> str:
    return zipfile.ZipFile(docx).read("word/numbering.xml").decode()


def renumbered_untracked(xml: str, text: str) -> bool:
    """The paragraph holding `text` is numbered by Word, with no tracked change (its
    renumbering is Word's, as for the user)."""
    p = next(p for p in xml.split("</w:p>") if text in p)
    return "<w:numPr>" in p and "<w:ins " not in p and "<w:del " not in p


def libreoffice_shows_both_versions(redline, old, new, stem="r"):
    """Accept and reject all of `redline` (our review_package), convert both with LibreOffice
    and check that it shows each version's lines — its own numbering of the labels."""
    from negotiate.ooxml import review_package
    data, d = redline.read_bytes(), redline.parent
    (d / f"{stem}-acc.docx").write_bytes(review_package(data, True))
    (d / f"{stem}-rej.docx").write_bytes(review_package(data, False))
    subprocess.run([soffice(), "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(d),
                    str(d / f"{stem}-acc.docx"), str(d / f"{stem}-rej.docx")], check=True, capture_output=True, timeout=180)
    for name, doc in ((f"{stem}-acc.txt", new), (f"{stem}-rej.txt", old)):
        shown = [" ".join(x.split()) for x in (d / name).read_text(encoding="utf-8-sig").splitlines() if x.strip()]
        assert shown == lines(doc), name


@pytest.mark.parametrize("a,b", PAIRS)
def test_accept_gives_new_reject_gives_old(tmp_path, a, b):
    old, new = read(CORPORA / a), read(CORPORA / b)
    acc, rej = roundtrip(old, new, tmp_path / "r.docx")
    assert lines(acc) == lines(new)
    earlier = read(CORPORA / b, revisions="markup")
    if any(blk.revisions for blk in earlier.blocks):
        # NEW carries the delegations' own tracked changes: they stay, with their authors;
        # accepting ours alone gives NEW back, revisions included.
        from negotiate.ooxml import review_package
        mine_rejected = tmp_path / "mine-rejected.docx"
        mine_rejected.write_bytes(review_package((tmp_path / "r.docx").read_bytes(), accept=True, author="Co-facilitators"))
        back = read(mine_rejected, revisions="markup")
        assert lines(back) == lines(earlier)
        assert [(r.kind, r.author, r.date) for blk in back.blocks for r in blk.revisions] == \
               [(r.kind, r.author, r.date) for blk in earlier.blocks for r in blk.revisions]
    else:
        assert lines(rej) == lines(old)


@pytest.mark.parametrize("seed,lang", [(1, "en"), (2, "zh"), (3, "en")])
def test_lossless_on_generated_pairs(tmp_path, seed, lang):
    p = make_pair(seed, 120, lang)
    (tmp_path / "o.txt").write_text(p.old, encoding="utf-8")
    (tmp_path / "n.txt").write_text(p.new, encoding="utf-8")
    old, new = read(tmp_path / "o.txt"), read(tmp_path / "n.txt")
    acc, rej = roundtrip(old, new, tmp_path / "r.docx")
    assert lines(acc) == lines(new) and lines(rej) == lines(old)


def test_revision_markup(tmp_path):
    old, new = read(CORPORA / "framework-v1-compilation.txt"), read(CORPORA / "framework-v2-streamlined.txt")
    out = tmp_path / "r.docx"
    redline.write(compare(old, new), out, author="Co-facilitators", date="2026-03-01T10:00:00Z")
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'w:author="Co-facilitators"' in xml and 'w:date="2026-03-01T10:00:00Z"' in xml
    assert "<w:ins " in xml and "<w:del " in xml and "<w:delText" in xml
    assert "<w:moveFrom " in xml and "<w:moveTo " in xml and "w:moveFromRangeStart" in xml
    # Deleted paragraphs carry a deleted paragraph mark.
    assert re.search(r"<w:pPr>(?:(?!</w:pPr>).)*<w:rPr><w:del ", xml)
    mk = read(out, revisions="markup")
    authors = {r.author for b in mk.blocks for r in b.revisions}
    assert authors == {"Co-facilitators"}
    kinds = {r.kind for b in mk.blocks for r in b.revisions}
    assert {"ins", "del", "moveFrom", "moveTo"} <= kinds


def test_libreoffice_sees_every_revision(tmp_path):
    """Converted to .fodt, one <text:changed-region> per revision we wrote."""
    exe = soffice()
    for a, b in PAIRS[:2] + PAIRS[3:4]:
        out = tmp_path / f"{a[:-5]}.docx"
        n = redline.write(compare(read(CORPORA / a), read(CORPORA / b)), out, date="2026-03-01T10:00:00Z")
        subprocess.run([exe, "--headless", "--convert-to", "fodt", "--outdir", str(tmp_path), str(out)],
                       check=True, capture_output=True, timeout=180)
        fodt = (tmp_path / (out.stem + ".fodt")).read_text(encoding="utf-8")
        # LibreOffice lists a paragraph-property change as several regions: near, not equal.
        assert n > 0 and abs(fodt.count("<text:changed-region") - n) <= 0.1 * n


def test_page_rendered_for_a_person(tmp_path):
    """LibreOffice → PDF → PNG with pdftoppm: a page a reviewer can look at (kept in tests/out/)."""
    import shutil
    exe = soffice()
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    out_dir = CORPORA.parent / "tests" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    docx = out_dir / "redline-v1-v2.docx"
    redline.write(compare(read(CORPORA / PAIRS[0][0]), read(CORPORA / PAIRS[0][1])), docx, author="Co-facilitators")
    subprocess.run([exe, "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
                   check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-png", str(out_dir / "redline-v1-v2.pdf"),
                    str(out_dir / "redline-page")], check=True)
    png = next(out_dir.glob("redline-page*.png"))
    assert png.stat().st_size > 10_000


def test_cli_compare_outputs(tmp_path):
    a, b = str(CORPORA / PAIRS[0][0]), str(CORPORA / PAIRS[0][1])
    for ext in ("docx", "html", "json"):
        out = tmp_path / f"c.{ext}"
        res = subprocess.run([sys.executable, "-m", "negotiate", "compare", a, b, "-o", str(out), "--author", "Chair"],
                             capture_output=True, text=True)
        assert res.returncode == 0, res.stderr
        assert out.stat().st_size > 1000
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert {"old", "new", "summary", "sections", "pairs"} <= set(data)
    p = next(x for x in data["pairs"] if x["op"] == "modified")
    for tag, a1, a2, b1, b2 in p["ops"]:
        if tag == "equal":
            assert p["old_text"][a1:a2] == p["new_text"][b1:b2]
    html = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "<ins" in html and "<del" in html and "text-decoration:underline" in html and "line-through" in html
    assert 'id="side-by-side"' in html
    assert 'w:author="Chair"' in zipfile.ZipFile(tmp_path / "c.docx").read("word/document.xml").decode()
    bad = subprocess.run([sys.executable, "-m", "negotiate", "compare", a, b, "-o", str(tmp_path / "x.pdf")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_mixed_chinese_english(tmp_path):
    (tmp_path / "a.txt").write_text("1. 各国政府应执行GHS制度[并报告]。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("1. 各国政府宜酌情执行GHS和SDS制度并报告。\n", encoding="utf-8")
    old, new = read(tmp_path / "a.txt"), read(tmp_path / "b.txt")
    c = compare(old, new)
    p = c.pairs[0]
    changed = [(p.old_text[a1:a2], p.new_text[b1:b2]) for t, a1, a2, b1, b2 in p.ops if t != "equal"]
    assert ("应", "宜酌情") in changed and ("", "和SDS") in changed
    acc, rej = roundtrip(old, new, tmp_path / "r.docx")
    assert lines(acc) == lines(new) and lines(rej) == lines(old)


@pytest.mark.parametrize("a,b", [("agreement-23-oct-2015.md", "agreement-4-dec-2015.md"),
                                 ("agreement-4-dec-2015.md", "agreement-9-dec-2015.md"),
                                 ("agreement-9-dec-2015.md", "agreement-12-dec-2015.md"),
                                 ("agreement-12-dec-2015.md", "agreement-29-jan-2016.md")])
def test_real_paris_pairs(tmp_path, a, b):
    old, new = read(realtext("paris2015/" + a)), read(realtext("paris2015/" + b))
    acc, rej = roundtrip(old, new, tmp_path / "r.docx")
    assert lines(acc) == lines(new)
    assert lines(rej) == lines(old)


def test_libreoffice_opens_real_paris_redlines(tmp_path):
    """The four consecutive Paris redlines opened by LibreOffice: its own reading of
    the tracked changes, all accepted, is the newer text word for word; all
    rejected, the older one (compared without whitespace: a paragraph mark inside
    a change makes the boundary LibreOffice's to place)."""
    exe = soffice()
    names = ["agreement-23-oct-2015.md", "agreement-4-dec-2015.md", "agreement-9-dec-2015.md",
             "agreement-12-dec-2015.md", "agreement-29-jan-2016.md"]
    docs = [read(realtext("paris2015/" + n)) for n in names]
    outs = []
    for k in range(4):
        out = tmp_path / f"pair{k}.docx"
        outs.append((out, redline.write(compare(docs[k], docs[k + 1]), out, date="2026-03-01T10:00:00Z")))
    subprocess.run([exe, "--headless", "--convert-to", "fodt", "--outdir", str(tmp_path), *[str(o) for o, _ in outs]],
                   check=True, capture_output=True, timeout=600)
    for k, (out, n) in enumerate(outs):
        fodt = out.with_suffix(".fodt")
        regions = fodt.read_text(encoding="utf-8").count("<text:changed-region")
        assert n > 100 and abs(regions - n) <= 0.01 * n    # LibreOffice regroups a few (±3 here)
        # The body (notes are Word footnotes, their texts checked by the round trips above):
        accepted, rejected = libreoffice_views(fodt, notes=False)
        assert accepted.split() == _words(docs[k + 1], out, "accept")
        assert "".join(rejected.split()) == "".join(_words(docs[k], out, "reject"))
        notes = zipfile.ZipFile(out).read("word/footnotes.xml").count(b"<w:footnote w:id") \
            if "word/footnotes.xml" in zipfile.ZipFile(out).namelist() else 0
        assert fodt.read_text(encoding="utf-8").count("<text:note ") == notes


def _words(doc, redline_path, mode):
    """The words of a version as LibreOffice shows them in a redline: labels that the
    redline gives Word's automatic numbering are LibreOffice's to compute and not in
    its text, so those are left out (which ones: the redline read back in that mode,
    a label without typed pieces being automatic; the labels themselves are checked
    by the round-trip tests)."""
    from negotiate.ingest.docx import read_docx
    srcs = []
    back = read_docx(str(redline_path), redline_path.read_bytes(), mode, sources=srcs)
    assert lines(back) == lines(doc)
    body = [(b, s) for b, s in zip(back.blocks, srcs) if b.kind != "footnote"]
    mine = [b for b in doc.blocks if b.kind != "footnote" or b.ref is None]
    assert len(body) == len(mine)
    auto = [bool(b.label) and not s.label for b, s in body]
    assert any(auto)
    return " ".join(b.text if a else b.label + " " + b.text for b, a in zip(mine, auto)).split()


def test_text_inputs_get_automatic_numbering(tmp_path):
    """Labels of text inputs that form a sequence become Word's automatic numbering:
    a paragraph inserted renumbers those after it with no tracked change of their
    labels (Word renumbers), a `bis` paragraph is numbered too (its level shows the
    paragraph's number, "%1 bis."), and accepting or rejecting everything still gives
    each version's labels."""
    old = "1. Alpha paragraph.\n\n2. Beta paragraph.\n\n(a) first item;\n\n(b) second item.\n\n3. Gamma paragraph.\n"
    new = ("1. Alpha paragraph.\n\n2. A new paragraph.\n\n3. Beta paragraph.\n\n(a) first item;\n\n(b) second item.\n\n"
           "3 bis. Inserted with a typed label.\n\n4. Gamma paragraph.\n")
    o, n, xml = texts_redlined(tmp_path, old, new)
    assert xml.count("<w:numPr>") == 7                      # the bis paragraph too
    assert ">3 bis.<" not in xml and ">3.<" not in xml and ">4.<" not in xml
    assert b"w:lvlText" in zipfile.ZipFile(tmp_path / "r.docx").read("word/numbering.xml")
    # LibreOffice numbers the accepted and the rejected document the same way.
    libreoffice_shows_both_versions(tmp_path / "r.docx", o, n)


def test_sub_numbers_and_latin_ordinals_are_automatic(tmp_path):
    """`1.1`, `1.1.` and `12 bis.`/`ter.` are levels of the paragraph list whose text shows the
    paragraph's number (%1.%4, %1 bis.): a paragraph inserted before them renumbers them with no
    tracked change ("3 bis." → "4 bis."); one whose number does not follow stays typed."""
    old = ("1. Alpha paragraph.\n\n1.1 Sub one.\n\n1.2 Sub two.\n\n2. Beta paragraph.\n\n(a) first item;\n\n"
           "(b) second item.\n\n3. Gamma paragraph.\n\n3 bis. Old bis.\n\n4. Delta.\n")
    new = ("1. Alpha paragraph.\n\n1.1 Sub one.\n\n1.2 Sub two.\n\n2. A new paragraph.\n\n3. Beta paragraph.\n\n"
           "(a) first item;\n\n(b) second item.\n\n3 bis. Inserted bis.\n\n4. Gamma paragraph.\n\n4 bis. Old bis.\n\n"
           "4 ter. New ter.\n\n5. Delta.\n\n5.1. Dotted sub.\n\n7 bis. Out of step.\n")
    o, n, xml = texts_redlined(tmp_path, old, new)
    assert xml.count("<w:numPr>") == 13 and ">7 bis.<" in xml     # all but the one out of step
    assert not re.search(r">\d+(\.\d+\.?| bis\.| ter\.)<", xml.replace(">7 bis.<", ""))
    numbering = numbering_xml(tmp_path / "r.docx")
    assert 'w:val="%1.%4"' in numbering and 'w:val="%1 bis."' in numbering
    assert renumbered_untracked(xml, "Old bis.")    # the old bis paragraph, renumbered by Word
    libreoffice_shows_both_versions(tmp_path / "r.docx", o, n)


def test_other_label_sequences_get_automatic_numbering(tmp_path):
    """Sections I./A., items a), `Article N` and `第一条` with their title, and Chinese
    一、/（一） become automatic numbering too (`Annex I` alone on its line as well),
    each a list of its own (a section does not disturb the paragraphs' counters);
    accept and reject still give each version's labels, in our reading and in
    LibreOffice's."""
    old = ("I. General provisions\n\nA. Scope\n\n1. Alpha paragraph.\n\n2. Beta paragraph:\n\na) first item;\n\n"
           "b) second item.\n\nB. Terms\n\n3. Gamma paragraph.\n\nII. Final provisions\n\nArticle 1 Definitions\n\n"
           "4. Delta paragraph.\n\nArticle 2 Purpose\n\n5. Epsilon paragraph.\n\nAnnex I\n\n6. Zeta.\n")
    new = ("I. General provisions\n\nA. Scope\n\n1. Alpha paragraph.\n\n2. Beta paragraph:\n\na) first item;\n\n"
           "b) a new item;\n\nc) second item.\n\nB. New sub-section\n\nC. Terms\n\n3. Gamma paragraph.\n\n"
           "II. Final provisions\n\nArticle 1 Definitions\n\n4. Delta paragraph.\n\nArticle 2 Scope\n\n"
           "Text of a new article.\n\nArticle 3 Purpose\n\n5. Epsilon paragraph.\n\nAnnex I\n\n6. Zeta.\n")
    zh_old = "一、总则\n\n（一）范围\n\n（二）用语\n\n第一条 缔约方应当报告。\n\n二、最后条款\n"
    zh_new = "一、总则\n\n（一）范围\n\n（二）新的款项\n\n（三）用语\n\n第一条 缔约方应当报告。\n\n第二条 新条款。\n\n二、最后条款\n"
    for k, (a, b, numbered) in enumerate(((old, new, 18), (zh_old, zh_new, 7))):
        o, n, xml = texts_redlined(tmp_path, a, b, str(k))
        out = tmp_path / f"r{k}.docx"
        assert xml.count("<w:numPr>") == numbered          # every label, none typed
        libreoffice_shows_both_versions(out, o, n, f"r{k}")


def test_markdown_notes_become_word_footnotes(tmp_path):
    """`[^n]` marks and their `[^n]: text` notes are real Word footnotes in the redline:
    the reference right after the mark (the typed mark hidden), the note's changes
    tracked inside the footnotes part, a note only one version has cited by an inserted
    or deleted reference; accept and reject give each version's paragraphs and notes,
    each note cited from its paragraph; LibreOffice reads them as notes."""
    old = ("1. Parties shall report every three years.[^1]\n\n2. Second paragraph stays.\n\n"
           "[^1]: Decision 1/CP.21, paragraph 12.\n")
    new = ("1. Parties should report every two years.[^1]\n\n2. Second paragraph stays, with a new note.[^2]\n\n"
           "[^1]: Decision 1/CP.21, paragraph 14.\n\n[^2]: A note only the new version has.\n")
    (tmp_path / "o.md").write_text(old, encoding="utf-8")
    (tmp_path / "n.md").write_text(new, encoding="utf-8")
    o, n = read(tmp_path / "o.md"), read(tmp_path / "n.md")
    assert sum(b.kind == "footnote" for b in n.blocks) == 2
    acc, rej = roundtrip(o, n, tmp_path / "r.docx")
    assert lines(acc) == lines(n) and lines(rej) == lines(o)
    z = zipfile.ZipFile(tmp_path / "r.docx")
    notes, body = z.read("word/footnotes.xml").decode(), z.read("word/document.xml").decode()
    assert body.count("<w:footnoteReference") == 2 and "<w:del " in notes and "<w:ins " in notes
    assert "A note only the new version has." in notes and "paragraph 14." not in body
    subprocess.run([soffice(), "--headless", "--convert-to", "fodt", "--outdir", str(tmp_path), str(tmp_path / "r.docx")],
                   check=True, capture_output=True, timeout=180)
    accepted, rejected = libreoffice_views(tmp_path / "r.fodt")
    assert (tmp_path / "r.fodt").read_text(encoding="utf-8").count("<text:note ") == 2
    assert "paragraph 14." in accepted and "paragraph 12." in rejected and "only the new version" not in rejected


def test_markdown_emphasis_read_per_version():
    """A redline paragraph holds OLD's text (kept + deleted runs) and NEW's (kept +
    inserted): a deleted `*` opens italics in OLD's reading only, so NEW's inserted and
    kept words are not italic because OLD's were, and OLD's deleted words are."""
    from negotiate.export.wordml import Para, Run
    by = ("a", "2026-01-01T00:00:00Z")
    p = Para([Run("x "), Run("*old", delete=by), Run("new", ins=by), Run(" words "), Run("*", delete=by), Run("y")])
    runs = [(r.text, r.italic, r.hidden) for r in redline._emphasis(p).runs]
    assert ("*", False, True) in runs and ("old", True, False) in runs
    assert ("new", False, False) in runs and (" words ", False, False) in runs and ("y", False, False) in runs
    q = Para([Run("a "), Run("*", ins=by), Run("b"), Run("*", ins=by), Run(" c")])
    assert [(r.text, r.italic) for r in redline._emphasis(q).runs if not r.hidden] == [("a ", False), ("b", True), (" c", False)]
