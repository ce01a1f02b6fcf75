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

# Parity: see lang/en.py. Prefixes (و ف ب ل and the article) come before the word.
REFERENCES = (("article", r"(?<![\u0621-\u064a])[وفبلك]{0,2}(?:ال|ل)?(?:مادة|مادتين|مادتان|مواد)\s*{N}"),
              ("paragraph", r"(?<![\u0621-\u064a])[وفبلك]{0,2}(?:ال|ل)?(?:فقرة|فقرتين|فقرتان|فقرات)\s*{N}"),
              ("annex", r"(?<![\u0621-\u064a])[وفبلك]{0,2}(?:ال|ل)?(?:مرفق|مرفقين|مرفقات)\s*{N}"),
              ("part", r"(?<![\u0621-\u064a])[وفبلك]{0,2}(?:ال|ل)?(?:جزء|جزأين|أجزاء)\s*{N}"))
LIST_WORDS = ("و", "أو", "إلى", "الى")
ORDINAL_WORDS = {"الأول": 1, "الاول": 1, "الثاني": 2, "الثالث": 3, "الرابع": 4, "الخامس": 5, "السادس": 6,
                 "السابع": 7, "الثامن": 8, "التاسع": 9, "العاشر": 10, "الحادي عشر": 11, "الثاني عشر": 12}
NUMBER_WORDS = {"واحد": 1, "اثنين": 2, "اثنان": 2, "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "خمسة": 5, "ستة": 6,
                "سبعة": 7, "ثمانية": 8, "تسعة": 9, "عشرة": 10, "عشرين": 20, "ثلاثين": 30, "أربعين": 40,
                "خمسين": 50, "ستين": 60, "تسعين": 90, "مائة": 100, "مئة": 100, "ثلثي": 3, "ثلثا": 3,
                "أرباع": 4, "نصف": 2, "الستين": 60, "الأول": 1, "الثاني": 2, "الثالث": 3,
                "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "مايو": 5, "يونيه": 6, "يونيو": 6,
                "يوليه": 7, "يوليو": 7, "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12}
NUMBER_JOINS = ("و",)   # "one hundred and twenty": words joined into one number

# Tesseract language pack for OCR (Debian tesseract-ocr-ara).
TESSERACT = "ara"

# Agreed language (precedents, issue 19): reuse is measured in words; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "word"
PRECEDENT_MIN = 8
PRECEDENT_SHINGLE = 3
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيه", "يوليه", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
