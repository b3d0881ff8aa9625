"""Typo tolerance: one wrong, missing, extra or swapped letter finds the common word."""

from __future__ import annotations

import pytest

from qms.services.spelling import Vocabulary, edits

TEXTS = [
    "Rutin för avvikelser och avvikelsehantering",
    "Registrera avvikelse samma dag",
    "Utreda avvikelse",
    "Läkemedel enligt delegering",
    "Läkemedelshantering i hemtjänsten",
    "Genomförandeplan med kunden",
    "avvikande händelser",
]


@pytest.fixture
def vocabulary() -> Vocabulary:
    """A small vocabulary where "avvikelse" is the commonest avvik- word."""
    return Vocabulary.from_texts(TEXTS)


def test_counts_each_word_once_per_text() -> None:
    vocab = Vocabulary.from_texts(["avvikelse avvikelse", "avvikelse"])
    assert vocab.counts["avvikelse"] == 2


def test_edits_are_one_step_away() -> None:
    found = edits("abc", "abx")
    assert {"bc", "ac", "ab"} <= found  # deletions
    assert {"bac", "acb"} <= found  # swaps
    assert {"xbc", "abx"} <= found  # substitutions
    assert {"xabc", "abcx"} <= found  # insertions
    assert "abc" not in found


@pytest.mark.parametrize(
    ("typo", "word"),
    [
        ("avvikelce", "avvikelse"),  # wrong letter
        ("avvkelse", "avvikelse"),  # missing letter
        ("avvikkelse", "avvikelse"),  # extra letter
        ("avivkelse", "avvikelse"),  # swapped letters
        ("läkemdel", "läkemedel"),
        ("genomförandeplam", "genomförandeplan"),
    ],
)
def test_corrects_one_wrong_letter(vocabulary: Vocabulary, typo: str, word: str) -> None:
    assert vocabulary.correct(typo) == word


def test_a_start_of_a_word_with_a_typo_completes_it(vocabulary: Vocabulary) -> None:
    assert vocabulary.correct("avvkels") == "avvikelse"


def test_known_words_and_prefixes_are_left_alone(vocabulary: Vocabulary) -> None:
    assert vocabulary.correct("avvik") is None
    assert vocabulary.correct("läkemedel") is None


def test_short_or_hopeless_words_are_not_guessed(vocabulary: Vocabulary) -> None:
    assert vocabulary.correct("avx") is None
    assert vocabulary.correct("qwertyuiop") is None


def test_correct_query_fixes_only_unknown_words(vocabulary: Vocabulary) -> None:
    assert vocabulary.correct_query("Rutin läkemdel") == "rutin läkemedel"
    assert vocabulary.correct_query("rutin läkemedel") is None
    assert vocabulary.correct_query("") is None


def test_ties_go_to_the_alphabetically_first_word() -> None:
    vocab = Vocabulary.from_texts(["katt", "kalt"])
    assert vocab.correct("kapt") == "kalt"
