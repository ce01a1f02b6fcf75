"""Who can propose text: UN Member States, observer States, regional and
negotiating groups, as they are written in attributions. Callers pass their own
list to extend or replace it (`Parties(extra=[...])`)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MEMBER_STATES = """Afghanistan; Albania; Algeria; Andorra; Angola; Antigua and Barbuda; Argentina; Armenia;
Australia; Austria; Azerbaijan; Bahamas; Bahrain; Bangladesh; Barbados; Belarus; Belgium; Belize; Benin;
Bhutan; Bolivia; Plurinational State of Bolivia; Bosnia and Herzegovina; Botswana; Brazil; Brunei Darussalam;
Bulgaria; Burkina Faso; Burundi; Cabo Verde; Cambodia; Cameroon; Canada; Central African Republic; Chad;
Chile; China; Colombia; Comoros; Congo; Costa Rica; Côte d'Ivoire; Côte d’Ivoire; Croatia; Cuba; Cyprus;
Czechia; Czech Republic; Democratic People's Republic of Korea; Democratic Republic of the Congo; Denmark;
Djibouti; Dominica; Dominican Republic; Ecuador; Egypt; El Salvador; Equatorial Guinea; Eritrea; Estonia;
Eswatini; Ethiopia; Fiji; Finland; France; Gabon; Gambia; Georgia; Germany; Ghana; Greece; Grenada;
Guatemala; Guinea; Guinea-Bissau; Guyana; Haiti; Honduras; Hungary; Iceland; India; Indonesia; Iran;
Islamic Republic of Iran; Iraq; Ireland; Israel; Italy; Jamaica; Japan; Jordan; Kazakhstan; Kenya; Kiribati;
Kuwait; Kyrgyzstan; Lao People's Democratic Republic; Latvia; Lebanon; Lesotho; Liberia; Libya;
Liechtenstein; Lithuania; Luxembourg; Madagascar; Malawi; Malaysia; Maldives; Mali; Malta; Marshall Islands;
Mauritania; Mauritius; Mexico; Micronesia; Federated States of Micronesia; Monaco; Mongolia; Montenegro;
Morocco; Mozambique; Myanmar; Namibia; Nauru; Nepal; Netherlands; New Zealand; Nicaragua; Niger; Nigeria;
North Macedonia; Norway; Oman; Pakistan; Palau; Panama; Papua New Guinea; Paraguay; Peru; Philippines;
Poland; Portugal; Qatar; Republic of Korea; Korea; Republic of Moldova; Moldova; Romania; Russian Federation;
Russia; Rwanda; Saint Kitts and Nevis; Saint Lucia; Saint Vincent and the Grenadines; Samoa; San Marino;
Sao Tome and Principe; Saudi Arabia; Senegal; Serbia; Seychelles; Sierra Leone; Singapore; Slovakia;
Slovenia; Solomon Islands; Somalia; South Africa; South Sudan; Spain; Sri Lanka; Sudan; Suriname; Sweden;
Switzerland; Syrian Arab Republic; Syria; Tajikistan; Thailand; Timor-Leste; Togo; Tonga; Trinidad and
Tobago; Tunisia; Türkiye; Turkey; Turkmenistan; Tuvalu; Uganda; Ukraine; United Arab Emirates; UAE;
United Kingdom; UK; United Kingdom of Great Britain and Northern Ireland; United Republic of Tanzania;
Tanzania; United States; United States of America; USA; US; Uruguay; Uzbekistan; Vanuatu; Venezuela;
Bolivarian Republic of Venezuela; Viet Nam; Vietnam; Yemen; Zambia; Zimbabwe; Holy See; State of Palestine;
Palestine"""

GROUPS = """EU; European Union; EU and its member States; European Union and its member States; G77/China;
G77 and China; G-77/China; G-77 and China; Group of 77 and China; G77; African Group; AGN; African Group of
Negotiators; Arab Group; GRULAC; Asia-Pacific Group; Asia-Pacific States; WEOG; Eastern European Group;
CEE; JUSSCANNZ; Umbrella Group; EIG; Environmental Integrity Group; AOSIS; SIDS; LDCs; LDC; LDC Group;
LLDCs; LMDC; LMDCs; Like-Minded Developing Countries; AILAC; ALBA; BASIC; CfRN; Coalition for Rainforest
Nations; CARICOM; Pacific SIDS; PSIDS; HAC; High Ambition Coalition; Mountain Partnership; OPEC; ASEAN;
AU; African Union; ECOWAS; SADC; Nordic countries; Nordics; Central American Integration System; SICA;
Brazil, South Africa, India and China; Group of Friends; Co-facilitators; Co-chairs; Chair; Secretariat"""

_SPLIT = re.compile(r"\s*;\s*")


def _names(block: str) -> list[str]:
    return [n for n in (" ".join(x.split()) for x in _SPLIT.split(block)) if n]


DEFAULT = tuple(_names(MEMBER_STATES) + _names(GROUPS))
RELATIONS = (("proposed by", "proposed"), ("supported by", "supported"), ("opposed by", "opposed"),
             ("on behalf of", "proposed"), ("objected to by", "opposed"), ("reservation by", "opposed"),
             ("propuesto por", "proposed"), ("proposé par", "proposed"), ("appuyé par", "supported"),
             ("apoyado por", "supported"))


def _key(name: str) -> str:
    return " ".join(name.replace("’", "'").split()).casefold()


@dataclass
class Parties:
    """A set of party names; matching folds case, spaces and apostrophes."""
    names: tuple[str, ...] = DEFAULT
    extra: tuple[str, ...] = ()
    _index: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        for n in (*self.names, *self.extra):
            self._index[_key(n)] = n

    def known(self, name: str) -> bool:
        return _key(name) in self._index

    def canonical(self, name: str) -> str:
        return self._index.get(_key(name), " ".join(name.split()))

    def parse_list(self, s: str, lenient: bool = False) -> list[tuple[str, str]] | None:
        """'proposed by Canada; supported by Norway, EU' → [(Canada, proposed), …].

        None when any item is not a party (unless `lenient`, where a
        capitalized name after 'proposed by' also counts)."""
        out: list[tuple[str, str]] = []
        relation = "proposed"
        for chunk in re.split(r"\s*;\s*", s.strip()):
            if not chunk:
                continue
            low = chunk.lower()
            rel_here = None
            for phrase, rel in RELATIONS:
                if low.startswith(phrase):
                    rel_here = rel
                    chunk = chunk[len(phrase):].strip(" :")
                    break
            if rel_here:
                relation = rel_here
                chunk = re.sub(r"^(?:the|le|la|les|l['’]|el|los|las)\s*", "", chunk, flags=re.I)
            items = self._items(chunk)
            if items is None:
                if (lenient or rel_here) and chunk and all(w[:1].isupper() for w in chunk.split()
                                                           if w.isalpha() and w not in ("and", "of", "the")):
                    items = [chunk]
                else:
                    return None
            out.extend((self.canonical(i), relation) for i in items)
        return out or None

    def _items(self, chunk: str) -> list[str] | None:
        if self.known(chunk):
            return [chunk]
        parts = [p for p in re.split(r"\s*,\s*|\s+and\s+(?=[A-Z])", chunk) if p]
        if parts and all(self.known(p) for p in parts):
            return parts
        # "G77/China, EU": a name may itself hold "and" or "/": greedy pairs.
        parts = [p for p in re.split(r"\s*,\s*", chunk) if p]
        if parts and all(self.known(p) for p in parts):
            return parts
        return None


DEFAULT_PARTIES = Parties()
