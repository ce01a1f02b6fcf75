CODE = "zh"
SCRIPT = "cjk"
STOPWORDS = frozenset("的 和 在 与 及 或 应 是 对 为".split())
# Chinese labels are built around a numeral: 附件一, 第一部分, 第一章, 第一条.
ANNEX = ("附件",)
PART = ("部分",)
CHAPTER = ("章",)
ARTICLE = ("条",)
ALTERNATIVE = ("备选案文", "备选方案", "方案", "选项")
PREAMBLE = ()
PREAMBLE_TITLE = ("序言",)   # a heading that opens the preamble
NO_TEXT = ("无案文", "不要案文", "删除本段")
SENTENCE_ENDS = "。；：！？"
NUMERALS = "〇○零一二三四五六七八九十百千两"   # ○ (a white circle) is often typed for 〇
# Their values (negotiate/numerals.py reads Chinese numbers with them): digits, then units.
NUMERAL_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
                  "六": 6, "七": 7, "八": 8, "九": 9}
NUMERAL_UNITS = {"十": 10, "百": 100, "千": 1000}

# Tokenizer: one token per Han character, Latin words and numbers kept whole
# (spaCy's blank "zh" pipeline segments characters but splits Latin words too).
TOKENIZER = "cjk"
SPACY = "zh"

# Parity: see lang/en.py. Chinese puts the number inside the reference (第五条, 第三款, 附件一);
# a number written in Chinese numerals (一九八二年十二月十日) counts as written in words.
REFERENCES = (("article", r"第{N}条"), ("paragraph", r"第{N}款"), ("part", r"第{N}部分"),
              ("annex", r"附件{N}"), ("other", r"第{N}[项目段]"))
LIST_WORDS = ("至第", "、第", "和第", "或第", "及第", "至", "和", "或", "及")
ORDINAL_WORDS = {}
NUMBER_WORDS = {"半": 2}
NUMBER_JOINS = ()

# Tesseract language pack for OCR (Debian tesseract-ocr-chi-sim).
TESSERACT = "chi_sim"

# Agreed language (precedents, issue 19): reuse is measured in characters; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "char"
PRECEDENT_MIN = 12
PRECEDENT_SHINGLE = 4
MONTHS = ()
DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"   # 2023年6月19日

# Synthetic texts (negotiate/synth.py): the vocabulary its compilation-style paragraphs are drawn from.
SYNTH = {
    "actors": ["各国政府", "所有利益攸关方", "私营部门", "政府间组织", "民间社会组织", "学术界", "卫生部门", "秘书处"],
    "modals": ["应", "宜", "可", "应当", "将"],
    "verbs": ["加强", "制定", "促进", "支持", "建立", "审查", "推动", "监测", "报告"],
    "objects": ["化学品国家立法", "产品中化学品的信息", "中毒控制中心的能力", "污染物监测方案", "更安全的替代品",
                "妇女和青年的参与", "危险农药的逐步淘汰", "消费者获取信息", "各部委之间的协调", "国家发展计划"],
    "tails": ["酌情", "根据本国国情", "在可行的情况下", "在二〇三〇年前", "在自愿基础上"],
    "sections": ["总则", "愿景", "范围", "原则", "目标", "指标", "体制安排", "执行", "财务", "审查"],
    "fill": ["新的", "进一步", "有效的", "相关的", "国家的", "区域的"],
    "sep": "", "end": "。",
}

# Agreed language (negotiate/precedents/plant.py): the real texts its test documents learn from.
PRECEDENT_TEXTS = ("bbnj/bbnj-agreement-2023-zh.txt",)

# Word numbering of sections (negotiate/export/wordml.py): (w:numFmt, w:lvlText) per level, 一、 / (一).
SECTION_LEVELS = (("chineseCounting", "%1、"), ("chineseCounting", "(%2)"))

# Labels built around their number, not "word number" (negotiate/ingest/labels.py): the characters a
# label's number is written in (besides 0-9), and per label type a regex, {N} standing for them.
LABEL_NUMERALS = "〇零一二三四五六七八九十百千两"
NUMBERED_LABELS = (("annex", "附件[{N}0-9]*"), ("part", "第[{N}0-9]+部分"), ("chapter", "第[{N}0-9]+章"),
                   ("article", "第[{N}0-9]+条(?:之[{N}]+)?"))
# Paragraph labels of Chinese texts (a section 一、, an item （一）): (label type, kind, regex, {N} as above).
NUMBERED_ITEMS = (("zh-section", "paragraph", "[{N}]+、"), ("zh-item", "subparagraph", "[(（][{N}]+[)）]"))
