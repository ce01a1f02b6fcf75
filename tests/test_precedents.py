"""Agreed language: the library of adopted texts and the precedents of a draft's wording."""
import json
import os

import pytest

from negotiate import read
from negotiate.cli import main
from negotiate.precedents import Library, Options, find, find_date, spans
from negotiate.precedents import units as U
from negotiate.precedents.plant import Corpus, real_paragraphs, score

from .conftest import REALTEXTS, realtext, write_doc

ADOPTED = (
    'Resolution adopted on 4 March 2025\n'
    '\n'
    '1. Calls upon all States and regional economic integration organizations that have not done so to '
    'consider signing and ratifying the Agreement at the earliest possible date.\n'
    '\n'
    '2. Invites Member States, international financial institutions, donor agencies and '
    'intergovernmental organizations to make financial contributions to the voluntary trust fund.\n'
    '\n'
    '3. Decides to include in the provisional agenda of its next session the sub-item entitled "Oceans '
    'and the law of the sea".\n'
    '\n'
)

DRAFT = (
    '1. Welcomes the progress made, and [calls upon all States and regional economic integration '
    'organisations that have not yet done so to consider signing] the Agreement, taking into account '
    'national capacities.\n'
    '\n'
    '12 bis. INVITES MEMBER STATES, international financial institutions, donor agencies and '
    'intergovernmental organizations to make financial contributions to the voluntary trust fund;\n'
    '\n'
    '3. Requests the secretariat to prepare a study on the costs of implementation for the next meeting.\n'
    '\n'
)


@pytest.fixture
def lib(tmp_path):
    library = Library(tmp_path / "lib")
    library.add(write_doc(tmp_path, "adopted.txt", ADOPTED))
    yield library
    library.close()


def test_units_ignore_case_typography_and_brackets():
    a = U.units("[Parties] SHALL report — “every three years”.")
    b = U.units("Parties shall report every three years")
    assert a.ids.tolist() == b.ids.tolist()
    t = "［缔约方］应当报告"
    u = U.units(t)
    assert [t[s:e] for s, e in zip(u.starts, u.ends)] == list("缔约方应当报告")     # Chinese by characters
    assert U.count("non‑governmental organizations, Secretary- General") == 5


def test_clause_inside_longer_paragraph_with_edits_renumbered(lib, tmp_path):
    draft = write_doc(tmp_path, "draft.txt", DRAFT)
    res = find(draft, lib)
    by = res.by_block()
    first = [b for b in draft.blocks if b.label == "1."][0]
    m = by[first.index][0]
    # The reused clause only, not the whole paragraph; brackets, a changed and an added word, British spelling.
    assert draft.blocks[first.index].text[m.start:m.end].startswith("calls upon all States")
    assert m.end < len(first.text) - 20
    assert m.source.label == "1." and 0.8 <= m.similarity < 1
    assert m.source.text[m.source.start:m.source.end].startswith("Calls upon all States")
    bis = [b for b in draft.blocks if b.label == "12 bis."][0]
    m = by[bis.index][0]
    assert m.source.label == "2." and m.similarity == 1.0        # capitals and a different label
    novel = [b for b in draft.blocks if b.label == "3."][0]
    assert novel.index not in by


def test_min_words_and_similarity_options(lib, tmp_path):
    draft = write_doc(tmp_path, "draft.txt", DRAFT)
    loose, strict = find(draft, lib).matches[0], find(draft, lib, Options(min_similarity=0.99)).matches[0]
    assert strict.similarity == 1.0 and strict.end - strict.start < loose.end - loose.start   # the exact run only
    assert not find(draft, lib, Options(min_words=40)).matches


def test_chinese_by_characters(tmp_path):
    lib = Library(tmp_path / "lib")
    lib.add(write_doc(tmp_path, "zh.txt",
                      "1. 缔约方应当采取必要的立法、行政或政策措施，以确保国家管辖范围以外区域海洋生物多样性的养护和可持续利用。\n"))
    draft = write_doc(tmp_path, "d.txt", "5. 大会请各国［采取必要的立法、行政和政策措施］，以确保国家管辖范围以外区域的养护。\n")
    res = find(draft, lib)
    assert res.matches
    m = res.matches[0]
    assert "立法" in draft.blocks[m.block].text[m.start:m.end]
    assert m.source.label == "1."


