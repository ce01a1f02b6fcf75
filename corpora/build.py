"""Write the bundled corpora: our own texts in the style of UN compilation texts.

Run `python corpora/build.py` to regenerate every file here; the output is
deterministic. Nothing in these texts is copied from a real document: the
sentences are assembled from phrase lists written for this project.

English: a framework text in three versions (compilation → streamlined →
revised), each as .txt with typed labels and as .docx with Word automatic
numbering; plus the streamlined version carrying delegations' proposals as
tracked changes. Chinese: a shorter text in two versions.
"""
from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from negotiate.export.wordml import DocxWriter, Para, Run, chinese_section_levels, paragraph_levels, section_levels  # noqa: E402

PARTIES = ["EU", "African Group", "GRULAC", "G77/China", "Canada", "Norway", "Switzerland",
           "Japan", "Brazil", "Kenya", "Mexico", "Australia", "United States", "China", "India"]

# -- the model ----------------------------------------------------------------


@dataclass
class Unit:
    uid: str
    kind: str                 # section | subsection | para | bis | alt | sub | subsub | note | annex
    text: str
    title: str = ""
    children: list[Unit] = field(default_factory=list)
    footnote: str = ""


def S(uid, title, *units):
    return Unit(uid, "section", "", title=title, children=list(units))


def SS(uid, title, *units):
    return Unit(uid, "subsection", "", title=title, children=list(units))


def P(uid, text, *subs, kind="para", footnote=""):
    return Unit(uid, kind, text, children=list(subs), footnote=footnote)


def A(uid, text, *subs):
    return Unit(uid, "sub", text, children=list(subs))


def I(uid, text):
    return Unit(uid, "subsub", text)


rng = random.Random(2026)

TOPICS = ["highly hazardous pesticides", "lead in paint", "chemicals in products",
          "endocrine-disrupting chemicals", "hazardous substances within the life cycle of electrical and electronic products",
          "nanotechnologies and manufactured nanomaterials", "environmentally persistent pharmaceutical pollutants",
          "perfluorinated chemicals", "mercury in artisanal gold mining", "plastic additives of concern",
          "chemicals in textiles", "legacy stockpiles of obsolete pesticides"]
ACTORS = ["Governments", "all stakeholders", "the private sector", "intergovernmental organizations",
          "civil society organizations", "academia", "health-sector stakeholders", "workers' organizations",
          "financial institutions", "regional economic integration organizations"]
OBJECTS = ["national legislation and policy frameworks for the sound management of chemicals and waste",
           "information on chemicals in products throughout their life cycle",
           "the capacity of national poison centres and health systems",
           "monitoring programmes for chemicals in the environment and in human populations",
           "safer alternatives and sustainable chemistry innovation",
           "the participation of women, youth and indigenous peoples in decision-making",
           "the phase-out of the most hazardous substances in agriculture",
           "access to information, including hazard and risk information, for consumers",
           "coordination among ministries responsible for environment, health, labour and agriculture",
           "the prevention of illegal international traffic in chemicals and waste",
           "the integration of chemicals management into national development plans",
           "the implementation of the Globally Harmonized System of Classification and Labelling of Chemicals"]
VERBS = ["strengthen", "develop and implement", "promote", "enhance", "support", "establish and maintain",
         "review and update", "facilitate", "mainstream", "accelerate"]
QUALIFIERS = ["as appropriate", "in accordance with national circumstances and legislation",
              "where feasible", "taking into account national capacities", "on a voluntary basis",
              "with developed countries taking the lead", "by [2030]", "by [20XX], or as soon as possible"]
OPENERS = ["Recognizes", "Recalls", "Notes", "Emphasizes", "Acknowledges", "Underlines", "Reaffirms"]
OPERATIVE = ["Decides", "Agrees", "Stresses", "Recognizes", "Affirms", "Underlines",
             "Considers"]


def party(k=1):
    return ", ".join(rng.sample(PARTIES, k))


