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

# Parity: see lang/en.py. Russian words change their endings, so NUMBER_STEMS match by prefix.
REFERENCES = (("article", r"(?<![а-яё])[Сс]тать[а-яё]*\s+{N}"), ("paragraph", r"(?<![а-яё])[Пп]ункт[а-яё]*\s+{N}"),
              ("annex", r"(?<![а-яё])(?:[Пп]риложени[а-яё]*|ПРИЛОЖЕНИЕ)\s+{N}"),
              ("part", r"(?<![а-яё])(?:[Чч]аст[а-яё]*|ЧАСТЬ)\s+{R}"),
              ("other", r"(?<![а-яё])подпункт[а-яё]*\s+{N}"))
LIST_WORDS = ("и", "или", "до", "по")
ORDINAL_WORDS = {}
NUMBER_WORDS = {"сто": 100, "ста": 100, "семь": 7, "семи": 7}
NUMBER_STEMS = {"один": 1, "одн": 1, "перв": 1, "два": 2, "две": 2, "двух": 2, "втор": 2, "три": 3, "трех": 3,
                "трёх": 3, "трет": 3, "четыр": 4, "четвер": 4, "пят": 5, "шест": 6, "седьм": 7, "восем": 8,
                "девят": 9, "десят": 10, "двенадцат": 12, "пятнадцат": 15, "двадцат": 20, "тридцат": 30,
                "сорок": 40, "пятидесят": 50, "шестидесят": 60, "семидесят": 70, "восьмидесят": 80, "девяност": 90, "тысяч": 1000,
                "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "мая": 5, "май": 5, "июн": 6, "июл": 7,
                "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12}
NUMBER_JOINS = ("и",)   # "one hundred and twenty": words joined into one number

# Tesseract language pack for OCR (Debian tesseract-ocr-rus).
TESSERACT = "rus"

# Agreed language (precedents, issue 19): reuse is measured in words; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "word"
PRECEDENT_MIN = 8
PRECEDENT_SHINGLE = 3
MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря")
