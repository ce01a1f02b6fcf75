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