def sentence(style="op", brackets=True):
    actor = rng.choice(ACTORS)
    verb = rng.choice(VERBS)
    obj = rng.choice(OBJECTS)
    q = rng.choice(QUALIFIERS)
    modal = "[shall][should]" if brackets and rng.random() < 0.35 else rng.choice(["should", "will", "are encouraged to"])
    if brackets and rng.random() < 0.3:
        q = f"[{q}]"
    if brackets and rng.random() < 0.25:
        obj = obj.replace(" and ", f" [and {rng.choice(['related', 'relevant', 'associated'])}] and ", 1)
    if style == "pre":
        return f"{rng.choice(OPENERS)} the importance of efforts by {actor.lower() if actor[0].islower() else actor} to {verb} {obj},"
    text = f"{actor} {modal} {verb} {obj}, {q}"
    if brackets and rng.random() < 0.2:
        text += f" [{rng.choice(['including through', 'inter alia through', 'in particular through'])} {rng.choice(OBJECTS)}] ({party(rng.choice([1, 2]))})"
    return text + ";"


def op_para(uid, brackets=True, n_subs=0, roman=0, attributed=False):
    opener = rng.choice(OPERATIVE)
    if n_subs:
        chapeau = f"{opener} that {rng.choice(ACTORS)} [shall][should], {rng.choice(QUALIFIERS)}:" if brackets else f"{opener} that {rng.choice(ACTORS)} should:"
        subs = []
        for i in range(n_subs):
            s = sentence(brackets=brackets and rng.random() < 0.6)
            s = s[0].lower() + s[1:]
            s = re.sub(r"^[^[]*?(should|will|are encouraged to|\[shall\]\[should\]) ", "", s)
            subs.append(A(f"{uid}.{chr(97 + i)}", s[0].upper() + s[1:]))
        if roman:
            subs[-1].text = subs[-1].text.rstrip(";") + ", including:"
            subs[-1].children = [I(f"{uid}.r{j}", f"{rng.choice(TOPICS).capitalize()};") for j in range(roman)]
        subs[-1].text = subs[-1].text.rstrip(";") + "." if not roman else subs[-1].text
        return P(uid, chapeau, *subs)
    body = sentence(brackets=brackets)
    text = f"{opener} that {body[0].lower()}{body[1:]}"
    text = text.rstrip(";") + "."
    if attributed:
        text = f"[{text}] ({party(rng.choice([1, 2, 3]))})"
    return P(uid, text)