def test_real_resolutions_readopted_paragraphs_found(tmp_path):
    """Every paragraph of A/RES/79/271 that re-adopts wording of A/RES/78/272 is found with its
    source paragraph (read by hand from the two texts); those that do not are not matched."""
    lib = Library(tmp_path / "lib")
    lib.add(read(realtext("bbnj/A-RES-78-272.txt")))
    draft = read(realtext("bbnj/A-RES-79-271.txt"))
    res = find(draft, lib)
    by = res.by_block()
    label = {b.label: b.index for b in draft.blocks if b.label}
    expected = {"3.": "2.", "6.": "15.", "8.": "16.", "9.": "17."}
    for new, old in expected.items():
        ms = by.get(label[new], [])
        assert any(m.source.label == old for m in ms), (new, [(m.source.label, m.similarity) for m in ms])
        best = [m for m in ms if m.source.label == old][0]
        # most of the paragraph is the re-adopted wording
        assert best.end - best.start > 0.4 * len(draft.blocks[label[new]].text)
    # The preamble and the title are re-adopted too (unnumbered: matched by their text).
    pre = [b for b in draft.blocks if b.text.startswith("The General Assembly")][0]
    assert any(m.source.text.startswith("The General Assembly") and m.end - m.start > 500 for m in by[pre.index])
    for new in ("2.", "4."):                   # new wording in 79/271
        assert label[new] not in by


def test_planted_clauses_small_scale():
    """The bench's accuracy measure at a small scale, asserted at a looser level."""
    if not REALTEXTS.exists():
        pytest.skip("needs ../shared/realtexts")
    for code, unit in (("en", "word"), ("zh", "char")):
        corpus = Corpus.from_texts(real_paragraphs(REALTEXTS, code), code, unit, seed=5)
        texts = corpus.library(1500)
        lib_dir = f"/tmp/negotiate-test-prec-{os.getpid()}-{code}"
        lib = Library(lib_dir)
        try:
            lib.add_many([({"path": f"syn/{d}", "language": code, "sha256": f"{code}{d}"},
                           [(b, f"{b + 1}.", texts[d * 50 + b]) for b in range(50)]) for d in range(30)])
            draft, truth = corpus.draft(texts, 80)
            res = find(draft, lib)
            s = score(res, truth, lambda m: int(m.source.path.split("/")[1]) * 50 + m.source.block)
            assert s["found"] >= 0.85, (code, s)
            assert s["false_per_100"] <= 5, (code, s)
        finally:
            lib.close()
            import shutil
            shutil.rmtree(lib_dir, ignore_errors=True)


def test_table_index_gives_the_same_matches(tmp_path, monkeypatch):
    """The SQL-table index (the PostgreSQL path) answers as the NumPy segments do."""
    draft = write_doc(tmp_path, "draft.txt", DRAFT)
    seg = Library(tmp_path / "seg")
    seg.add(write_doc(tmp_path, "adopted.txt", ADOPTED))
    monkeypatch.setenv("NEGOTIATE_LIBRARY_INDEX", "table")
    tab = Library(tmp_path / "tab")
    assert type(tab.index).__name__ == "TableIndex"
    tab.add(write_doc(tmp_path, "adopted.txt", ADOPTED))
    key = lambda r: [(m.block, m.start, m.end, m.source.block, m.similarity) for m in r.matches]  # noqa: E731
    assert key(find(draft, seg)) == key(find(draft, tab)) != []
    tab.remove("adopted.txt")
    assert not find(draft, tab).matches
    with tab.engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM library_postings").scalar() == 0
        assert c.exec_driver_sql("SELECT count(*) FROM library_df").scalar() == 0


def test_remove_and_merge(tmp_path):
    lib = Library(tmp_path / "lib")
    for i in range(12):     # more segments than MAX_SEGMENTS: merged on the way
        lib.add(write_doc(tmp_path, f"a{i}.txt", ADOPTED + f"\n4. Note number {i} of a series.\n"))
    assert len(lib.index.names()) <= 8
    draft = write_doc(tmp_path, "draft.txt", DRAFT)
    assert len({m.source.path for m in find(draft, lib).matches}) >= 2
    for i in range(12):
        assert lib.remove(str(tmp_path / f"a{i}.txt"))
    assert not find(draft, lib).matches
    lib.index.merge(lib.live_ids())
    assert lib.index.frequencies([1, 2]) == {}


def test_dates():
    assert find_date("Distr.: General 4 March 2025 Seventy-ninth session") == "2025-03-04"
    assert find_date("adopted on December 12, 2015") == "2015-12-12"
    assert find_date("2023年6月19日通过", "zh") == "2023-06-19"
    assert find_date("le 19 juin 2023", "fr") == "2023-06-19"
    assert find_date("no date here") == ""
    # a cited text's date is not the document's
    assert find_date("Recalling the Convention of 10 December 1982, adopted on 19 June 2023") == "2023-06-19"
    assert find_date("Recalling the Convention of 10 December 1982") == ""


def test_default_library_under_negotiate_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOTIATE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NEGOTIATE_DB", raising=False)
    lib = Library()
    assert lib.where == str(tmp_path / "home" / "library")
    monkeypatch.setenv("NEGOTIATE_DB", "postgresql://u:secret@db.example/negotiate")
    from negotiate.precedents.library import default_url
    assert default_url() == "postgresql://u:secret@db.example/negotiate"


