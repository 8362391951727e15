"""Profiles files (YAML): custom profiles and rules, overrides, allowlists.

Parsed from YAML nodes rather than plain values so that every error names
the file, the line and the field (``profiles.hr.rules[1].pattern``).
The format is described in the README section on DLP.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from casb_pipeline.dlp.detectors import builtin_detectors
from casb_pipeline.dlp.edm import read_edm
from casb_pipeline.dlp.errors import EdmError, ProfilesFileError
from casb_pipeline.dlp.levels import CONFIDENCES, SEVERITIES, confidence_level, severity_level
from casb_pipeline.dlp.policy import (
    BUILTIN_PROFILES,
    PII_RECORD,
    VALIDATORS,
    AllowEntry,
    CustomRule,
    Policy,
    Profile,
)

log = logging.getLogger(__name__)

PROFILES_ENV = "CASB_DLP_PROFILES"
_NAME = re.compile("[a-z][a-z0-9_]{0,62}")
# Named groups the engine uses to mark values (see casb_pipeline.dlp.locate).
_RESERVED_GROUP = re.compile(r"\(\?P?<(?:v|w|pre|post|p2|s2)>")
_PROFILE_KEYS = {"min_confidence", "min_count", "severity", "enabled", "bulk_count", "rules"}
_RULE_KEYS = {
    "name",
    "pattern",
    "keywords",
    "case_sensitive",
    "validator",
    "min_entropy",
    "context",
    "confidence",
    "edm",
    "detectors",
}
_ALLOW_KEYS = {"reason", "fingerprint", "pattern", "detectors", "expires"}
_SETTINGS = {"context_window": 8, "record_window": 1, "record_min_types": 2}


class _Field:
    """A YAML node with its dotted path, for precise error messages."""

    def __init__(self, node: yaml.Node, path: str, file: Path) -> None:
        self.node = node
        self.path = path
        self.file = file

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1

    def fail(self, problem: str) -> ProfilesFileError:
        return ProfilesFileError(self.file, self.line, self.path or "(top level)", problem)

    def _scalar(self) -> Any:
        if not isinstance(self.node, yaml.ScalarNode):
            raise self.fail("expected a single value")
        return yaml.SafeLoader("").construct_object(self.node)

    def mapping(self, allowed: set[str] | None = None) -> dict[str, _Field]:
        if not isinstance(self.node, yaml.MappingNode):
            raise self.fail("expected a mapping of names to values")
        fields: dict[str, _Field] = {}
        for key_node, value_node in self.node.value:
            key = _Field(key_node, self.path, self.file)._scalar()
            where = f"{self.path}.{key}" if self.path else str(key)
            if not isinstance(key, str):
                raise _Field(key_node, where, self.file).fail("names must be text")
            if key in fields:
                raise _Field(key_node, where, self.file).fail("given twice")
            if allowed is not None and key not in allowed:
                expected = ", ".join(sorted(allowed))
                raise _Field(key_node, where, self.file).fail(f"unknown field; expected {expected}")
            fields[key] = _Field(value_node, where, self.file)
        return fields

    def items(self) -> list[_Field]:
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.fail("expected a list")
        return [
            _Field(node, f"{self.path}[{index}]", self.file)
            for index, node in enumerate(self.node.value)
        ]

    def text(self) -> str:
        value = self._scalar()
        if not isinstance(value, str) or not value.strip():
            raise self.fail("expected non-empty text")
        return value

    def texts(self) -> tuple[str, ...]:
        values = tuple(item.text() for item in self.items())
        if not values:
            raise self.fail("expected at least one entry")
        return values

    def whole(self, minimum: int) -> int:
        value = self._scalar()
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(f"expected a whole number of at least {minimum}")
        return value

    def number(self) -> float:
        value = self._scalar()
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail("expected a number")
        return float(value)

    def flag(self) -> bool:
        value = self._scalar()
        if not isinstance(value, bool):
            raise self.fail("expected true or false")
        return value

    def day(self) -> date:
        value = self._scalar()
        if not isinstance(value, date):
            raise self.fail("expected a date (YYYY-MM-DD)")
        return value

    def choice(self, options: tuple[str, ...]) -> str:
        value = self.text()
        if value not in options:
            raise self.fail(f"{value!r} is not one of {', '.join(options)}")
        return value

    def name(self) -> str:
        value = self.text()
        if not _NAME.fullmatch(value):
            raise self.fail("names are lower case letters, digits and _, starting with a letter")
        return value

    def regex(self) -> str:
        pattern = self.text()
        if _RESERVED_GROUP.search(pattern):
            raise self.fail("group names v, w, pre, post, p2 and s2 are reserved; rename the group")
        try:  # compiled by Polars itself: its regex dialect is the one scans use
            matches_empty = pl.select(pl.lit("").str.contains(pattern)).item()
        except pl.exceptions.PolarsError as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else "invalid"
            raise self.fail(f"not a valid regular expression ({first_line})") from None
        if matches_empty:
            raise self.fail("the pattern matches empty text; it must match at least a character")
        return pattern


def profiles_path_from_env(env: Mapping[str, str] | None = None) -> Path | None:
    """The profiles file named by ``CASB_DLP_PROFILES``, if set."""
    raw = (os.environ if env is None else env).get(PROFILES_ENV, "").strip()
    return Path(raw).expanduser() if raw else None


def load_policy(path: Path | None, today: date | None = None) -> Policy:
    """The built-in profiles, changed and extended by the profiles file at
    ``path`` (none: built-ins only). Raises :class:`ProfilesFileError`."""
    if path is None:
        return Policy()
    if not path.is_file():
        hint = f"not found; check --profiles or {PROFILES_ENV}"
        raise ProfilesFileError(path, None, "file", hint)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError:
        raise ProfilesFileError(path, None, "file", "not UTF-8 text") from None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise ProfilesFileError(path, line, "syntax", str(error.problem)) from None
    if node is None:
        return Policy()
    top = _Field(node, "", path).mapping({"settings", "profiles", "allowlist"})
    policy = Policy()
    if "settings" in top:
        settings = top["settings"].mapping(set(_SETTINGS))
        policy = replace(
            policy,
            **{name: field.whole(_SETTINGS[name]) for name, field in settings.items()},
        )
    if "profiles" in top:
        policy = _profiles(top["profiles"], policy)
    if "allowlist" in top:
        entries = tuple(_allow_entry(item, policy) for item in top["allowlist"].items())
        for entry in entries:
            if not entry.active(today or date.today()):
                log.warning(
                    "allowlist entry at %s expired on %s; its matches are reported again",
                    entry.origin,
                    entry.expires,
                )
        policy = replace(policy, allowlist=entries)
    return policy


def _profiles(field: _Field, policy: Policy) -> Policy:
    profiles = {profile.name: profile for profile in policy.profiles}
    rules: list[CustomRule] = []
    for name, settings in field.mapping().items():
        if not _NAME.fullmatch(name):
            raise settings.fail("profile names are lower case letters, digits and _")
        fields = settings.mapping(_PROFILE_KEYS)
        builtin = name in BUILTIN_PROFILES
        if builtin and "rules" in fields:
            raise fields["rules"].fail(
                f"{name} is built in: add rules to a profile of your own name"
            )
        if not builtin and "rules" not in fields:
            raise settings.fail("a new profile needs rules")
        profile = profiles.get(name, Profile(name=name))
        changes: dict[str, Any] = {}
        if "min_confidence" in fields:
            level = fields["min_confidence"].choice(CONFIDENCES)
            changes["min_confidence"] = confidence_level(level)
        if "min_count" in fields:
            changes["min_count"] = fields["min_count"].whole(1)
        if "severity" in fields:
            changes["severity"] = severity_level(fields["severity"].choice(SEVERITIES))
        if "enabled" in fields:
            changes["enabled"] = fields["enabled"].flag()
        if "bulk_count" in fields:
            changes["bulk_count"] = fields["bulk_count"].whole(2)
        profiles[name] = replace(profile, **changes)
        if "rules" in fields:
            items = fields["rules"].items()
            if not items:
                raise fields["rules"].fail("expected at least one rule")
            for item in items:
                rule = _rule(item, name)
                if any(other.name == rule.name for other in rules):
                    raise item.mapping(_RULE_KEYS)["name"].fail("this rule name is used twice")
                rules.append(rule)
    return replace(policy, profiles=tuple(profiles.values()), rules=tuple(rules))


def _rule(item: _Field, profile: str) -> CustomRule:
    fields = item.mapping(_RULE_KEYS)
    if "name" not in fields:
        raise item.fail("a rule needs a name")
    name = fields["name"].name()
    kinds = [key for key in ("pattern", "keywords", "edm") if key in fields]
    if kinds not in (["pattern"], ["keywords"], ["edm"], ["pattern", "edm"]):
        raise item.fail("give exactly one of pattern, keywords or edm (edm may add a pattern)")
    rule = CustomRule(name=name, profile=profile)
    if "pattern" in fields:
        rule = replace(rule, pattern=fields["pattern"].regex())
    if "keywords" in fields:
        rule = replace(rule, keywords=fields["keywords"].texts())
    if "case_sensitive" in fields:
        rule = replace(rule, case_sensitive=fields["case_sensitive"].flag())
    if "validator" in fields:
        rule = replace(rule, validator=fields["validator"].choice(VALIDATORS))
    if "min_entropy" in fields:
        rule = replace(rule, min_entropy=fields["min_entropy"].number())
    if "context" in fields:
        rule = replace(rule, context=fields["context"].texts())
    if "confidence" in fields:
        rule = replace(rule, confidence=confidence_level(fields["confidence"].choice(CONFIDENCES)))
    if "edm" in fields:
        rule = _edm(rule, fields)
    elif "detectors" in fields:
        raise fields["detectors"].fail("detectors are looked up in an edm file: add edm")
    return rule


def _edm(rule: CustomRule, fields: dict[str, _Field]) -> CustomRule:
    source = fields["edm"]
    path = Path(source.text()).expanduser()
    if not path.is_absolute():
        path = source.file.parent / path
    if not path.is_file():
        raise source.fail(f"{path}: no such file; make it with `casb-pipeline dlp hash-edm`")
    try:
        edm = read_edm(path)
    except EdmError as error:
        raise source.fail(str(error)) from None
    detectors: tuple[str, ...] = ()
    if "detectors" in fields:
        known = sorted({detector.id for detector in builtin_detectors()})
        for item in fields["detectors"].items():
            item.choice(tuple(known))
        detectors = fields["detectors"].texts()
    if bool(detectors) == (rule.pattern is not None):
        raise source.fail("an edm rule needs either detectors to look up or a pattern")
    return replace(rule, edm=edm, edm_detectors=detectors)


def _allow_entry(item: _Field, policy: Policy) -> AllowEntry:
    fields = item.mapping(_ALLOW_KEYS)
    if "reason" not in fields:
        raise item.fail("an allowlist entry needs a reason")
    if ("fingerprint" in fields) == ("pattern" in fields):
        raise item.fail("give exactly one of fingerprint or pattern")
    entry = AllowEntry(reason=fields["reason"].text(), origin=f"{item.file}:{item.line}")
    if "fingerprint" in fields:
        fingerprint = fields["fingerprint"].text().strip().lower()
        if not re.fullmatch("[0-9a-f]{64}", fingerprint):
            raise fields["fingerprint"].fail("expected 64 hexadecimal characters")
        entry = replace(entry, fingerprint=fingerprint)
    if "pattern" in fields:
        entry = replace(entry, pattern=fields["pattern"].regex())
    if "detectors" in fields:
        known = {detector.id for detector in builtin_detectors()} | {PII_RECORD}
        known |= {rule.detector_id for rule in policy.rules}
        for detector in fields["detectors"].items():
            detector.choice(tuple(sorted(known)))
        entry = replace(entry, detectors=fields["detectors"].texts())
    if "expires" in fields:
        entry = replace(entry, expires=fields["expires"].day())
    return entry
