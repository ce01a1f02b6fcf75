"""spaCy's tokenizer rules, taken from spaCy once and stored; applied in pure Python.

Importing spaCy and building a blank pipeline costs about a second in every
process (`negotiate --version` aside, every command tokenizes), while the
tokenizer itself is a handful of regular expressions and a table of special
cases. So the first process that needs a language asks spaCy for them and
stores them as JSON in the cache directory (NEGOTIATE_CACHE, else
$XDG_CACHE_HOME/negotiate, else ~/.cache/negotiate), keyed by spaCy's version;
every later process reads that file and tokenizes here, without importing spaCy.

`Rules.spans` reproduces `spacy.tokenizer.Tokenizer.__call__` step by step
(whitespace splitting, `_split_affixes`, `_attach_tokens` with token_match,
url_match and infixes, then the special-case matcher and its span filter), so the
tokens are spaCy's own: tests/test_tokenrules.py compares the two on the corpora,
the real texts and generated strings. A language whose tokenizer uses anything
but compiled regular expressions is not stored, and spaCy tokenizes it itself.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from pathlib import Path

FORMAT = 1   # bump when what is stored, or how it is applied, changes


def cache_dir() -> Path:
    d = os.environ.get("NEGOTIATE_CACHE")
    if d:
        return Path(d)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "negotiate"


def _spacy_version() -> str:
    # Without importing spaCy: its about.py is read as text.
    import importlib.util
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.origin:
        return "none"
    try:
        about = (Path(spec.origin).parent / "about.py").read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", about)
    return m.group(1) if m else "unknown"


# Patterns at least this long have their compiled form stored (below): spaCy's affix
# patterns (3-30 kB, 40 ms to compile for English, every process) and French's
# token_match; shorter ones compile in well under a millisecond.
_STORE_COMPILED = 2_000


def _compiled_path(pattern: str, flags: int) -> Path:
    import _sre
    h = hashlib.blake2b(pattern.encode("utf-8", "surrogatepass") + b"%d" % flags, digest_size=12)
    v = sys.version_info
    # sre's code is private to one Python build: keyed by its version and sre's MAGIC
    return cache_dir() / f"regex-{h.hexdigest()}-py{v[0]}.{v[1]}.{v[2]}-sre{_sre.MAGIC}.bin"


def compile_stored(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags), with the compiled form of a long pattern stored
    in the cache directory and read back by later processes.

    French's token_match is one 1.4 MB alternation of 266 case-insensitive
    expressions over spaCy's Unicode letter classes; `re` takes 2-14 s to parse and
    compile it, every process. The compiled program is what `re._compiler.compile`
    hands to `_sre.compile`: the same call with the same program gives the same
    Pattern (Pattern.__eq__ compares the program; tests/test_tokenrules.py checks it),
    and `_sre.compile` validates a program before running it, so a damaged file is
    refused and the pattern compiled anew."""
    if len(pattern) < _STORE_COMPILED:
        return re.compile(pattern, flags)
    try:
        import _sre
        path = _compiled_path(pattern, flags)
        blob = path.read_bytes()
        head, _, body = blob.partition(b"\n")
        meta = json.loads(head)
        if meta["digest"] != hashlib.blake2b(body, digest_size=16).hexdigest():
            raise ValueError("damaged")
        import array
        code = array.array("I")
        code.frombytes(body)
        groupindex = meta["groupindex"]
        return _sre.compile(pattern, meta["flags"], code.tolist(), meta["groups"],
                            groupindex, tuple(meta["indexgroup"]))
    except Exception:   # no file, another Python, a damaged or refused program: compile
        pass
    try:
        return _compile_and_store(pattern, flags)
    except Exception:   # a read-only cache, or a Python whose re differs: compile here only
        return re.compile(pattern, flags)


def _compile_and_store(pattern: str, flags: int) -> re.Pattern:
    """What re._compiler.compile does (parse, generate the program, _sre.compile),
    keeping the program to store it."""
    import _sre
    import array
    from re import _compiler, _parser
    p = _parser.parse(pattern, flags)
    code = _compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    total = flags | p.state.flags
    compiled = _sre.compile(pattern, total, code, p.state.groups - 1, groupindex, tuple(indexgroup))
    body = array.array("I", code)
    if body.itemsize != _sre.CODESIZE:
        return compiled
    raw = body.tobytes()
    meta = {"flags": total, "groups": p.state.groups - 1, "groupindex": groupindex,
            "indexgroup": indexgroup, "digest": hashlib.blake2b(raw, digest_size=16).hexdigest()}
    path = _compiled_path(pattern, flags)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(json.dumps(meta).encode() + b"\n" + raw)
            os.replace(tmp, path)
        except OSError:
            os.unlink(tmp)
            raise
    except OSError:
        pass   # a read-only home: this process keeps it in memory
    return compiled


