"""Swedish tokenising, stemming, FTS5 query building and snippets for the search index."""

from __future__ import annotations

import html
import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

# Letters and digits only: never "_" or punctuation, so FTS5 syntax cannot get through.
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")
_VOWELS = frozenset("aeiouyäåö")
# Definite singular endings that the Snowball Swedish stemmer keeps ("förskolan",
# "dokumentet"); without this "förskolan" would not find "förskola".
_DEFINITE = ("an", "et")
_STEMMER = snowballstemmer.stemmer("swedish")
_STEMMER_LOCK = threading.Lock()  # a Snowball stemmer keeps its working state on itself
# Dropped from a query that has other words: as prefixes they match nearly every document.
STOPWORDS = frozenset(
    "alla att av de den denna det detta dess du efter eller en ett från för har hon hur i"
    " inom inte ingen jag kan med men mot när och om på samt sig sin ska som så till under"
    " utan vad var vi vid än är".split()
)
MAX_TERMS = 16


def normalize(text: str) -> str:
    """Return `text` in NFC form, case-folded, so "Å" and "å" compare equal."""
    return unicodedata.normalize("NFC", text).casefold()


def words(text: str) -> list[str]:
    """Split `text` into normalized words of letters and digits."""
    return _WORD.findall(normalize(text))


def _r1(word: str) -> int:
    """Start of the Snowball R1 region: after the first non-vowel that follows a vowel."""
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(i + 1, 3)
    return len(word)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Stem one normalized word; the stem is always a prefix of the word."""
    with _STEMMER_LOCK:
        stemmed: str = _STEMMER.stemWord(word)
    if not word.startswith(stemmed):  # keep the prefix property snippets rely on
        return word
    for ending in _DEFINITE:
        if stemmed.endswith(ending) and len(stemmed) - len(ending) >= _r1(word):
            return stemmed[: -len(ending)]
    return stemmed


def stemmed_text(text: str) -> str:
    """Return the words of `text` stemmed and joined by spaces, ready for indexing."""
    return " ".join(stem(w) for w in words(text))


def query_terms(text: str) -> list[str]:
    """Return the distinct stems of the words in a user's query, at most MAX_TERMS."""
    found = words(text)
    found = [w for w in found if w not in STOPWORDS] or found
    return list(dict.fromkeys(stem(w) for w in found))[:MAX_TERMS]


def _is_prefix(term: str) -> bool:
    # A one-letter prefix matches a large part of the index and says little.
    return len(term) > 1


def label_token(label: str) -> str:
    """Encode a label as a single index token, whatever characters it contains."""
    return "l" + label.encode().hex()


def match_expression(
    terms: Sequence[str], columns: Sequence[str], labels: Sequence[str] | None = None
) -> str:
    """Build an FTS5 MATCH string requiring every term in `columns` and one of `labels`."""
    # Terms are quoted, longer ones as prefixes; labels are matched in the `label` column.
    quoted = " ".join('"' + t.replace('"', '""') + ('"*' if _is_prefix(t) else '"') for t in terms)
    expression = "{" + " ".join(columns) + "} : (" + quoted + ")"
    if labels is not None:
        tokens = " OR ".join('"' + label_token(label) + '"' for label in labels)
        expression += " AND {label} : (" + tokens + ")"
    return expression


def term_matches(word_stem: str, terms: Sequence[str]) -> bool:
    """Tell whether a stemmed word is matched by any query term, as the index matches it."""
    return any(word_stem.startswith(t) if _is_prefix(t) else word_stem == t for t in terms)


def _matches(word: str, terms: Sequence[str]) -> bool:
    return term_matches(stem(normalize(word)), terms)


@lru_cache(maxsize=256)
def _starts(terms: tuple[str, ...]) -> re.Pattern[str]:
    # Where a matching word may start: a term at a word start, in any case.
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})", re.IGNORECASE)


def _piece(text: str) -> str:
    return html.escape(_SPACE.sub(" ", text))


def _window(text: str, start: int, terms: Sequence[str], width: int) -> str:
    begin = max(0, start - width // 3)
    if begin > 0 and not text[begin - 1].isspace():  # do not cut a word in half
        space = _SPACE.search(text, begin, start)
        begin = space.end() if space else begin
    end = min(len(text), begin + width)
    if end < len(text) and not text[end].isspace():
        cut = max((m.start() for m in _SPACE.finditer(text, start, end)), default=-1)
        end = cut if cut > start else end
    parts = ["…" if begin > 0 else ""]
    pos = begin
    for candidate in _starts(tuple(terms)).finditer(text, begin, end) if terms else ():
        word = _WORD.match(text, candidate.start(), end)
        if word and word.start() >= pos and _matches(word.group(), terms):
            parts += [_piece(text[pos : word.start()]), "<mark>", html.escape(word.group())]
            parts.append("</mark>")
            pos = word.end()
    parts += [_piece(text[pos:end]), "…" if end < len(text) else ""]
    return "".join(parts).strip()


def snippet(terms: Sequence[str], fields: Sequence[str], width: int = 160) -> str:
    """Return an HTML-safe excerpt around the first word matching `terms`, marked up.

    The first field with a match is used; without any, the start of the first non-empty one.
    """
    starts = _starts(tuple(terms)) if terms else None
    for field in fields:
        text = unicodedata.normalize("NFC", field)
        for candidate in starts.finditer(text) if starts else ():
            word = _WORD.match(text, candidate.start())
            if word and _matches(word.group(), terms):
                return _window(text, candidate.start(), terms, width)
    first = next((unicodedata.normalize("NFC", f) for f in fields if f.strip()), "")
    return _window(first, 0, terms, width)
