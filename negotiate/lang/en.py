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

# Parity (negotiate/parity.py): cross-references as regexes, "{N}" standing for a number or a
# list of numbers ("articles 5 and 6"), "{R}" for roman numerals only ("Part II": "the Party 5" is
# no part in French or Spanish, where Partie/Parte is both); kinds article, paragraph, annex, part are compared,
# "other" is only kept apart from the plain numbers.
REFERENCES = (("article", r"\b[Aa]rticles?\s+{N}"), ("paragraph", r"\b(?:[Pp]aragraphs?|paras?\.)\s+{N}"),
              ("annex", r"\b(?:[Aa]nnex(?:es)?|ANNEX)\s+{N}"), ("part", r"\b(?:[Pp]arts?|PART)\s+{R}"))
LIST_WORDS = ("and", "or", "to", "through")
ORDINAL_WORDS = {}
# Numbers written as words (and months): they only excuse a number another version
# writes in digits ("thirty days" / "30 jours"); on their own they are never compared.
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "thousand": 1000, "hundred": 100,
                "first": 1, "second": 2,
                "third": 3, "thirds": 3, "fourth": 4, "fourths": 4, "fifth": 5, "tenth": 10, "sixtieth": 60,
                "twentieth": 20, "thirtieth": 30, "ninetieth": 90, "half": 2, "once": 1, "twice": 2,
                "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
                "august": 8, "september": 9, "october": 10, "november": 11, "december": 12}
NUMBER_JOINS = ("and",)   # "one hundred and twenty": words joined into one number

# Tesseract language pack for OCR (Debian tesseract-ocr-eng).
TESSERACT = "eng"

# Agreed language (precedents, issue 19): reuse is measured in words; the
# shortest reuse counted by default; candidate shingles of K units; month names for dates.
PRECEDENT_UNIT = "word"
PRECEDENT_MIN = 8
PRECEDENT_SHINGLE = 3
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")

# Synthetic texts (negotiate/synth.py): the vocabulary its compilation-style paragraphs are drawn from.
SYNTH = {
    "actors": ["Governments", "All stakeholders", "The private sector", "Intergovernmental organizations",
               "Civil society organizations", "Academia", "Health-sector stakeholders", "Workers' organizations",
               "Financial institutions", "The secretariat"],
    "modals": ["shall", "should", "may", "are encouraged to", "will"],
    "verbs": ["strengthen", "develop", "promote", "enhance", "support", "establish", "review", "facilitate",
              "mainstream", "accelerate", "monitor", "report on"],
    "objects": ["national legislation on chemicals", "information on chemicals in products",
                "the capacity of poison centres", "monitoring programmes for pollutants", "safer alternatives",
                "the participation of women and youth", "the phase-out of hazardous pesticides",
                "access to information for consumers", "coordination among ministries",
                "the prevention of illegal traffic in waste", "national development plans",
                "the Globally Harmonized System"],
    "tails": ["as appropriate", "in accordance with national circumstances", "where feasible", "by 2030",
              "on a voluntary basis", "taking into account national capacities", "with the support of partners"],
    "sections": ["Introduction", "Vision", "Scope", "Principles", "Objectives", "Targets", "Institutional arrangements",
                 "Implementation", "Financial considerations", "Review", "Capacity-building", "Partnerships"],
    "fill": ["new", "further", "effective", "relevant", "national", "regional", "additional", "sustainable"],
    "sep": " ", "end": ".",
}

# Agreed language (negotiate/precedents/plant.py): the real texts (../shared/realtexts) its test
# documents learn their words from, in order; a pattern with "*" is globbed and sorted.
# A language without a list of its own learns from these.
PRECEDENT_TEXTS = ("bbnj/A-RES-*.txt", "bbnj/bbnj-agreement-2023-en.txt", "paris2015/*.md")
