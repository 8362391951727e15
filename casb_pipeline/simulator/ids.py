"""Identifiers that look opaque but decode back to what they name.

An id is ``<prefix>01`` + 11 base58 characters carrying a number (masked by a
seed-derived key) + 11 characters of a keyed checksum. The number packs the
address of the record (chat index, message ordinal, slot...), so the server
finds a message, file or artifact from its id without holding an index of
millions of strings in memory. Activity ids put the time first so that their
text order is their time order, like the API's.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from datetime import UTC, datetime

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: i for i, char in enumerate(ALPHABET)}
_WIDTH = 11
_SPACE = 58**_WIDTH
_MASK64 = (1 << 64) - 1


def _digest(*parts: object) -> int:
    text = "\x1f".join(str(part) for part in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def rng_for(*parts: object) -> random.Random:
    """A random stream that depends only on ``parts`` (seed, kind, index...)."""
    return random.Random(_digest(*parts))


_PAIRS = [a + b for a in ALPHABET for b in ALPHABET]


def b58(number: int, width: int) -> str:
    """``number`` in base 58, left-padded to ``width`` characters (two digits per step)."""
    pieces = []
    for _ in range(width // 2):
        number, rest = divmod(number, 3364)
        pieces.append(_PAIRS[rest])
    if width % 2:
        pieces.append(ALPHABET[number % 58])
    return "".join(reversed(pieces))


def unb58(text: str) -> int | None:
    number = 0
    for char in text:
        digit = _INDEX.get(char)
        if digit is None:
            return None
        number = number * 58 + digit
    return number


class IdCodec:
    """Encodes and decodes the ids of one simulated tenant (one seed)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._masks: dict[str, int] = {}

    def _mask(self, prefix: str) -> int:
        mask = self._masks.get(prefix)
        if mask is None:
            mask = self._masks[prefix] = _digest(self.seed, "mask", prefix) & _MASK64
        return mask

    def encode(self, prefix: str, number: int) -> str:
        masked = number ^ self._mask(prefix)
        check = _digest(self.seed, "check", prefix, number) % _SPACE
        return f"{prefix}01{b58(masked, _WIDTH)}{b58(check, _WIDTH)}"

    def decode(self, prefix: str, text: str) -> int | None:
        """The number inside ``text``, or None if it is not one of our ids."""
        if not text.startswith(prefix + "01") or len(text) != len(prefix) + 2 + 2 * _WIDTH:
            return None
        masked = unb58(text[len(prefix) + 2 : len(prefix) + 2 + _WIDTH])
        if masked is None or masked > _MASK64:
            return None
        number = masked ^ self._mask(prefix)
        return number if self.encode(prefix, number) == text else None

    def activity_id(self, key: int) -> str:
        """``key`` = seconds << 32 | tie-break; the text sorts like the key."""
        check = _digest(self.seed, "activity", key) % (58**8)
        return f"activity_01{b58(key, 14)}{b58(check, 8)}"

    def activity_key(self, text: str) -> int | None:
        if not text.startswith("activity_01") or len(text) != len("activity_01") + 22:
            return None
        key = unb58(text[11:25])
        if key is None or self.activity_id(key) != text:
            return None
        return key

    def uuid(self, *parts: object) -> str:
        """A stable UUID (version 4 layout) for ``parts``."""
        high = _digest(self.seed, "uuid-a", *parts)
        low = _digest(self.seed, "uuid-b", *parts)
        return str(uuid.UUID(int=(high << 64) | low, version=4))


def iso(seconds: int) -> str:
    """RFC 3339 UTC, second precision, ``Z`` suffix."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch(moment: datetime) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())