def compilation() -> list[Unit]:
    units: list[Unit] = []
    n = 0

    def nid():
        nonlocal n
        n += 1
        return f"p{n}"

    intro = [P(nid(), sentence("pre", False)[:-1] + ".") for _ in range(3)]
    intro.append(P(nid(), "[Recognizing that the sound management of chemicals and waste is essential to sustainable development, "
                          "to the protection of human health and the environment, and to the eradication of poverty,] (African Group)",
                   footnote="The African Group proposed this paragraph at the second meeting of the virtual working group."))
    intro.append(P(nid(), "Recalls that the 2020 goal of minimizing the adverse effects of chemicals on human health and the environment "
                          "[has not been fully achieved][remains unmet] and that [significant][further] action is required [by 2030]."))
    intro.append(P(nid(), "[Co-facilitators' note: paragraphs 1 to 5 were compiled from written submissions and have not been discussed.]", kind="note"))
    units.append(S("s1", "Introduction", *intro))

    vision = [P(nid(), "The vision of the framework is [a planet free of harm from chemicals and waste][a world in which chemicals and waste "
                       "are managed soundly throughout their life cycle], for a safe, healthy and sustainable future."),
              P(nid(), "[The vision applies to all sectors and all stages of the life cycle of chemicals, including products and waste.] (EU, Norway)"),
              P(nid(), "The framework [shall][should] be implemented in a manner that [respects][promotes] human rights, including the right to a "
                       "clean, healthy and sustainable environment."),
              P(nid(), "Alt 1 The framework should be implemented taking into account [national circumstances and capacities].", kind="alt"),
              P(nid(), "Alt 2 [No text]", kind="alt")]
    vision.insert(2, P(nid(), "The vision [is to be pursued][shall be pursued] through the strategic objectives and targets set out in section V.", kind="bis"))
    units.append(S("s2", "Vision", *vision))

    scope = [op_para(nid()) for _ in range(4)]
    scope.insert(2, op_para(nid(), n_subs=4))
    scope.append(P(nid(), "[The framework does not cover matters regulated by other multilateral environmental agreements, "
                          "except where it can add value without duplication.] (United States; opposed by African Group)"))
    units.append(S("s3", "Scope", *scope))

    principles = [P(nid(), "The following principles and approaches [shall][should] guide the implementation of the framework:",
                    *[A(f"pr{i}", t) for i, t in enumerate([
                        "The precautionary approach, as set out in principle 15 of the Rio Declaration on Environment and Development;",
                        "The polluter-pays principle [, as appropriate];",
                        "[Common but differentiated responsibilities and respective capabilities;] (G77/China)",
                        "Transparency and access to information;",
                        "Gender equality and the empowerment of women;",
                        "A life-cycle approach to chemicals and waste;",
                        "[The substitution principle;] (EU)",
                        "[Intergenerational equity;]",
                        "The no-data, no-market principle [where applicable] (Norway; supported by Switzerland);",
                        "Multisectoral and multi-stakeholder engagement."])])]
    principles += [op_para(nid(), attributed=rng.random() < 0.5) for _ in range(4)]
    principles.insert(2, P(nid(), "[The principles apply equally to all stakeholders, [taking into account their respective roles].]", kind="bis"))
    units.append(S("s4", "Principles and approaches", *principles))

    objectives = []
    for letter, title, _topic in [("A", "Legal frameworks, institutional mechanisms and capacities", "legal frameworks"),
                                 ("B", "Knowledge, data and information", "data"),
                                 ("C", "Issues of concern", "issues"),
                                 ("D", "Safer alternatives and innovation", "alternatives"),
                                 ("E", "Integration into decision-making", "integration")]:
        paras = [P(nid(), f"Strategic objective {letter}: [{rng.choice(['Measures are identified, implemented and enforced', 'Comprehensive and sufficient knowledge, data and information are generated', 'Issues of concern are identified, prioritized and addressed', 'Benefits to human health and the environment are maximized', 'Chemicals management is mainstreamed'])}] "
                               f"[in order to prevent or, where prevention is not feasible, minimize harm from chemicals and waste].")]
        for t in range(rng.choice([4, 5, 6])):
            target = (f"Target {letter}{t + 1}: By [2030][2035], {rng.choice(ACTORS).lower() if rng.random() < 0.3 else rng.choice(ACTORS)} "
                      f"{rng.choice(['have', 'will have'])} {rng.choice(VERBS).replace('develop and implement', 'developed and implemented').replace('strengthen', 'strengthened').replace('promote', 'promoted').replace('enhance', 'enhanced').replace('support', 'supported').replace('establish and maintain', 'established and maintained').replace('review and update', 'reviewed and updated').replace('facilitate', 'facilitated').replace('mainstream', 'mainstreamed').replace('accelerate', 'accelerated')} "
                      f"{rng.choice(OBJECTS)} [{rng.choice(QUALIFIERS)}].")
            if rng.random() < 0.3:
                target += f" ({party(rng.choice([1, 2]))})"
            paras.append(P(nid(), target))
        paras.append(op_para(nid(), n_subs=rng.choice([3, 4, 5]), roman=rng.choice([0, 0, 3])))
        if letter in ("B", "D"):
            paras.append(P(nid(), f"[Target {letter}7: By [20XX], [X] per cent of countries have [Placeholder: indicator to be developed].]"))
        objectives.append(SS(f"o{letter}", title, *paras))
    units.append(S("s5", "Strategic objectives and targets", *objectives))

    inst = []
    for letter, title in [("A", "International conference"), ("B", "Bureau"), ("C", "Secretariat")]:
        paras = [op_para(nid(), attributed=rng.random() < 0.4) for _ in range(rng.choice([3, 4]))]
        paras.append(op_para(nid(), n_subs=rng.choice([3, 4]), roman=0))
        inst.append(SS(f"i{letter}", title, *paras))
    inst[0].children.insert(1, P(nid(), "The International Conference [shall][should] meet [every three years][every [X] years], "
                                        "with sessions of an open-ended working group [in between] [as necessary].", kind="bis"))
    units.append(S("s6", "Institutional arrangements", *inst))

    mech = []
    for letter, title in [("A", "Capacity-building"), ("B", "National implementation"), ("C", "Partnerships and sectoral engagement")]:
        paras = [op_para(nid(), attributed=rng.random() < 0.4) for _ in range(rng.choice([4, 5]))]
        paras.insert(2, op_para(nid(), n_subs=3))
        mech.append(SS(f"m{letter}", title, *paras))
    units.append(S("s7", "Mechanisms to support implementation", *mech))

    fin = [op_para(nid(), attributed=rng.random() < 0.5) for _ in range(5)]
    fin.insert(1, P(nid(), "[Developed countries [shall][should] provide new, additional, adequate and predictable financial resources "
                           "to developing countries for the implementation of the framework.] (G77/China; opposed by EU, Japan)"))
    fin.append(P(nid(), "[The integrated approach to financing, comprising mainstreaming, industry involvement and dedicated external "
                        "financing, [remains][shall remain] the basis for resource mobilization.] (EU, Switzerland)"))
    fin.append(P(nid(), "Alt 1 [A dedicated fund for the framework is established under the International Conference.] (African Group)", kind="alt"))
    fin.append(P(nid(), "Alt 2 [The Special Programme and the Global Environment Facility remain the main sources of dedicated external financing.] (EU)", kind="alt"))
    units.append(S("s8", "Financial considerations", *fin))

    review = [op_para(nid()) for _ in range(4)]
    review.append(P(nid(), "The International Conference [shall][should] review progress [in [2030]] on the basis of [indicators][a set of indicators] "
                           "to be adopted at its [first][next] session, and [shall][may] update the targets [as necessary]."))
    review.append(P(nid(), "[Co-facilitators' note: section IX may be merged with section VI in a later version.]", kind="note"))
    units.append(S("s9", "Taking stock of progress", *review))

    annex = [P(f"ax{i}", f"{t.capitalize()}: {rng.choice(['[actions are needed][further action is required]', 'further work is needed', '[to be reviewed]'])} "
                         f"{rng.choice(['to reduce exposure', 'to close data gaps', 'to support substitution', 'to raise awareness'])} "
                         f"{rng.choice(['[in developing countries]', 'globally', '[across all regions]'])}.")
             for i, t in enumerate(TOPICS[:8], 1)]
    units.append(Unit("annex", "annex", "", title="Issues of concern", children=annex))
    return units


