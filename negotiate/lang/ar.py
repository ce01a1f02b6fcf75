CODE = "ar"
SCRIPT = "arabic"
STOPWORDS = frozenset("في من على إلى أن التي الذي و عن مع هذا هذه".split())
ANNEX = ("المرفق",)
PART = ("الجزء",)
CHAPTER = ("الفصل",)
ARTICLE = ("المادة",)
ALTERNATIVE = ("الخيار", "البديل")
PREAMBLE = ()
PREAMBLE_TITLE = ("الديباجة",)   # a heading that opens the preamble
NO_TEXT = ("لا نص",)
SENTENCE_ENDS = ".;:!?؛؟"

# Tokenizer: a spaCy blank pipeline of this language (no model is loaded).
TOKENIZER = "spacy"
SPACY = "ar"

# Tesseract language pack for OCR (Debian tesseract-ocr-ara).
TESSERACT = "ara"

# Agreed language (precedents, issue 19): reuse is measured in words; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "word"
PRECEDENT_MIN = 8
PRECEDENT_SHINGLE = 3
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيه", "يوليه", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
