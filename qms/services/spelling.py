"""Typo tolerance for any search adapter: one wrong, missing, extra or swapped letter.

The words come from the same search documents every index is built from, so the embedded
index and Neo4j's full-text index get the same corrections.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from qms.search import text as txt
from qms.services.indexing import INDEXED, search_doc
from qms.storage.port import GraphStore

MIN_LENGTH = 4  # shorter words have too many neighbours one letter away to guess well
PREFIX_SCAN = 200  # words looked at per candidate prefix: enough to find the common one


@dataclass(frozen=True)
class Vocabulary:
    """Every indexed word with the number of documents it occurs in."""

    words: tuple[str, ...]
    counts: dict[str, int]
    letters: str

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        """Count each word once per text."""
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update({w for w in txt.words(text) if not w.isdigit()})
        letters = "".join(sorted({c for word in counts for c in word}))
        return cls(tuple(sorted(counts)), dict(counts), letters)

    def knows(self, word: str) -> bool:
        """True when some indexed word starts with ``word`` (prefix search finds it)."""
        i = bisect_left(self.words, word)
        return i < len(self.words) and self.words[i].startswith(word)

    def correct(self, word: str) -> str | None:
        """The most common indexed word one edit away (or starting one edit away), or None."""
        if len(word) < MIN_LENGTH or self.knows(word):
            return None
        variants = edits(word, self.letters)
        exact = [v for v in variants if v in self.counts]
        if exact:
            return self._commonest(exact)
        completions = (self._commonest_after(v) for v in variants if len(v) >= MIN_LENGTH)
        return self._commonest([w for w in completions if w is not None])

    def correct_query(self, text: str) -> str | None:
        """``text`` with each unknown word corrected, or None when nothing changed."""
        words = txt.words(text)
        fixed = [self.correct(w) or w for w in words]
        return " ".join(fixed) if fixed != words else None

    def _commonest(self, words: list[str]) -> str | None:
        # max() keeps the first of equals, so ties go to the alphabetically first word.
        return max(sorted(words), key=self.counts.__getitem__) if words else None

    def _commonest_after(self, prefix: str) -> str | None:
        start = bisect_left(self.words, prefix)
        window = self.words[start : start + PREFIX_SCAN]
        return self._commonest([w for w in window if w.startswith(prefix)])


def edits(word: str, letters: str) -> set[str]:
    """Every string one deletion, swap of neighbours, substitution or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    substitutions = [a + c + b[1:] for a, b in splits if b for c in letters if c != b[0]]
    inserts = [a + c + b for a, b in splits for c in letters]
    return set(deletes + swaps + substitutions + inserts) - {word}


def vocabulary_of(store: GraphStore) -> Vocabulary:
    """The vocabulary of everything the search index holds, read from the graph."""
    texts = []
    for label in INDEXED:
        for entity in store.entities(label):
            doc = search_doc(entity)
            if doc is not None:
                texts.append(f"{doc.title} {doc.text}")
    return Vocabulary.from_texts(texts)
