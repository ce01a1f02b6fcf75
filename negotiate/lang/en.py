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

# Agreed language (precedents, issue 19): reuse is measured in words; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "word"
PRECEDENT_MIN = 8
PRECEDENT_SHINGLE = 3
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