# -- versions -------------------------------------------------------------------

_ATTR = re.compile(r"\s*\((?:proposed by |supported by |opposed by )?(?:" +
                   "|".join(re.escape(p) for p in PARTIES) + r")(?:[;,] ?(?:(?:proposed|supported|opposed) by )?(?:" +
                   "|".join(re.escape(p) for p in PARTIES) + r"))*\)")
_ALTSET = re.compile(r"\[([^\[\]]+)\]\[([^\[\]]+)\]")
_INNER = re.compile(r"\[([^\[\]]+)\]")


def streamline_text(t: str, r: random.Random, lift=0.5) -> str:
    t = _ATTR.sub("", t)
    t = _ALTSET.sub(lambda m: m.group(1 if r.random() < 0.6 else 2), t)

    def lift_one(m):
        inner = m.group(1)
        if inner in ("X", "20XX", "No text") or inner.startswith("Placeholder") or r.random() > lift:
            return m.group(0)
        return inner
    return _INNER.sub(lift_one, t)


def walk(units):
    for u in units:
        yield u
        yield from walk(u.children)


def streamlined(v1: list[Unit]) -> list[Unit]:
    r = random.Random(7)
    import copy
    v = copy.deepcopy(v1)
    for u in walk(v):
        u.text = streamline_text(u.text, r, 0.45)
    # bis paragraphs become numbered paragraphs (everything after is renumbered)
    for u in walk(v):
        if u.kind == "bis":
            u.kind = "para"
    # Alternatives resolved: keep "Alt 1" text as the paragraph, drop Alt 2.
    for sec in walk(v):
        kids = sec.children
        for _i, u in enumerate(list(kids)):
            if u.kind == "alt" and u.text.startswith("Alt 1"):
                u.kind, u.text = "para", u.text[len("Alt 1 "):]
        sec.children = [u for u in kids if not (u.kind == "alt" and u.text.startswith("Alt 2"))]
    # Notes go; two paragraphs are merged; one is deleted; one moves.
    for sec in walk(v):
        sec.children = [u for u in sec.children if u.kind != "note"]
    scope = next(u for u in v if u.uid == "s3")
    a, b = scope.children[0], scope.children[1]
    a.text = a.text.rstrip(".") + "; " + b.text[0].lower() + b.text[1:]
    scope.children.remove(b)
    fin = next(u for u in v if u.uid == "s8")
    del fin.children[3]
    inst = next(u for u in v if u.uid == "s6")
    review = next(u for u in v if u.uid == "s9")
    moved = review.children.pop(4)
    inst.children[0].children.append(moved)
    return v


