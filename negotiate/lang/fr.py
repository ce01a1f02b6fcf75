CODE = "fr"
SCRIPT = "latin"
STOPWORDS = frozenset("le la les de des du et à en un une pour que qui est sur par dans au aux ce cette sont ou".split())
ANNEX = ("Annexe", "ANNEXE", "Appendice")
PART = ("Partie", "PARTIE")
CHAPTER = ("Chapitre", "CHAPITRE")
ARTICLE = ("Article", "ARTICLE")
ALTERNATIVE = ("Variante", "Option", "Alternative")
PREAMBLE = ("Pp",)
PREAMBLE_TITLE = ("Préambule",)   # a heading that opens the preamble
NO_TEXT = ("Pas de texte", "Aucun texte", "Supprimer le paragraphe")
SENTENCE_ENDS = ".;:!?"

# Tokenizer: a spaCy blank pipeline of this language (no model is loaded).
TOKENIZER = "spacy"
SPACY = "fr"

# Parity: see lang/en.py.
REFERENCES = (("article", r"\b[Aa]rticles?\s+{N}"), ("paragraph", r"\b[Pp]aragraphes?\s+{N}"),
              ("annex", r"\b(?:[Aa]nnexes?|ANNEXE)\s+{N}"), ("part", r"\b(?:[Pp]arties?|PARTIE)\s+{R}"),
              ("other", r"\b(?:alinéas?|sous-alinéas?)\s+{N}"))
LIST_WORDS = ("et", "ou", "à")
ORDINAL_WORDS = {"premier": 1, "première": 1}
NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20,
                "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "soixante-dix": 70, "quatre-vingts": 80,
                "quatre-vingt": 80, "quatre-vingt-dix": 90, "cent": 100, "cents": 100, "mille": 1000,
                "premier": 1, "première": 1, "deuxième": 2, "second": 2, "seconde": 2, "troisième": 3,
                "tiers": 3, "quart": 4, "quarts": 4, "quatrième": 4, "cinquième": 5, "dixième": 10,
                "soixantième": 60, "vingtième": 20, "trentième": 30, "moitié": 2, "fois": 1,
                "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
                "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12}
NUMBER_JOINS = ("et",)   # "one hundred and twenty": words joined into one number

# Tesseract language pack for OCR (Debian tesseract-ocr-fra).
TESSERACT = "fra"

# Agreed language (precedents, issue 19): reuse is measured in words; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "word"
PRECEDENT_MIN = 8
PRECEDENT_SHINGLE = 3
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