# -- the CLI -------------------------------------------------------------------------------
def test_cli_add_refuses_bad_files_by_name_and_adds_the_rest(tmp_path, capsys):
    good = tmp_path / "adopted.txt"
    good.write_text(ADOPTED, encoding="utf-8")
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    libdir = str(tmp_path / "lib")
    rc = main(["library", "add", "--library", libdir, str(bad), str(tmp_path / "missing.pdf"), str(good)])
    out, err = capsys.readouterr()
    assert rc == 2
    assert "broken.docx" in err and "missing.pdf" in err and "Traceback" not in err
    assert "1 added" in out and "2 refused" in out
    assert main(["library", "add", "--library", libdir, str(good)]) == 0
    assert "already in the library" in capsys.readouterr().err
    assert main(["library", "list", "--library", libdir, "--format", "json"]) == 0
    docs = json.loads(capsys.readouterr().out)["documents"]
    assert [d["date"] for d in docs] == ["2025-03-04"] and docs[0]["paragraphs"] == 4
    assert main(["library", "remove", "--library", libdir, "nothing-like-it"]) == 2
    assert main(["library", "remove", "--library", libdir, str(good)]) == 0
    assert main(["library", "list", "--library", libdir]) == 0
    assert "0 documents" in capsys.readouterr().out


def test_cli_empty_library_warns_and_gives_empty_result(tmp_path, capsys):
    d = tmp_path / "draft.txt"
    d.write_text(DRAFT, encoding="utf-8")
    rc = main(["precedents", str(d), "--library", str(tmp_path / "empty"), "--format", "json"])
    out, err = capsys.readouterr()
    assert rc == 0
    assert json.loads(out)["matches"] == []
    assert "warning" in err and "empty" in err