def revised(v2: list[Unit]) -> list[Unit]:
    r = random.Random(11)
    import copy
    v = copy.deepcopy(v2)
    for u in walk(v):
        u.text = streamline_text(u.text, r, 0.6)
        u.text = u.text.replace("Governments should", "Governments should, as appropriate,", 1) if r.random() < 0.2 else u.text
    vision = next(u for u in v if u.uid == "s2")
    vision.children.insert(1, P("new1", "The framework [will contribute][contributes] to the achievement of the 2030 Agenda for Sustainable Development."))
    principles = next(u for u in v if u.uid == "s4")
    first = principles.children[1]
    if ". " not in first.text:
        first.text = first.text.rstrip(".") + ". Such efforts should be reported to the International Conference."
    head, tail = first.text.split(". ", 1)
    first.text = head + "."
    principles.children.insert(2, P("split1", tail))
    mech = next(u for u in v if u.uid == "s7")
    mech.children[1].children.insert(0, P("new2", "Invites [all] stakeholders to register their implementation plans in the online platform maintained by the secretariat."))
    return v


# -- rendering ----------------------------------------------------------------------

def render_txt(units: list[Unit], title: str, symbol: str) -> str:
    out = [symbol, "", title, ""]
    sec_n = 0
    para_n = 0
    last_para = 0
    bis_n = 0

    def para(u):
        nonlocal para_n, last_para, bis_n
        if u.kind == "para":
            para_n += 1
            last_para = para_n
            bis_n = 0
            out.append(f"{para_n}.\t{u.text}")
        elif u.kind == "bis":
            bis_n += 1
            out.append(f"{last_para} {['bis', 'ter', 'quater'][bis_n - 1]}.\t{u.text}")
        elif u.kind in ("alt", "note"):
            out.append(u.text)
        out.append("")
        for i, s in enumerate(u.children):
            out.append(f"\t({chr(97 + i)})\t{s.text}")
            out.append("")
            for j, ss in enumerate(s.children):
                out.append(f"\t\t({['i', 'ii', 'iii', 'iv', 'v'][j]})\t{ss.text}")
                out.append("")

    for u in units:
        if u.kind == "annex":
            out += ["Annex", "", u.title, ""]
            for i, p in enumerate(u.children, 1):
                out += [f"{i}.\t{p.text}", ""]
            continue
        sec_n += 1
        out += [f"{['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'][sec_n - 1]}.\t{u.title}", ""]
        for i, c in enumerate(u.children):
            if c.kind == "subsection":
                out += [f"{'ABCDEFG'[sum(1 for x in u.children[:i] if x.kind == 'subsection')]}.\t{c.title}", ""]
                for p in c.children:
                    para(p)
            else:
                para(c)
    return "\n".join(out).rstrip() + "\n"


def _runs(text: str, proposals_bold: bool, footnote: str = "") -> list[Run]:
    """Bracketed proposals followed by a party in parentheses are bold in
    compilation .docx files, as secretariats print them."""
    runs: list[Run] = []
    if proposals_bold:
        pos = 0
        for m in re.finditer(r"\[[^\[\]]+\](?= \((?:" + "|".join(re.escape(p) for p in PARTIES) + r"))", text):
            if m.start() > pos:
                runs.append(Run(text[pos:m.start()]))
            runs.append(Run(m.group(0), bold=True))
            pos = m.end()
        if pos < len(text):
            runs.append(Run(text[pos:]))
    else:
        runs = [Run(text)]
    if footnote and runs:
        runs[-1].footnote = footnote
    return runs


