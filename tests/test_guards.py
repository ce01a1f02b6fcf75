"""Issue 14's holes in the readers, each made small: special files, library
errors at the reader boundary, the XML guard, numbering limits, encodings."""
import io
import os
import random
import re
import zipfile

import pytest

from negotiate import NegotiateError, read
from negotiate.cli import main
from negotiate.ingest import guards

from .conftest import pdf_of_objects as _pdf
from .test_ingest_docx import build, compilation


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(path, members, method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", method) as z:
        for n, b in members.items():
            z.writestr(n, b)
    return path


def _one_line_exit_2(capsys, argv, file, pattern):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" not in err and "Traceback" not in err
    assert err.startswith(f"negotiate: error: {file}: "), err
    assert re.search(pattern, err), err


# -- only regular files, read with a bound -----------------------------------------------

def test_fifo_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    # Opened without blocking, checked with fstat: nobody writes, yet no hang.
    _one_line_exit_2(capsys, ["parse", str(fifo)], fifo, "FIFO .*not a regular file")


@pytest.mark.parametrize("name,device", [("x.txt", "/dev/zero"), ("u.docx", "/dev/urandom")])
def test_links_to_devices_are_refused(tmp_path, capsys, name, device):
    link = tmp_path / name
    link.symlink_to(device)
    _one_line_exit_2(capsys, ["parse", str(link)], link, "character device, not a regular file")


def test_read_is_bounded_even_when_the_size_lies(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    p.write_bytes(b"1. text\n" * 1000)
    with pytest.raises(NegotiateError, match="too large"):
        guards.read_bytes(str(p), limit=100)


# -- library errors become one line -------------------------------------------------------

def test_zip_member_failing_its_crc(tmp_path, capsys):
    good = build(tmp_path, compilation)
    members = _members(good)
    p = _zip(tmp_path / "crc.docx", members, method=zipfile.ZIP_STORED)
    data = bytearray(p.read_bytes())
    # Flip one byte of document.xml's stored text: zipfile then fails the CRC.
    at = data.find(b"Governments")
    data[at] ^= 0x01
    p.write_bytes(bytes(data))
    _one_line_exit_2(capsys, ["parse", str(p)], p, "corrupt")


def test_deflate_stream_broken_is_zlib_error_mapped(tmp_path, capsys):
    good = build(tmp_path, compilation)
    data = bytearray(_zip(tmp_path / "z.docx", _members(good)).read_bytes())
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for k in range(start + 10, start + 60):
        data[k] = 0xFF
    p = tmp_path / "zlib.docx"
    p.write_bytes(bytes(data))
    _one_line_exit_2(capsys, ["parse", str(p)], p, "corrupt")




def test_pdf_with_a_cyclic_page_tree(tmp_path, capsys):
    p = tmp_path / "cyclic.pdf"
    p.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                        b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>"]))
    _one_line_exit_2(capsys, ["parse", str(p)], p, "PDF is damaged")


def test_pdf_with_a_5000_deep_page_tree(tmp_path, capsys):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    objs += [b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + k) for k in range(5000)]
    objs.append(b"<< /Type /Page /MediaBox [0 0 612 792] >>")
    p = tmp_path / "deep.pdf"
    p.write_bytes(_pdf(objs))
    _one_line_exit_2(capsys, ["parse", str(p)], p, "PDF is damaged")


def test_real_bugs_stay_internal_errors(tmp_path):
    """The boundary maps input errors only: a bug of ours is not dressed up as bad input."""
    with pytest.raises(KeyError):
        with guards.reader_errors("f.txt", "txt"):
            raise KeyError("bug")
    with pytest.raises(NegotiateError, match="f.docx: the Word document needs more memory"):
        with guards.reader_errors("f.docx", "docx"):
            raise MemoryError()


# -- XML refused by parsing ------------------------------------------------------------------

def _with_document(tmp_path, name, document: bytes):
    members = _members(build(tmp_path, compilation))
    members["word/document.xml"] = document
    return _zip(tmp_path / name, members)


def test_utf16_part_with_a_doctype_is_refused(tmp_path):
    members = _members(build(tmp_path, compilation))
    body = members["word/document.xml"].split(b"?>", 1)[1].decode("utf-8")
    xml = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "boom">]>' + body).encode("utf-16")
    p = _with_document(tmp_path, "u16.docx", xml)
    with pytest.raises(NegotiateError, match="DOCTYPE or entity declarations in word/document.xml"):
        read(p)


def test_doctype_after_a_long_comment_is_refused(tmp_path):
    members = _members(build(tmp_path, compilation))
    body = members["word/document.xml"].split(b"?>", 1)[1]
    xml = b'<?xml version="1.0"?><!--' + b"c" * 6000 + b'--><!DOCTYPE d [<!ENTITY x "boom">]>' + body
    with pytest.raises(NegotiateError, match="DOCTYPE or entity declarations in word/document.xml"):
        read(_with_document(tmp_path, "late.docx", xml))


