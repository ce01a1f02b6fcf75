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

# Tesseract language pack for OCR (Debian tesseract-ocr-fra).
TESSERACT = "fra"

# Agreed language (precedents, issue 19): reuse is measured in words; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "word"
PRECEDENT_MIN = 8
PRECEDENT_SHINGLE = 3
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
