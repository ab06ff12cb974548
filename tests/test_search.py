"""Chinese search text: bigrams that a word index can match, queries as phrases, tags as their own tokens."""
import sqlite3

from core.search import TAG_PREFIX, fts5_match, index_text, query_terms, search_phrases, tag_token, with_tags


def test_chinese_is_cut_into_overlapping_pairs_and_single_characters():
    assert index_text("党性修养") == "党性 性修 修养 党 性 修 养"
    assert index_text("读《红岩》", None, "") == "读 红岩 红 岩"  # punctuation ends a run, so no pair spans it
    assert index_text("Study 2026 党性") == "党性 党 性 study 2026"


def test_a_query_word_becomes_the_pairs_that_must_stand_together():
    assert query_terms("党性修养 学习") == [["党性", "性修", "修养"], ["学习"]]
    assert query_terms("党") == [["党"]]
    assert query_terms("PDF《红岩》") == [["红岩"], ["pdf"]]
    assert query_terms("!!! ,,") == []


def test_search_phrases_and_the_fts5_expression():
    assert search_phrases("党性修养 学习") == ["党性 性修 修养", "学习"]
    assert search_phrases("", "作风建设") == [tag_token("作风建设")]
    assert search_phrases("???") == []
    assert fts5_match(["党性 性修 修养", "学习"]) == '"党性 性修 修养" AND "学习"'
    # Quotes and FTS5 operators in the input never reach the expression.
    assert fts5_match(search_phrases('学习" OR "x NEAR(党性)')) == '"学习" AND "党性" AND "or" AND "x" AND "near"'


def test_a_tag_token_is_never_made_from_note_text():
    text = index_text(f"{TAG_PREFIX}作风建设 tag签", "作风建设 tag")
    assert tag_token("作风建设") not in text.split()
    assert with_tags("党性 党 性", ["作风建设", "AI"]) == f"党性 党 性 {TAG_PREFIX}作风建设 {TAG_PREFIX}ai"
    assert with_tags(f"党性 {TAG_PREFIX}旧标签", []) == "党性"


def test_sqlite_fts5_with_unicode61_finds_a_two_character_word_only_where_it_stands():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE notes USING fts5(search_text, tokenize='unicode61')")
    rows = {1: "坚持党性原则", 2: "党员的性格", 3: "加强党性修养"}
    for rowid, note in rows.items():
        connection.execute("INSERT INTO notes(rowid, search_text) VALUES (?, ?)", (rowid, index_text(note)))

    def found(query: str) -> set[int]:
        expression = fts5_match(search_phrases(query))
        return {rowid for (rowid,) in connection.execute("SELECT rowid FROM notes WHERE notes MATCH ?", (expression,))}

    assert found("党性") == {1, 3}
    assert found("党性修养") == {3}
    assert found("性格 党员") == {2}