def test_doctype_in_another_part_is_refused_by_name(tmp_path):
    members = _members(build(tmp_path, compilation))
    members["word/numbering.xml"] = b'<?xml version="1.0"?><!DOCTYPE n SYSTEM "http://example.invalid/n.dtd">' + \
        members["word/numbering.xml"].split(b"?>", 1)[1]
    with pytest.raises(NegotiateError, match="in word/numbering.xml"):
        read(_zip(tmp_path / "num.docx", members))


def test_a_normal_docx_is_still_read(tmp_path):
    assert read(build(tmp_path, compilation)).blocks


# -- numbering: Word's range, bounded labels -------------------------------------------------

@pytest.mark.parametrize("fmt", ["upperRoman", "lowerLetter", "decimal", "russianLower", "chineseCounting"])
@pytest.mark.parametrize("start", ["99999999999999999999999999", "2000000000", "-5",
                                   "".join(random.Random(1).choice("0123456789") for _ in range(100_000))])
def test_huge_numbering_start_is_clamped(tmp_path, fmt, start):
    members = _members(build(tmp_path, compilation))
    num = members["word/numbering.xml"].decode("utf-8")
    num = re.sub(r'(<w:start w:val=")[^"]*(")', lambda m: m.group(1) + start + m.group(2), num)
    num = re.sub(r'(<w:numFmt w:val=")[^"]*(")', lambda m: m.group(1) + fmt + m.group(2), num)
    members["word/numbering.xml"] = num.encode("utf-8")
    doc = read(_zip(tmp_path / "start.docx", members, method=zipfile.ZIP_STORED))
    assert doc.blocks
    assert max(len(b.label) for b in doc.blocks) <= 64 + 8


def test_format_number_clamps_to_word_range():
    from negotiate.ingest.numbering import MAX_LABEL, format_number
    assert format_number(10**30, "decimal") == "32767"
    assert len(format_number(10**30, "upperRoman")) <= MAX_LABEL
    assert len(format_number(2 * 10**9, "lowerLetter")) <= MAX_LABEL
    assert format_number(-3, "decimal") == "0"
    assert format_number(4, "upperRoman") == "IV"    # ordinary values unchanged


def test_huge_list_level_index_does_not_loop(tmp_path):
    members = _members(build(tmp_path, compilation))
    doc = members["word/document.xml"].decode("utf-8")
    doc = re.sub(r'(<w:ilvl w:val=")[^"]*(")', r"\g<1>999999999999\g<2>", doc, count=1)
    members["word/document.xml"] = doc.encode("utf-8")
    assert read(_zip(tmp_path / "ilvl.docx", members)).blocks


def test_html_list_start_is_clamped(tmp_path):
    p = tmp_path / "ol.html"
    p.write_text('<ol type="I" start="' + "9" * 50_000 + '"><li>one</li><li value="' + "9" * 30 +
                 '">two</li></ol>', encoding="utf-8")
    doc = read(p)
    assert [b.text for b in doc.blocks] == ["one", "two"]
    assert all(len(b.label) <= 66 for b in doc.blocks)


# -- encodings -------------------------------------------------------------------------------

def test_utf8_with_one_bad_byte_is_read_as_utf8_with_a_warning(tmp_path, capsys):
    p = tmp_path / "bad.txt"
    p.write_bytes("1. Société civile, Côte d’Ivoire.\n\n2. Pays ".encode() + b"\xff" + " éligibles.\n".encode())
    doc = read(p)
    assert "Société civile, Côte d’Ivoire" in doc.text and "Ã" not in doc.text
    assert "\ufffd éligibles" in doc.text
    assert doc.warnings == ["not valid UTF-8 at line 3, column 9 (1 bad byte in all, each replaced by U+FFFD); read as UTF-8"]
    assert main(["parse", str(p)]) == 0
    err = capsys.readouterr().err
    assert err == f"negotiate: warning: {p}: {doc.warnings[0]}\n"


def test_cp1252_only_when_not_utf8_at_all(tmp_path):
    p = tmp_path / "cp.txt"
    p.write_bytes("1. Société civile – “quoted”.\n".encode("cp1252"))
    doc = read(p)
    assert doc.text.startswith("1. Société civile – “quoted”.")
    assert len(doc.warnings) == 1 and "Windows-1252 (cp1252)" in doc.warnings[0]


def test_clean_utf8_has_no_warning(tmp_path):
    p = tmp_path / "ok.txt"
    p.write_text("1. Société.\n", encoding="utf-8")
    assert read(p).warnings == []