def render_docx(units: list[Unit], title: str, symbol: str, path: Path, proposals_bold=False,
                edits=None) -> None:
    w = DocxWriter(title)
    secs = w.numbering(section_levels())
    paras = w.numbering(paragraph_levels())
    w.paragraph(symbol)
    w.add(Para([Run(title, bold=True)]))
    last_para = 0
    counter = 0
    bis_n = 0
    edits = edits or {}

    def runs_for(u):
        if u.uid in edits:
            return edits[u.uid](u)
        return _runs(u.text, proposals_bold, u.footnote if proposals_bold else "")

    def para(u):
        nonlocal counter, last_para, bis_n
        if u.kind == "para":
            counter += 1
            last_para, bis_n = counter, 0
            w.add(Para(runs_for(u), num=(paras, 0)))
        elif u.kind == "bis":
            bis_n += 1
            w.add(Para([Run(f"{last_para} {['bis', 'ter', 'quater'][bis_n - 1]}.\t")] + runs_for(u)))
        else:
            w.add(Para(runs_for(u)))
        for s in u.children:
            w.add(Para(runs_for(s), num=(paras, 1)))
            for ss in s.children:
                w.add(Para(runs_for(ss), num=(paras, 2)))

    for u in units:
        if u.kind == "annex":
            w.paragraph("Annex", style="Heading1")
            w.paragraph(u.title, style="Heading2")
            annex_list = w.instance(1, {0: 1})
            for p in u.children:
                w.add(Para(runs_for(p), num=(annex_list, 0)))
            continue
        w.paragraph(u.title, style="Heading1", num=(secs, 0))
        for c in u.children:
            if c.kind == "subsection":
                w.paragraph(c.title, style="Heading2", num=(secs, 1))
                for p in c.children:
                    para(p)
            else:
                para(c)
    w.save(path)


def party_edits(units: list[Unit]) -> dict:
    """Delegations' proposals on the streamlined text, as tracked changes."""
    date = "2026-03-02T10:00:00Z"
    edits = {}
    targets = [u for u in walk(units) if u.kind in ("para", "sub") and len(u.text) > 60]
    r = random.Random(3)
    chosen = r.sample(targets, 14)
    authors = ["European Union", "African Group", "G77 and China", "Canada", "Switzerland", "Brazil", "Japan"]
    for i, u in enumerate(chosen):
        author = authors[i % len(authors)]
        words = u.text.split(" ")
        k = r.randrange(2, max(3, len(words) - 3))
        before, after = " ".join(words[:k]) + " ", " ".join(words[k:])
        if i % 3 == 0:
            ins = r.choice(["[as appropriate] ", "and in cooperation with relevant partners ", "[, subject to available resources,] "])
            edits[u.uid] = (lambda b, a, ins, au: lambda _u: [Run(b), Run(ins, ins=(au, date)), Run(a)])(before, after, ins, author)
        elif i % 3 == 1:
            dw = " ".join(words[k:k + 2]) + " "
            rest = " ".join(words[k + 2:])
            edits[u.uid] = (lambda b, d, a, au: lambda _u: [Run(b), Run(d, delete=(au, date)), Run(a)])(before, dw, rest, author)
        else:
            old = words[k]
            new = r.choice(["should", "may", "shall", "are invited to"])
            rest = " ".join(words[k + 1:])
            edits[u.uid] = (lambda b, o, n, a, au, au2: lambda _u: [Run(b), Run(o, delete=(au, date)), Run(n, ins=(au2, date)), Run(" " + a)])(
                before, old, new, rest, author, authors[(i + 1) % len(authors)])
    return edits


# -- Chinese ------------------------------------------------------------------------

ZH_ACTORS = ["各国政府", "所有利益攸关方", "私营部门", "政府间组织", "民间社会组织", "学术界"]
ZH_VERBS = ["加强", "制定并实施", "促进", "支持", "审查并更新", "推动"]
ZH_OBJECTS = ["化学品和废物无害环境管理的国家立法和政策框架", "关于产品中化学品的信息", "国家中毒控制中心的能力",
              "环境和人体中化学品的监测方案", "更安全的替代品和可持续化学创新", "妇女和青年参与决策",
              "《全球化学品统一分类和标签制度》的实施", "打击化学品和废物非法国际贩运"]
ZH_QUAL = ["酌情", "根据本国国情和立法", "在可行的情况下", "在自愿基础上"]


