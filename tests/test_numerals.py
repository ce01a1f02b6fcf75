import pytest

from negotiate import numerals


@pytest.mark.parametrize("n,s", [(1, "I"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL"), (1999, "MCMXCIX")])
def test_roman_both_ways(n, s):
    assert numerals.to_roman(n) == s
    assert numerals.from_roman(s) == n
    assert numerals.from_roman(s.lower()) == n


def test_roman_rejects_non_canonical():
    assert numerals.from_roman("IIII") is None
    assert numerals.from_roman("IC") is None
    assert numerals.from_roman("abc") is None


@pytest.mark.parametrize("n,s", [(1, "a"), (26, "z"), (27, "aa"), (28, "bb"), (53, "aaa")])
def test_letters_word_style(n, s):
    assert numerals.to_letters(n) == s
    assert numerals.from_letters(s) == n


def test_cyrillic_letters():
    assert numerals.from_letters("а") == 1
    assert numerals.from_letters("б") == 2


@pytest.mark.parametrize("n,s", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"), (100, "一百"), (105, "一百零五")])
def test_chinese_both_ways(n, s):
    assert numerals.to_chinese(n) == s
    assert numerals.from_chinese(s) == n


def test_arabic_indic_digits():
    assert numerals.from_digits("١٢") == 12
    assert numerals.from_digits("12") == 12
    assert numerals.from_digits("x") is None


def test_ordinals():
    assert numerals.ordinal_rank("bis") == 1
    assert numerals.ordinal_rank("quater") == 3
    assert numerals.ordinal_rank("foo") == 0
