CODE = "es"
SCRIPT = "latin"
STOPWORDS = frozenset("el la los las de del y en un una para que por con se su sus es al o como".split())
ANNEX = ("Anexo", "ANEXO", "Apéndice")
PART = ("Parte", "PARTE")
CHAPTER = ("Capítulo", "CAPÍTULO")
ARTICLE = ("Artículo", "ARTÍCULO")
ALTERNATIVE = ("Alternativa", "Opción", "OPCIÓN")
PREAMBLE = ("Pp",)
PREAMBLE_TITLE = ("Preámbulo",)   # a heading that opens the preamble
NO_TEXT = ("Sin texto", "Ningún texto", "Suprimir el párrafo")
SENTENCE_ENDS = ".;:!?"

# Tokenizer: a spaCy blank pipeline of this language (no model is loaded).
TOKENIZER = "spacy"
SPACY = "es"

# Tesseract language pack for OCR (Debian tesseract-ocr-spa).
TESSERACT = "spa"

# Agreed language (precedents, issue 19): reuse is measured in words; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "word"
PRECEDENT_MIN = 8
PRECEDENT_SHINGLE = 3
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre")
