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
