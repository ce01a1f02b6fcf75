CODE = "ru"
SCRIPT = "cyrillic"
STOPWORDS = frozenset("и в на с по для не что о из к от как или его ее их".split())
ANNEX = ("Приложение", "ПРИЛОЖЕНИЕ")
PART = ("Часть", "ЧАСТЬ")
CHAPTER = ("Глава", "ГЛАВА", "Раздел", "РАЗДЕЛ")
ARTICLE = ("Статья", "СТАТЬЯ")
ALTERNATIVE = ("Вариант", "ВАРИАНТ", "Альтернатива")
PREAMBLE = ()
PREAMBLE_TITLE = ("Преамбула",)   # a heading that opens the preamble
NO_TEXT = ("Без текста", "Текст отсутствует")
SENTENCE_ENDS = ".;:!?"

# Tokenizer: a spaCy blank pipeline of this language (no model is loaded).
TOKENIZER = "spacy"
SPACY = "ru"

# Tesseract language pack for OCR (Debian tesseract-ocr-rus).
TESSERACT = "rus"

# Agreed language (precedents, issue 19): reuse is measured in words; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "word"
PRECEDENT_MIN = 8
PRECEDENT_SHINGLE = 3
MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря")
