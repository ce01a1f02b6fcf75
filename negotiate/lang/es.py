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

# Parity: see lang/en.py.
REFERENCES = (("article", r"\b[Aa]rtículos?\s+{N}"), ("paragraph", r"\b[Pp]árrafos?\s+{N}"),
              ("annex", r"\b(?:[Aa]nexos?|ANEXO)\s+{N}"), ("part", r"\b(?:[Pp]artes?|PARTE)\s+{R}"),
              ("other", r"\b(?:apartados?|incisos?)\s+{N}"))
LIST_WORDS = ("y", "o", "a", "e", "u")
ORDINAL_WORDS = {}
NUMBER_WORDS = {"uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
                "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15, "veinte": 20,
                "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
                "cien": 100, "mil": 1000,
                "ciento": 100, "primer": 1, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2,
                "tercer": 3, "tercero": 3, "tercera": 3, "tercios": 3, "cuartos": 4, "cuarto": 4,
                "cuarta": 4, "quinto": 5, "décimo": 10, "sexagésimo": 60, "vigésimo": 20, "trigésimo": 30, "nonagésimo": 90, "mitad": 2,
                "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
                "agosto": 8, "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12}
NUMBER_JOINS = ("y",)   # "one hundred and twenty": words joined into one number

# Tesseract language pack for OCR (Debian tesseract-ocr-spa).
TESSERACT = "spa"

# Agreed language (precedents, issue 19): reuse is measured in words; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "word"
PRECEDENT_MIN = 8
PRECEDENT_SHINGLE = 3
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre")
