"""Character offsets of every match, whatever comes before it."""

from __future__ import annotations

import random

import polars as pl

from casb_pipeline.dlp import synthetic
from casb_pipeline.dlp.candidates import find_candidates
from casb_pipeline.dlp.locate import locate
from casb_pipeline.dlp.scanners import TOKENS, Scanner

DIGITS = r"(?-u)(?P<v>\b[0-9]{4}\b)"


def _locate(texts: list[str | None], pattern: str, window: int = 10) -> pl.DataFrame:
    frame = pl.DataFrame(
        {"row": pl.Series(range(len(texts)), dtype=pl.UInt32), "text": texts}
    ).lazy()
    return locate(frame, pattern, window=window).collect()


def test_offsets_are_python_character_offsets_after_accents_cjk_and_emoji() -> None:
    texts = ["café 1234", "日本語のテキスト 5678 と 9012", "👩‍💻🎉 3456", "plain 7890"]
    found = _locate(texts, DIGITS)
    assert found.height == 5
    for row, start, end, value in found.select("row", "start", "end", "value").iter_rows():
        assert texts[row][start:end] == value
    assert found.filter(pl.col("row") == 1)["start"].to_list() == [9, 16]


def test_repeated_values_in_one_row_each_get_their_own_offset() -> None:
    texts = ["1111 é 1111 ü 1111"]
    found = _locate(texts, DIGITS)
    assert found["start"].to_list() == [0, 7, 14]


def test_sentinel_characters_in_the_text_do_not_shift_offsets() -> None:
    texts = ["a\x00b\x01c 4321 \x00 8765"]
    found = _locate(texts, DIGITS)
    assert found["value"].to_list() == ["4321", "8765"]
    assert [texts[0][s:e] for s, e in found.select("start", "end").iter_rows()] == [
        "4321",
        "8765",
    ]


def test_pre_and_post_groups_stay_out_of_the_value_and_in_the_context() -> None:
    pattern = r"(?P<pre>pin=)(?P<v>[0-9]+)(?P<post>;)"
    texts = ["x pin=4242; y"]
    found = _locate(texts, pattern).row(0, named=True)
    assert (found["start"], found["end"], found["value"]) == (6, 10, "4242")
    assert found["before"].endswith("pin=")
    assert found["after"].startswith(";")


def test_context_reaches_back_over_the_previous_match() -> None:
    found = _locate(["SSN: 1234, 5678"], DIGITS, window=20)
    assert "SSN" in found["before"][1]


def test_null_and_empty_texts_yield_nothing() -> None:
    assert _locate([None, "", "no digits"], DIGITS).is_empty()


def test_searching_every_row_finds_the_same_as_skipping_rows_without_a_match() -> None:
    texts = [None, "", "no digits", "a\x00 1234 é 5678", "日本 9012", "1234", "x 12345 3456"]
    frame = pl.DataFrame({"row": pl.Series(range(len(texts)), dtype=pl.UInt32), "text": texts})
    skipping = locate(frame.lazy(), DIGITS, window=10).collect()
    searching = locate(frame.lazy(), DIGITS, window=10, skip_rows=False).collect()
    assert searching.equals(skipping)
    assert skipping["row"].to_list() == [3, 3, 4, 5, 6]


def test_a_pass_row_filter_skips_rows_without_it() -> None:
    frame = pl.DataFrame({"row": pl.Series([0, 1], dtype=pl.UInt32), "text": ["aws 1234", "1234"]})
    passes = [Scanner("digits", DIGITS, row_filter="aws"), Scanner("all", DIGITS)]
    found = find_candidates(frame, passes, window=5)
    assert found["digits"]["row"].to_list() == [0]
    assert found["all"]["row"].to_list() == [0, 1]


def _token_texts() -> list[str]:
    """Tokens and connection URLs side by side, nested and glued together."""
    rng = random.Random(8)
    url = "{}://app:{}@db-{}.corp:5432/app"
    schemes = ["postgres", "mysql", "redis", "mongodb+srv", "amqps"]
    makers = [
        lambda: synthetic.github_token(rng),
        lambda: synthetic.openai_api_key(rng),
        lambda: synthetic.slack_token(rng),
        lambda: synthetic.jwt(rng),
        lambda: url.format(rng.choice(schemes), synthetic.password(rng), rng.randint(1, 9)),
        lambda: url.format("postgres", synthetic.github_token(rng), 1),
        lambda: "mysql://a:b@redis://c:d@h",
        lambda: synthetic.private_key(rng) + " " + url.format("redis", "pw", 2),
        lambda: rng.choice(["config", "DATABASE_URL=", "token:", "見る", "é"]),
    ]
    separators = [" ", "", "\n", ", ", "-", "/", "'"]
    texts = []
    for _ in range(1500):
        parts = [rng.choice(makers)() for _ in range(rng.randint(1, 6))]
        texts.append("".join(part + rng.choice(separators) for part in parts))
    return texts


def test_a_pass_split_into_parts_finds_what_its_whole_pattern_finds() -> None:
    texts = _token_texts()
    frame = pl.DataFrame({"row": pl.Series(range(len(texts)), dtype=pl.UInt32), "text": texts})
    whole = locate(frame.lazy(), TOKENS.pattern, window=64).collect()
    split = find_candidates(frame, [TOKENS], window=64)["tokens"]
    assert split.equals(whole)
    # Both kinds of part do meet within the window, and overlap, in this corpus.
    urls = whole.filter(pl.col("value").str.contains("://[^:]*:[^@]*@"))
    assert urls.filter(pl.col("before").str.contains(r"gh[a-z]_|sk-|xox")).height > 0
    assert urls.filter(pl.col("value").str.contains("ghp_")).height > 0
