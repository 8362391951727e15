"""Check-digit expressions against straightforward Python implementations."""

from __future__ import annotations

import random
import string
import zlib

import polars as pl

from casb_pipeline.dlp import checksums
from casb_pipeline.dlp.synthetic import github_token, luhn_valid, mod97_valid, verhoeff_digit

RNG = random.Random(20240501)


def _aba(number: str) -> bool:
    weights = (3, 7, 1) * 3
    return sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 10 == 0


def _evaluate(values: list[str], expression: pl.Expr) -> list[bool]:
    return pl.DataFrame({"v": values}).select(expression.alias("ok"))["ok"].to_list()


def _digits(count: int) -> list[str]:
    return ["".join(RNG.choices(string.digits, k=RNG.randint(9, 19))) for _ in range(count)]


def test_luhn_agrees_with_reference_on_random_numbers() -> None:
    values = [*_digits(3000), "4111111111111111", "79927398713"]
    assert _evaluate(values, checksums.luhn(pl.col("v"))) == [luhn_valid(v) for v in values]


def test_luhn_agrees_with_reference_at_every_length() -> None:
    # Up to 24 digits are read position by position, longer values as lists.
    values = [
        "".join(RNG.choices(string.digits, k=length)) for length in range(2, 41) for _ in range(40)
    ]
    assert _evaluate(values, checksums.luhn(pl.col("v"))) == [luhn_valid(v) for v in values]


def test_luhn_of_empty_and_null_values() -> None:
    assert _evaluate(["", "0", "00"], checksums.luhn(pl.col("v"))) == [False, False, True]
    assert (
        pl.DataFrame({"v": [None]}, schema={"v": pl.String})
        .select(checksums.luhn(pl.col("v")))
        .item()
        is None
    )


def test_mod97_agrees_with_reference_and_accepts_published_ibans() -> None:
    alphabet = string.ascii_uppercase + string.digits
    values = ["".join(RNG.choices(alphabet, k=RNG.randint(15, 34))) for _ in range(3000)]
    values += ["GB82WEST12345698765432", "FR1420041010050500013M02606"]
    results = _evaluate(values, checksums.mod97(pl.col("v")))
    assert results == [mod97_valid(v) for v in values]
    assert results[-2:] == [True, True]


def test_aba_agrees_with_reference() -> None:
    values = ["".join(RNG.choices(string.digits, k=9)) for _ in range(3000)] + ["021000021"]
    results = _evaluate(values, checksums.aba_routing(pl.col("v")))
    assert results == [_aba(v) for v in values]
    assert results[-1] is True


def test_verhoeff_accepts_check_digits_and_rejects_single_digit_changes() -> None:
    bodies = ["".join(RNG.choices(string.digits, k=11)) for _ in range(500)]
    valid = [body + verhoeff_digit(body) for body in bodies]
    changed = [v[:5] + str((int(v[5]) + 1) % 10) + v[6:] for v in valid]
    swapped = [v[:3] + v[4] + v[3] + v[5:] for v in valid if v[3] != v[4]]
    assert all(_evaluate(valid, checksums.verhoeff(pl.col("v"), 12)))
    assert not any(_evaluate(changed, checksums.verhoeff(pl.col("v"), 12)))
    assert not any(_evaluate(swapped, checksums.verhoeff(pl.col("v"), 12)))


def test_crc32_matches_zlib() -> None:
    values = ["".join(RNG.choices(string.ascii_letters + string.digits, k=30)) for _ in range(500)]
    computed = pl.DataFrame({"v": values}).select(checksums.crc32(pl.col("v"), 0, 30))
    assert computed.to_series().to_list() == [zlib.crc32(v.encode()) for v in values]
    padded = pl.DataFrame({"v": [f"ab{v}cd" for v in values]})
    assert padded.select(checksums.crc32(pl.col("v"), 2, 30)).equals(computed)


def test_crc32_is_null_when_bytes_are_missing_or_not_printable() -> None:
    values = ["a" * 29, "", "a" * 10 + "\t" + "a" * 19, "a" * 12 + "é" + "a" * 16]
    computed = pl.DataFrame({"v": values}).select(checksums.crc32(pl.col("v"), 0, 30))
    assert computed.to_series().to_list() == [None, None, None, None]


def test_github_checksum_accepts_real_layout_and_rejects_a_changed_character() -> None:
    tokens = [github_token(RNG) for _ in range(200)]
    broken = [t[:10] + ("A" if t[10] != "A" else "B") + t[11:] for t in tokens]
    assert all(_evaluate(tokens, checksums.github_checksum(pl.col("v"))))
    assert not any(_evaluate(broken, checksums.github_checksum(pl.col("v"))))
