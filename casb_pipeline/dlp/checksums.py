"""Check-digit algorithms as Polars expressions over candidate columns.

Each function takes a string expression and returns a boolean one. Values of
the lengths found in practice are read a byte at a time at fixed positions
(one column operation per position, far cheaper than a list per value);
longer values fall back to list expressions over their characters. Verhoeff,
whose steps do not commute, unrolls a fixed number of positions. No Python
code runs per row.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import cache

import polars as pl

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _digits_list(digits: pl.Expr) -> pl.Expr:
    return digits.str.split("").cast(pl.List(pl.Int64), strict=False)


def _position() -> pl.Expr:
    """0-based index of the current element inside ``list.eval``."""
    return pl.int_range(pl.len())


# Digit strings up to this many characters are read position by position.
_UNROLLED_DIGITS = 24


def _byte_table(value_of_digit: Callable[[int], int]) -> pl.Expr:
    """A lookup from byte value to ``value_of_digit(d)`` for the digits 0-9
    and 0 for any other byte (as ``_digits_list`` counts them)."""
    values = [value_of_digit(code - 48) if 48 <= code <= 57 else 0 for code in range(256)]
    return pl.lit(pl.Series(values, dtype=pl.Int64))


def _looked_up(raw: pl.Expr, index: int, table: pl.Expr) -> pl.Expr:
    """``table`` at byte ``index`` of each value (from the right when
    negative); null past either end (``sum_horizontal`` skips it)."""
    return table.gather(raw.bin.get(index, null_on_oob=True).cast(pl.Int64))


def _doubled(digit: pl.Expr) -> pl.Expr:
    """Luhn's doubling: 2d, less 9 when that has two digits."""
    return digit * 2 - pl.when(digit >= 5).then(9).otherwise(0)


def luhn(digits: pl.Expr) -> pl.Expr:
    """Luhn (mod 10): from the right, every second digit is doubled and
    reduced (2d - 9 when 2d > 9); the sum must end in 0."""
    raw = digits.cast(pl.Binary)
    plain = _byte_table(lambda d: d)
    doubled = _byte_table(lambda d: 2 * d - 9 if d >= 5 else 2 * d)
    unrolled = pl.sum_horizontal(
        _looked_up(raw, -1 - i, doubled if i % 2 else plain) for i in range(_UNROLLED_DIGITS)
    )
    fits = (digits.str.len_bytes() <= _UNROLLED_DIGITS) & (
        digits.str.len_bytes() == digits.str.len_chars()
    )
    d = pl.element()
    listwise = (
        _digits_list(pl.when(~fits).then(digits).str.reverse())
        .list.eval(pl.when(_position() % 2 == 1).then(_doubled(d)).otherwise(d).sum())
        .list.first()
    )
    total = pl.when(fits).then(unrolled).otherwise(listwise)
    return (total % 10 == 0) & (digits.str.len_chars() >= 2)


def aba_routing(digits: pl.Expr) -> pl.Expr:
    """ABA routing number check: weights 3, 7, 1 over nine digits, mod 10."""
    weight = pl.when(_position() % 3 == 0).then(3).when(_position() % 3 == 1).then(7).otherwise(1)
    total = _digits_list(digits).list.eval((pl.element() * weight).sum()).list.first()
    return (digits.str.len_chars() == 9) & (total % 10 == 0)


def mod97(compact_iban: pl.Expr) -> pl.Expr:
    """ISO 13616 check: move the first four characters to the end, read letters
    as 10..35 (two decimal digits each), and the number must be 1 modulo 97.

    The number is summed as value x 10^(decimal digits to its right) mod 97,
    with the powers looked up, so no big integer is ever built.
    """
    rearranged = compact_iban.str.slice(4) + compact_iban.str.slice(0, 4)
    value = pl.element().str.to_integer(base=36, strict=False)
    width = pl.when(value >= 10).then(2).otherwise(1)
    right = width.reverse().cum_sum().reverse() - width
    powers = [pow(10, k, 97) for k in range(80)]
    power = right.replace_strict(list(range(80)), powers, default=None)
    total = rearranged.str.split("").list.eval(((value * power) % 97).sum()).list.first()
    return (total % 97 == 1) & (compact_iban.str.len_chars() >= 5)


