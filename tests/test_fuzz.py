"""Fuzzing every reader and `compare` (issue 14, item 9).

Small valid .docx, .pdf, .html and .txt files are mutated — bit flips,
truncations, member swaps, duplicated parts, huge attribute values — and each
run must end, within the deadline, in a Document (and a comparison) or in one
clean NegotiateError: never another exception.

Deterministic (derandomize) so that CI never flakes; the budget is set by
max_examples per format and a per-example deadline generous enough for a
loaded 2-core machine (about 30 s of CI time in all).
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiate import NegotiateError, read
from negotiate.compare import compare

from .conftest import pdf_of_objects

FUZZ = settings(max_examples=40, deadline=timedelta(seconds=20), derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TXT = ("I. Objectives\n\n1. Governments [shall][should] report [every three years] (EU, Norway).\n\n"
       "(a) [Placeholder: targets];\n\n(b) on progress [in implementing ［the framework］.\n\n"
       "2 bis. Alt 1 [No text]\n\n3. Stray ] here and 【 lenticular 】.\n").encode()
HTML = (b"<!DOCTYPE html><html><head><title>T</title></head><body><h1>I. Objectives</h1>"
        b"<ol start=\"3\" type=\"a\"><li>Governments [shall] report;</li><li value=\"7\">nested <b>bold</b> "
        b"[text]</li></ol><table><tr><td>12.</td><td>Cell [in brackets] (Brazil)</td></tr></table>"
        b"<p>2. Final paragraph &amp; more.</p></body></html>")


def _pdf(lines: list[str]) -> bytes:
    ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"] + [
        "(" + ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T*" for ln in lines] + ["ET"]
    stream = "\n".join(ops).encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    return pdf_of_objects(objs)


PDF = _pdf(["I. Objectives", "", "1. Governments [shall][should] report", "every three years (EU).", "",
            "(a) [Placeholder: targets];", "", "2. Final paragraph."])


@pytest.fixture(scope="module")
def docx_seed(tmp_path_factory):
    from .test_ingest_docx import build, compilation
    return build(tmp_path_factory.mktemp("fuzz"), compilation).read_bytes()


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def _pack(members: list[tuple[str, bytes]]) -> bytes:
    import warnings
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")          # duplicated names are the point
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for n, b in members:
                z.writestr(n, b)
    return buf.getvalue()


def _bytes_mutation(data: bytes, draw) -> bytes:
    kind = draw(st.sampled_from(["flip", "truncate", "splice", "repeat"]))
    n = len(data)
    if kind == "flip":
        out = bytearray(data)
        for pos, bit in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, 7)), min_size=1, max_size=8)):
            out[pos] ^= 1 << bit
        return bytes(out)
    if kind == "truncate":
        return data[:draw(st.integers(0, n - 1))]
    if kind == "splice":
        pos = draw(st.integers(0, n))
        return data[:pos] + draw(st.binary(min_size=1, max_size=64)) + data[pos:]
    a = draw(st.integers(0, n - 1))
    b = draw(st.integers(a, min(n, a + 200)))
    return data[:b] + data[a:b] * draw(st.integers(1, 50)) + data[b:]


_ATTR = re.compile(rb'(w:val|w:ilvl|w:id|w:numId|start|value)="([^"]*)"')


def _huge_attribute(xml: bytes, draw) -> bytes:
    hits = list(_ATTR.finditer(xml))
    if not hits:
        return xml
    m = hits[draw(st.integers(0, len(hits) - 1))]
    value = draw(st.sampled_from([b"9" * 30, b"-1" + b"9" * 20, b"x" * 5000, b"1" * 4400, b"2147483648", b""]))
    return xml[:m.start(2)] + value + xml[m.end(2):]


def _zip_mutation(data: bytes, draw) -> bytes:
    members = _members(data)
    kind = draw(st.sampled_from(["swap", "duplicate", "drop", "attribute", "member-bytes", "raw"]))
    if kind == "raw":
        return _bytes_mutation(data, draw)
    k = draw(st.integers(0, len(members) - 1))
    if kind == "swap":
        j = draw(st.integers(0, len(members) - 1))
        (nk, bk), (nj, bj) = members[k], members[j]
        members[k], members[j] = (nk, bj), (nj, bk)
    elif kind == "duplicate":
        members.append((members[k][0], draw(st.sampled_from([members[k][1], b"<x/>", b""]))))
    elif kind == "drop":
        del members[k]
    elif kind == "attribute":
        members = [(n, _huge_attribute(b, draw) if n.endswith(".xml") else b) for n, b in members]
    else:
        n, b = members[k]
        members[k] = (n, _bytes_mutation(b, draw) if b else b)
    return _pack(members)


def _check(name: str, data: bytes, original) -> None:
    try:
        doc = read(name, data=data, name=name)
    except NegotiateError as e:
        assert e.oneline().startswith(name)
        return
    assert doc.blocks is not None
    try:
        compare(original, doc)
    except NegotiateError:
        pass


@pytest.fixture(scope="module")
def originals(docx_seed):
    return {"docx": read("seed.docx", data=docx_seed, name="seed.docx"),
            "pdf": read("seed.pdf", data=PDF, name="seed.pdf"),
            "html": read("seed.html", data=HTML, name="seed.html"),
            "txt": read("seed.txt", data=TXT, name="seed.txt")}


@FUZZ
@given(data=st.data())
def test_fuzz_docx(data, docx_seed, originals):
    _check("fuzz.docx", _zip_mutation(docx_seed, data.draw), originals["docx"])


@FUZZ
@given(data=st.data())
def test_fuzz_pdf(data, originals):
    _check("fuzz.pdf", _bytes_mutation(PDF, data.draw), originals["pdf"])


@FUZZ
@given(data=st.data())
def test_fuzz_html(data, originals):
    mutated = _bytes_mutation(HTML, data.draw) if data.draw(st.booleans()) else _huge_attribute(HTML, data.draw)
    _check("fuzz.html", mutated, originals["html"])


@FUZZ
@given(data=st.data())
def test_fuzz_txt(data, originals):
    _check("fuzz.txt", _bytes_mutation(TXT, data.draw), originals["txt"])