def test_cli_precedents_json_contract_and_text(tmp_path, capsys):
    a = tmp_path / "adopted.txt"
    a.write_text(ADOPTED, encoding="utf-8")
    d = tmp_path / "draft.txt"
    d.write_text(DRAFT, encoding="utf-8")
    libdir = str(tmp_path / "lib")
    assert main(["library", "add", "--library", libdir, str(a)]) == 0
    capsys.readouterr()
    assert main(["precedents", str(d), "--library", libdir, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"draft", "matches"} and set(out["draft"]) == {"document", "blocks"}
    m = out["matches"][0]
    assert set(m) == {"block", "start", "end", "source", "similarity"}
    assert set(m["source"]) >= {"path", "symbol", "block", "label", "start", "end"}
    text = out["draft"]["blocks"][m["block"]]["text"]
    assert 0 <= m["start"] < m["end"] <= len(text)
    assert main(["precedents", str(d), "--library", libdir]) == 0
    txt = capsys.readouterr().out
    assert "⟦calls upon all States" in txt and "adopted.txt para. 1, 0." in txt
    assert "2 of 3 paragraphs reuse library wording" in txt


def test_spans_group_overlapping_matches_best_first(lib, tmp_path):
    draft = write_doc(tmp_path, "draft.txt", DRAFT)
    res = find(draft, lib)
    for ms in res.by_block().values():
        groups = spans(ms)
        assert all(g[1] <= h[0] for g, h in zip(groups, groups[1:]))
        assert sum(len(g[2]) for g in groups) == len(ms)


# -- server mode: the library in a shared PostgreSQL database --------------------------------
@pytest.fixture
def postgres(pg_cluster):
    """A new database in the session's throw-away PostgreSQL cluster (conftest.pg_cluster)."""
    pytest.importorskip("psycopg")
    return pg_cluster.create_database(f"prec{next(_prec_databases)}")


_prec_databases = iter(range(1, 10**6))


def test_server_mode_every_replica_sees_the_library(postgres, monkeypatch, tmp_path):
    monkeypatch.setenv("NEGOTIATE_DB", postgres)
    one, two = Library(), Library()          # two app replicas on one database
    assert type(one.index).__name__ == "TableIndex" and "***" not in one.where
    one.add(write_doc(tmp_path, "adopted.txt", ADOPTED))
    assert [d.path for d in two.documents()] == [str(tmp_path / "adopted.txt")]
    draft = write_doc(tmp_path, "draft.txt", DRAFT)
    local = Library(tmp_path / "local")
    local.add(write_doc(tmp_path, "adopted.txt", ADOPTED))
    key = lambda r: [(m.block, m.start, m.end, m.source.block, m.similarity) for m in r.matches]  # noqa: E731
    assert key(find(draft, two)) == key(find(draft, local)) != []
    # A second document sharing shingles with the first: removing one keeps the other's counts.
    one.add(write_doc(tmp_path, "other.txt", ADOPTED.replace("Calls upon", "Urges")))

    def rows(lib):
        with lib.engine.connect() as c:
            return [c.exec_driver_sql(f"SELECT count(*), coalesce(sum({x}), 0) FROM {t}").one()
                    for t, x in (("library_postings", "paragraph_id"), ("library_df", "n"))]
    both = rows(one)
    assert two.remove(str(tmp_path / "adopted.txt"))
    assert find(draft, one).matches and rows(one) != both
    (n_post, _), (_, n_df) = rows(one)
    assert n_post == n_df        # every posting left is counted once in library_df
    assert two.remove(str(tmp_path / "other.txt"))
    assert one.paragraph_count() == 0 and not find(draft, one).matches
    assert [tuple(r)[0] for r in rows(one)] == [0, 0]
    one.close()
    two.close()


def test_a_reader_does_not_block_a_writer(tmp_path):
    """Searches and lists never take SQLite's write lock: a library being read can be added to."""
    lib = Library(tmp_path / "lib")
    lib.add(write_doc(tmp_path, "adopted.txt", ADOPTED))
    other = Library(tmp_path / "lib")          # another process, say the app, reading
    with other.engine.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM library_paragraphs").scalar() == 4
        assert c.in_transaction()              # a read transaction is open
        t0 = __import__("time").perf_counter()
        lib.add(write_doc(tmp_path, "more.txt", ADOPTED.replace("Calls upon", "Urges")))
        assert __import__("time").perf_counter() - t0 < 5
    assert len(lib.documents()) == 2 and len(other.documents()) == 2


# -- verification and ranking (search.py) -------------------------------------------------------
def _verify(draft_text, source_text, language="en"):
    from negotiate.precedents.search import verify
    d, s = U.units(draft_text), U.units(source_text)
    _, n, k = U.settings(language)
    return verify(d.ids.tolist(), U.shingles(d.ids, k), s.ids.tolist(), U.shingles(s.ids, k), k, n, 0.8, Options(),
                  U.frequent(language))


def test_a_clause_is_kept_whole_beside_unlike_text():
    """The text around a clause differs in length on the two sides: the clause's first word is
    matched as itself, not as a "the" of the text before it (one global alignment did that)."""
    draft = "alpha the beta gamma delta epsilon [The Financial Mechanism established by Article 11 sovereignty] " \
            "one two three four five"
    source = "to The Financial Mechanism established by Article 11 sovereignty ecosystem Convention, diverse Parties " \
             "country systems, Support public action"
    (i1, i2, j1, j2, sim), = _verify(draft, source)
    assert (i2 - i1, j2 - j1, sim) == (8, 8, 1.0)
    # An edit at a clause's edge: "and" inserted after its first word, which no shared shingle covers.
    (i1, i2, j1, j2, sim), = _verify("for REDD plus competence shall be Effectiveness and OF their work in light of of",
                                     "enhance the coherence allow effectiveness of their work in light of of 4 of the")
    assert (i2 - i1, j2 - j1) == (9, 8) and round(sim, 3) == 0.889


def test_a_frequent_word_cut_off_by_an_edit_does_not_make_a_span():
    # Six words in common; "the" at either end, past an edit, would make it eight.
    assert not _verify("noting the of the Sea 1 on its the basis", "recalling the Law of the Sea 1 on the shelf")
    # Not so a word that is not frequent: "of the Sea 1 on [its] continental shelf" is eight.
    (i1, i2, _, _, sim), = _verify("noting the of the Sea 1 on its continental shelf",
                                   "recalling the Law of the Sea 1 on the continental shelf")
    assert (i1, i2, sim) == (2, 10, 0.875)


def test_the_source_with_the_clause_ranks_above_copies_of_its_core(tmp_path):
    """The draft's clause comes from one source paragraph (an edit in it); other paragraphs hold
    only the same core. The source covers more of the clause at a lower similarity once one
    more word at two edits is taken in — it must still come first."""
    lib = Library(tmp_path / "lib")
    right = ("Each party to such an agreement shall be responsible for its emission level as set out developing "
             "the agreement referred to in paragraph 16 of poverty")
    copies = ["responsible for its emission level as set shall for the agreement referred to in paragraph",
              "responsible for its emission level as set accordance in the agreement referred to in paragraph"]
    lib.add(write_doc(tmp_path, "right.txt", "1. " + right + "\n"))
    for i, c in enumerate(copies):
        lib.add(write_doc(tmp_path, f"copy{i}.txt", f"1. {c}\n"))
    draft = write_doc(tmp_path, "draft.txt", "7. Welcomes the Agreement responsible for its emission level as set "
                                             "developing THE agreement referred to in paragraph five.\n")
    ms = find(draft, lib).matches
    assert ms and ms[0].source.path.endswith("right.txt") and ms[0].similarity > 0.9
    lib.close()