class Rules:
    """One language's tokenizer: spaCy's regexes and special cases, applied as spaCy does."""

    def __init__(self, data: dict):
        def comp(p, attr):
            return getattr(compile_stored(p[0], p[1]), attr) if p else None
        self.prefix_search = comp(data["prefix"], "search")
        self.suffix_search = comp(data["suffix"], "search")
        self.infix_finditer = comp(data["infix"], "finditer")
        self.token_match = comp(data["token_match"], "match")
        self.url_match = comp(data["url_match"], "match")
        self.rules: dict[str, list[str]] = data["rules"]
        # The special-case matcher: rules whose text affix splitting would break
        # up, as token sequences, looked up by their first token.
        self.matcher: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for string, pattern in data["matcher"]:
            self.matcher.setdefault(pattern[0], []).append((tuple(pattern), string))
        self._cache: dict[str, list[str]] = {}

    # -- one whitespace-delimited chunk ---------------------------------------------------------
    def _split_affixes(self, s: str, specials: bool):
        prefixes: list[str] = []
        suffixes: list[str] = []
        rules, token_match = self.rules, self.token_match
        last = 0
        prefix = suffix = ""
        while s and len(s) != last:
            if token_match and token_match(s):
                break
            if specials and s in rules:
                break
            last = len(s)
            pre_len = self._find(self.prefix_search, s)
            if pre_len:
                prefix, minus_pre = s[:pre_len], s[pre_len:]
                if minus_pre and specials and minus_pre in rules:
                    s = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self._find(self.suffix_search, s[pre_len:])
            if suf_len:
                suffix, minus_suf = s[-suf_len:], s[:-suf_len]
                if minus_suf and specials and minus_suf in rules:
                    s = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(s):
                s = s[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                s = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                s = minus_suf
                suffixes.append(suffix)
        return s, prefixes, suffixes

    @staticmethod
    def _find(search, s: str) -> int:
        if search is None:
            return 0
        m = search(s)
        return m.end() - m.start() if m is not None else 0

    def _chunk(self, s: str, specials: bool = True) -> list[str]:
        if specials:
            hit = self.rules.get(s)
            if hit is not None:
                return hit
            hit = self._cache.get(s)
            if hit is not None:
                return hit
        core, prefixes, suffixes = self._split_affixes(s, specials)
        out = prefixes
        if core:
            if specials and core in self.rules:
                out.extend(self.rules[core])
            elif (self.token_match and self.token_match(core)) or (self.url_match and self.url_match(core)):
                out.append(core)
            else:
                matches = list(self.infix_finditer(core)) if self.infix_finditer else []
                if not matches:
                    out.append(core)
                else:
                    start = 0
                    for m in matches:
                        a, b = m.start(), m.end()
                        if a == 0:
                            continue
                        if a != start:
                            out.append(core[start:a])
                        if a != b:
                            out.append(core[a:b])
                        start = b
                    if core[start:]:
                        out.append(core[start:])
        out.extend(reversed(suffixes))
        if specials and len(self._cache) < 100_000:
            self._cache[s] = out
        return out

    # -- a whole text ----------------------------------------------------------------------------
    def _affix_tokens(self, text: str, specials: bool = True) -> list[tuple[int, str]]:
        """Tokenizer._tokenize_affixes: (offset, token) pairs, whitespace runs
        included except one plain space after a word."""
        out: list[tuple[int, str]] = []
        first = True
        for m in _RUNS.finditer(text):
            pos, run = m.start(), m.group(0)
            if not first and run[0] == " ":   # a word's trailing space: no token
                pos += 1
                run = run[1:]
                if not run:
                    continue
            first = False
            for piece in self._chunk(run, specials):
                out.append((pos, piece))
                pos += len(piece)
        return out

    def spans(self, text: str) -> list[tuple[int, int]]:
        """spaCy's tokens of `text` as (start, end) offsets, in order."""
        # _affix_tokens, inlined: this is the hot loop of every diff.
        spans: list[tuple[int, int]] = []
        words: list[str] = []
        cache, chunk = self._cache, self._chunk
        first = True
        end = 0
        # The runs tile the text, so each one's offset is the sum of the lengths before
        # it (findall makes no match objects).
        for run in _RUNS.findall(text):
            pos = end
            end += len(run)
            if not first and run[0] == " ":
                if end - pos == 1:   # one space after a word: no token (most runs)
                    continue
                pos += 1
                run = run[1:]
            first = False
            pieces = cache.get(run) or chunk(run)
            if len(pieces) == 1:
                spans.append((pos, end))
            else:
                for piece in pieces:
                    e = pos + len(piece)
                    spans.append((pos, e))
                    pos = e
            words.extend(pieces)
        matcher = self.matcher
        if not matcher or matcher.keys().isdisjoint(words):
            return spans
        toks = [(s, w) for (s, _), w in zip(spans, words)]
        found = []
        n = len(words)
        for i, w in enumerate(words):
            for pattern, _string in matcher.get(w, ()):
                k = len(pattern)
                if i + k <= n and tuple(words[i:i + k]) == pattern:
                    found.append((i, i + k))
        if not found:
            return spans
        # Tokenizer._filter_special_spans: longest first, then leftmost; a span is
        # kept when neither its first nor its last token was seen (the tokens of
        # every span looked at count as seen, kept or not).
        found = sorted(set(found), key=lambda s: (s[1] - s[0], -s[0]))
        seen: set[int] = set()
        kept = []
        for s, e in reversed(found):
            if s not in seen and e - 1 not in seen:
                kept.append((s, e))
            seen.update(range(s, e))
        kept.sort()
        out: list[tuple[int, int]] = []
        i = 0
        ki = 0
        while i < len(toks):
            if ki < len(kept) and kept[ki][0] == i:
                s, e = kept[ki]
                ki += 1
                a = toks[s][0]
                b = toks[e - 1][0] + len(toks[e - 1][1])
                rule = self.rules.get(text[a:b])
                if rule is None:      # matched across spaces the rule does not have
                    out.extend((p, p + len(t)) for p, t in toks[s:e])
                else:
                    for piece in rule:
                        out.append((a, a + len(piece)))
                        a += len(piece)
                i = e
            else:
                p, t = toks[i]
                out.append((p, p + len(t)))
                i += 1
        return out


# Runs of whitespace and of anything else, as spaCy splits a text (str.isspace,
# which is what \s means in a str pattern).
_RUNS = re.compile(r"\s+|\S+")


def extract(tokenizer) -> dict | None:
    """The rules of a spaCy Tokenizer as plain data, or None when it uses
    something other than compiled regexes (then spaCy must run it)."""
    from spacy.symbols import ORTH

    def pat(f):
        if f is None:
            return None
        p = getattr(f, "__self__", None)
        if not isinstance(p, re.Pattern) or not isinstance(p.pattern, str):
            raise TypeError
        return [p.pattern, p.flags]

    try:
        data = {name: pat(getattr(tokenizer, attr)) for name, attr in (
            ("prefix", "prefix_search"), ("suffix", "suffix_search"), ("infix", "infix_finditer"),
            ("token_match", "token_match"), ("url_match", "url_match"))}
    except TypeError:
        return None

    def orth(d):
        for k in (ORTH, "ORTH", "orth"):
            if k in d:
                return d[k]
        raise KeyError("ORTH")

    data["rules"] = {s: [orth(d) for d in subs] for s, subs in tokenizer.rules.items()}
    data["matcher"] = []
    r = Rules(data)
    if not getattr(tokenizer, "faster_heuristics", True):
        return None   # every rule in the matcher: possible, but not what blank pipelines do
    for s in sorted(data["rules"]):
        if r._find(r.prefix_search, s) or (r.infix_finditer and list(r.infix_finditer(s))) \
                or r._find(r.suffix_search, s) or " " in s:
            data["matcher"].append([s, [t for _, t in r._affix_tokens(s, specials=False)]])
    return data


def load(code: str, key: str, build) -> Rules | None:
    """The stored rules for `code` (built with `build()`, a spaCy Tokenizer, and
    stored, the first time), or None when they cannot be stored."""
    path = cache_dir() / f"tokenizer-{code}-spacy{_spacy_version()}-f{FORMAT}-{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Rules(data)
    except (OSError, ValueError, KeyError, TypeError, re.error):
        pass
    data = extract(build())
    if data is None:
        return None
    try:   # atomically, so that two processes starting at once never read half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass   # a read-only home: this process keeps them in memory
    return Rules(data)