# Verhoeff tables: multiplication in the dihedral group D5 and the position
# permutation (applied i mod 8 times).
VERHOEFF_D5 = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
VERHOEFF_PERMUTATION = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)


def _permuted(digit: int, times: int) -> int:
    for _ in range(times):
        digit = VERHOEFF_PERMUTATION[digit]
    return digit


def verhoeff(digits: pl.Expr, width: int) -> pl.Expr:
    """Verhoeff check of a digit string of exactly ``width`` digits: one table
    lookup per position, indexed by (running check, digit); null when a
    character is not a digit."""
    raw = digits.cast(pl.Binary)
    digit_of = pl.lit(
        pl.Series([code - 48 if 48 <= code <= 57 else None for code in range(256)], dtype=pl.Int64)
    )
    check = pl.lit(0, dtype=pl.Int64)
    for i in range(width):
        byte = raw.bin.get(width - 1 - i, null_on_oob=True).cast(pl.Int64)
        step = [VERHOEFF_D5[c][_permuted(d, i % 8)] for c in range(10) for d in range(10)]
        check = pl.lit(pl.Series(step, dtype=pl.Int64)).gather(check * 10 + digit_of.gather(byte))
    return (digits.str.len_chars() == width) & (check == 0)


@cache
def _crc32_terms(length: int) -> tuple[int, list[int]]:
    """CRC-32 is affine over GF(2): for messages of a fixed length,
    crc(m) = crc(zeros) XOR term(0, m0) XOR ... XOR term(n-1, m(n-1)),
    where term(i, b) is what byte b at position i changes. The table comes
    from zlib; entry i * 256 + b holds term(i, b)."""
    zeros = bytes(length)
    base = zlib.crc32(zeros)
    terms = [
        zlib.crc32(zeros[:i] + bytes([b]) + zeros[i + 1 :]) ^ base
        for i in range(length)
        for b in range(256)
    ]
    return base, terms


def crc32(text: pl.Expr, offset: int, length: int) -> pl.Expr:
    """CRC-32 (IEEE, as zlib) of the ``length`` bytes of each string from
    byte ``offset``; null unless they are all there and printable ASCII. The
    bytes are read in place (a sliced copy would be rebuilt at every use)."""
    base, terms = _crc32_terms(length)
    raw = text.cast(pl.Binary)
    combined = pl.lit(base, dtype=pl.Int64)
    for i in range(length):
        table = [terms[i * 256 + code] if 32 <= code < 127 else None for code in range(256)]
        code = raw.bin.get(offset + i, null_on_oob=True).cast(pl.Int64)
        combined = combined.xor(pl.lit(pl.Series(table, dtype=pl.Int64)).gather(code))
    return combined


def base62_value(text: pl.Expr, offset: int, width: int) -> pl.Expr:
    """Integer value of the ``width`` base-62 characters (0-9, A-Z, a-z) of
    each string from byte ``offset``; null unless they are all there."""
    raw = text.cast(pl.Binary)
    digit_of: list[int | None] = [None] * 256
    for value, character in enumerate(_BASE62):
        digit_of[ord(character)] = value
    table = pl.lit(pl.Series(digit_of, dtype=pl.Int64))
    total = pl.lit(0, dtype=pl.Int64)
    for i in range(width):
        code = raw.bin.get(offset + i, null_on_oob=True).cast(pl.Int64)
        total = total * 62 + table.gather(code)
    return total


def github_checksum(token: pl.Expr) -> pl.Expr:
    """Classic GitHub tokens (``ghp_`` + 30 random + 6 check characters): the
    last six characters are the base-62 CRC-32 of the 30 random ones."""
    return (token.str.len_chars() == 40) & (crc32(token, 4, 30) == base62_value(token, 34, 6))
