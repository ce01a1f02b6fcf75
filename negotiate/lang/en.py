CODE = "en"
SCRIPT = "latin"
STOPWORDS = frozenset("the of and to in a for that is on be with as by this are or shall its which from at".split())
ANNEX = ("Annex", "ANNEX", "Appendix", "APPENDIX")
PART = ("Part", "PART")
CHAPTER = ("Chapter", "CHAPTER", "Section", "SECTION")
ARTICLE = ("Article", "ARTICLE", "Art.")
ALTERNATIVE = ("Alternative", "Alt.", "Alt", "Option", "OPTION")
PREAMBLE = ("Pp", "PP", "pp")
PREAMBLE_TITLE = ("Preamble",)   # a heading that opens the preamble
NO_TEXT = ("No text", "no text", "NT", "No text required", "Delete paragraph", "Delete",
           "No provision")
SENTENCE_ENDS = ".;:!?"

# Tokenizer: a spaCy blank pipeline of this language (no model is loaded).
TOKENIZER = "spacy"
SPACY = "en"

# Tesseract language pack for OCR (Debian tesseract-ocr-eng).
TESSERACT = "eng"
