"""Tokenising, stemming, query building and snippets of the search index."""

import itertools
import sys
import threading
from collections.abc import Iterator

import pytest

from qms.search import text


def test_normalize_folds_case_and_composes_swedish_letters() -> None:
    assert text.normalize("ÅÄÖ Förskola") == "åäö förskola"
    assert text.normalize("a\u030a") == "å"  # decomposed å, as some keyboards send it


def test_words_keep_swedish_letters_and_split_on_punctuation() -> None:
    assert text.words("ÄLDRE-omsorg, på_Åland: 2024!") == ["äldre", "omsorg", "på", "åland", "2024"]


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (["förskola", "förskolor", "förskolan", "förskolorna", "förskolans"], "förskol"),
        (["rutin", "rutiner", "rutinen", "rutinerna"], "rutin"),
        (["dokument", "dokumentet", "dokumenten"], "dokument"),
    ],
)
def test_inflected_forms_share_one_stem(forms: list[str], expected: str) -> None:
    assert {text.stem(form) for form in forms} == {expected}


@pytest.mark.parametrize("word", ["avvikelsehantering", "plan", "och", "a", "kvaliteten", "äldre"])
def test_stem_is_a_prefix_of_its_word(word: str) -> None:
    assert word.startswith(text.stem(word))


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


@pytest.mark.usefixtures("frequent_thread_switches")
def test_stemming_from_many_threads_gives_the_same_stems() -> None:
    syllables = ["bå", "de", "fi", "gö", "ka", "lä", "mo", "nu", "ri", "st", "tö", "vy"]
    endings = ["", "orna", "arna", "heten", "ande", "ens", "er", "an"]
    forms = {"".join(p) + e for p in itertools.product(syllables, repeat=3) for e in endings}
    expected = {form: text.stem(form) for form in forms}
    text.stem.cache_clear()
    results: dict[str, str] = {}
    errors: list[BaseException] = []

    def work(part: list[str]) -> None:
        try:
            results.update({form: text.stem(form) for form in part})
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)

    ordered = sorted(forms)
    threads = [threading.Thread(target=work, args=(ordered[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == expected


def test_short_words_keep_a_definite_looking_ending() -> None:
    assert text.stem("plan") == "plan"


def test_stemmed_text_is_space_separated_stems() -> None:
    assert text.stemmed_text("Rutiner för Förskolan") == "rutin för förskol"


@pytest.mark.parametrize("query", ["", "   ", '"*', "- : ( ) ^ {} &", "_"])
def test_query_without_words_has_no_terms(query: str) -> None:
    assert text.query_terms(query) == []


def test_query_terms_are_distinct_stems_without_stopwords() -> None:
    assert text.query_terms("Rutiner för rutinen och FÖRSKOLOR") == ["rutin", "förskol"]


def test_a_query_of_only_stopwords_keeps_them() -> None:
    assert text.query_terms("för och") == ["för", "och"]


def test_query_terms_are_capped() -> None:
    query = " ".join(f"ord{i}" for i in range(40))
    assert len(text.query_terms(query)) == text.MAX_TERMS


def test_match_expression_quotes_terms_and_only_prefixes_longer_ones() -> None:
    expression = text.match_expression(["near", "a"], ["title", "text"])
    assert expression == '{title text} : ("near"* "a")'


def test_match_expression_filters_labels_by_token() -> None:
    expression = text.match_expression(["rutin"], ["title"], ["Process", "Role"])
    tokens = f'"{text.label_token("Process")}" OR "{text.label_token("Role")}"'
    assert expression == '{title} : ("rutin"*) AND {label} : (' + tokens + ")"


def test_label_token_is_one_word_whatever_the_label() -> None:
    assert text.words(text.label_token('Odd "label" – ÅÄÖ')) == [
        text.label_token('Odd "label" – ÅÄÖ')
    ]


def test_term_matches_prefixes_but_one_letter_terms_exactly() -> None:
    assert text.term_matches("förskol", ["försk"])
    assert not text.term_matches("skol", ["försk"])
    assert text.term_matches("a", ["a"])
    assert not text.term_matches("avvik", ["a"])


def test_snippet_marks_every_matching_word_and_escapes_the_rest() -> None:
    result = text.snippet(["förskol"], ["<b>Förskolan</b> & förskolor, inte skolor"])
    assert result == (
        "&lt;b&gt;<mark>Förskolan</mark>&lt;/b&gt; &amp; <mark>förskolor</mark>, inte skolor"
    )


def test_snippet_is_a_short_window_around_the_first_match() -> None:
    body = "inledning " * 40 + "här finns avvikelsen som söks " + "slut " * 40
    result = text.snippet(["avvik"], [body])
    assert "<mark>avvikelsen</mark>" in result
    assert result.startswith("…")
    assert result.endswith("…")
    assert len(result.replace("<mark>", "").replace("</mark>", "")) <= 162


def test_snippet_does_not_cut_words() -> None:
    body = "abcdefghij " * 10 + "rutin " + "klmnopqrst " * 30
    result = text.snippet(["rutin"], [body])
    words = result.strip("…").replace("<mark>rutin</mark>", "rutin").split()
    assert set(words) <= {"abcdefghij", "rutin", "klmnopqrst"}


def test_snippet_uses_the_first_field_with_a_match() -> None:
    assert text.snippet(["rutin"], ["ingen träff här", "Rutiner"]) == "<mark>Rutiner</mark>"


def test_snippet_without_a_match_shows_the_start_unmarked() -> None:
    assert text.snippet(["xyz"], ["", "Titel <i>"]) == "Titel &lt;i&gt;"


def test_snippet_collapses_whitespace() -> None:
    assert text.snippet(["rutin"], ["Rutin\n\n  för\tskolan"]) == "<mark>Rutin</mark> för skolan"
