"""Search text for Chinese: overlapping two-character pieces (bigrams) that any index can match.

Word-based full-text indexes do not split Chinese into words, and trigram indexes cannot match
a two-character word such as 党性. Indexing every bigram (and single characters, for one-character
queries) lets SQLite FTS5 and PostgreSQL's full-text search find any word of two or more
characters as a phrase of bigrams; Latin words are kept whole, in lower case.
"""
from __future__ import annotations

import re

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")


def _cjk_pieces(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[index : index + 2] for index in range(len(run) - 1)]


def index_text(*parts: str | None) -> str:
    """The text to store in the search column: CJK bigrams, single characters and Latin words."""
    tokens: list[str] = []
    for part in parts:
        if not part:
            continue
        for run in _CJK_RUN.findall(part):
            tokens.extend(_cjk_pieces(run))
            tokens.extend(run)  # single characters, for one-character queries
        tokens.extend(word.lower() for word in _LATIN_WORD.findall(part))
    return " ".join(tokens)


def query_terms(query: str) -> list[list[str]]:
    """Each word of a query as the sequence of tokens that must stand together in the index."""
    terms = []
    for run in _CJK_RUN.findall(query or ""):
        terms.append(_cjk_pieces(run))
    terms.extend([word.lower()] for word in _LATIN_WORD.findall(query or ""))
    return terms