def zh_sentence(r, brackets=True):
    modal = "[应][宜]" if brackets and r.random() < 0.4 else "应"
    q = r.choice(ZH_QUAL)
    if brackets and r.random() < 0.3:
        q = f"[{q}]"
    return f"{r.choice(ZH_ACTORS)}{modal}{q}{r.choice(ZH_VERBS)}{r.choice(ZH_OBJECTS)}。"


def zh_text(version: int) -> str:
    r = random.Random(88)
    sections = [("总则", 3), ("目标和指标", 5), ("体制安排", 4), ("执行支助机制", 4), ("进展审查", 2)]
    out = ["SAICM/TEST/ZH/1" if version == 1 else "SAICM/TEST/ZH/1/Rev.1", "", "化学品和废物无害环境管理框架草案", ""]
    n = 0
    for si, (title, k) in enumerate(sections, 1):
        out += [f"{'一二三四五六七八九'[si - 1]}、{title}", ""]
        groups = 2 if k >= 4 else 1
        per = k // groups
        for g in range(groups):
            if groups > 1:
                out += [f"({'一二三四'[g]}) {'目标' if g == 0 else '执行'}", ""]
            for _ in range(per):
                s = zh_sentence(r)
                if version == 2:
                    s = re.sub(r"\[([^\]]+)\]\[([^\]]+)\]", r"\1", s)
                    s = s.replace("[", "").replace("]", "") if r.random() < 0.5 else s
                n += 1
                out += [f"{n}. {s}", ""]
                if r.random() < 0.35:
                    for j in range(3):
                        t = zh_sentence(r, brackets=version == 1)
                        out += [f"({'abcdef'[j]}) {t[:-1]}；", ""]
        if version == 2 and si == 2:
            n += 1
            out += [f"{n}. 各国政府应在二〇三〇年前报告执行进展情况。", ""]
    return "\n".join(out).rstrip() + "\n"


def zh_docx(text: str, path: Path) -> None:
    """The Chinese text with Word automatic numbering (一、 / (一) / 1. / (a))."""
    w = DocxWriter("化学品和废物无害环境管理框架草案")
    secs = w.numbering(chinese_section_levels())
    paras = w.numbering(paragraph_levels())
    for block in text.strip().split("\n\n"):
        m = re.match(r"([一二三四五六七八九]+)、(.*)", block)
        if m:
            w.paragraph(m.group(2), style="Heading1", num=(secs, 0))
            continue
        m = re.match(r"\(([一二三四]+)\) (.*)", block)
        if m:
            w.paragraph(m.group(2), style="Heading2", num=(secs, 1))
            continue
        m = re.match(r"\d+\. (.*)", block)
        if m:
            w.add(Para([Run(m.group(1))], num=(paras, 0)))
            continue
        m = re.match(r"\([a-z]\) (.*)", block)
        if m:
            w.add(Para([Run(m.group(1))], num=(paras, 1)))
            continue
        w.paragraph(block)
    w.save(path)


def main() -> None:
    title = "Draft framework for the sound management of chemicals and waste beyond 2020"
    v1 = compilation()
    v2 = streamlined(v1)
    v3 = revised(v2)
    versions = [("framework-v1-compilation", v1, "SAICM/TEST/IP.1/2", True),
                ("framework-v2-streamlined", v2, "SAICM/TEST/IP.2/2", False),
                ("framework-v3-revised", v3, "SAICM/TEST/IP.2/2/Rev.1", False)]
    for name, units, symbol, bold in versions:
        (HERE / f"{name}.txt").write_text(render_txt(units, title, symbol), encoding="utf-8")
        render_docx(units, title, symbol, HERE / f"{name}.docx", proposals_bold=bold)
    render_docx(v2, title, "SAICM/TEST/IP.2/2", HERE / "framework-v2-party-inputs.docx",
                edits=party_edits(v2))
    for v in (1, 2):
        t = zh_text(v)
        (HERE / f"zh-framework-v{v}.txt").write_text(t, encoding="utf-8")
        zh_docx(t, HERE / f"zh-framework-v{v}.docx")
    print("wrote", ", ".join(sorted(p.name for p in HERE.iterdir() if p.suffix in (".txt", ".docx"))))


if __name__ == "__main__":
    main()
