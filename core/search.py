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
            if len(run) > 1:
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


# A tag is indexed as one token that index_text can never produce (ASCII and CJK in one word),
# so filtering by tag uses the full-text index and never matches ordinary note text.
TAG_PREFIX = "tag签"


def tag_token(tag: str) -> str:
    return TAG_PREFIX + "".join(char for char in tag.lower() if char.isalnum())


def with_tags(search_text: str, tags: list[str]) -> str:
    """`search_text` with its tag tokens replaced by those of `tags`."""
    words = [word for word in search_text.split() if not word.startswith(TAG_PREFIX)]
    words.extend(tag_token(tag) for tag in tags if tag_token(tag) != TAG_PREFIX)
    return " ".join(words)


def search_phrases(query: str = "", tag: str | None = None) -> list[str]:
    """What must all be found: each query word as a phrase of its tokens, and the tag's token.

    Empty when there is nothing to look for. Tokens hold only letters and digits, so no phrase
    can carry a quote or a search operator out of user input.
    """
    phrases = [" ".join(tokens) for tokens in query_terms(query)]
    if tag and tag_token(tag) != TAG_PREFIX:
        phrases.append(tag_token(tag))
    return phrases


def fts5_match(phrases: list[str]) -> str:
    """An SQLite FTS5 MATCH expression requiring every phrase (AND between quoted phrases)."""
    return " AND ".join(f'"{phrase}"' for phrase in phrases)
