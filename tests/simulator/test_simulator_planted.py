"""The answer key's values are really served, at the part it names, and really valid."""

from __future__ import annotations

import io
import re
import zipfile

import httpx
import pytest
from conftest import ANCHOR
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from casb_pipeline.simulator import Simulator, answer_key
from casb_pipeline.simulator.planted import DETECTORS


def _office_kind(data: bytes) -> str:
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def text_at(data: bytes, part: str | None) -> str:
    """The text of ``part`` inside ``data``, opened with the format's own library."""
    if data.startswith(b"%PDF"):
        number = int(part.split(":")[1]) if part else 1
        return PdfReader(io.BytesIO(data)).pages[number - 1].extract_text()
    if not data.startswith(b"PK"):
        assert part is None
        return data.decode()
    kind = _office_kind(data)
    head, _, rest = (part or "").partition("!")
    if kind == "zip":
        member = head.removeprefix("member:")
        return text_at(zipfile.ZipFile(io.BytesIO(data)).read(member), rest or None)
    if kind == "docx":
        document = Document(io.BytesIO(data))
        section = document.sections[0]
        if head == "header":
            return "\n".join(p.text for p in section.header.paragraphs)
        if head == "footer":
            return "\n".join(p.text for p in section.footer.paragraphs)
        if head.startswith("table:"):
            table = document.tables[int(head.split(":")[1]) - 1]
            return "\n".join(cell.text for row in table.rows for cell in row.cells)
        return "\n".join(p.text for p in document.paragraphs)
    if kind == "xlsx":
        sheet = load_workbook(io.BytesIO(data), read_only=True)[head.removeprefix("sheet:")]
        return "\n".join(
            str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None
        )
    slide_number = head.split(":")
    slide = Presentation(io.BytesIO(data)).slides[int(slide_number[1]) - 1]
    if head.endswith(":notes"):
        return slide.notes_slide.notes_text_frame.text
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def message_text(message: dict) -> str:
    pieces = []
    for block in message["content"]:
        if block["type"] == "text":
            pieces.append(block["text"])
        elif block["type"] == "tool_use":
            pieces.append(block["input"])
        else:
            pieces += [item["text"] for item in block["content"]]
    return "\n".join(pieces)


def served_text(client: httpx.Client, entry) -> str:
    if entry.source_type == "chat_message":
        body = client.get(
            f"/apps/chats/{entry.chat_id}/messages",
            params={"tool_use_input_max_chars": -1, "tool_result_max_chars": -1},
        ).json()
        assert body["user"]["id"] == entry.user_id
        message = next(m for m in body["chat_messages"] if m["id"] == entry.source_id)
        return message_text(message)
    if entry.source_type == "chat_file":
        return text_at(
            client.get(f"/apps/chats/files/{entry.source_id}/content").content, entry.part
        )
    if entry.source_type == "generated_file":
        url = f"/apps/chats/generated-files/{entry.source_id}/content"
        return text_at(client.get(url).content, entry.part)
    if entry.source_type == "artifact":
        return client.get(f"/apps/artifacts/{entry.source_id}/content").json()["content"]
    if entry.source_type == "project":
        return client.get(f"/apps/projects/{entry.source_id}").json()[entry.part]
    if entry.source_id.startswith("claude_proj_doc_"):
        return client.get(f"/apps/projects/documents/{entry.source_id}").json()["content"]
    return text_at(client.get(f"/apps/chats/files/{entry.source_id}/content").content, entry.part)


@pytest.fixture(scope="module")
def key():
    return answer_key(seed=7, scale="small", anchor=ANCHOR)


def test_every_planted_value_and_decoy_is_served_where_the_key_says(
    sim: Simulator, client: httpx.Client, key
) -> None:
    missing = []
    for entry in key.planted + key.decoys:
        text = served_text(client, entry)
        if entry.value not in text:
            missing.append((entry.source_type, entry.source_id, entry.part, entry.detector))
    assert not missing


def test_coverage_of_detectors_and_sources(key) -> None:
    by_detector: dict[str, set[str]] = {}
    for entry in key.planted:
        by_detector.setdefault(entry.detector, set()).add(entry.source_type)
    counts = {d: sum(e.detector == d for e in key.planted) for d in DETECTORS}
    assert set(by_detector) == set(DETECTORS)
    assert min(counts.values()) >= 2, counts
    assert all(len(sources) >= 2 for sources in by_detector.values()), by_detector
    assert {e.source_type for e in key.planted} == {
        "chat_message",
        "chat_file",
        "generated_file",
        "artifact",
        "project",
        "project_attachment",
    }
    parts = {e.part.split("!")[0].split(":")[0] for e in key.planted if e.part}
    assert {"sheet", "slide", "page", "member"} <= parts
    assert {e.detector for e in key.decoys} >= {
        "credit_card_number",
        "aws_access_key_id",
        "password_assignment",
    }
    assert len(key.planted) < 0.15 * 800, "planted values stay sparse"


def test_keys_differ_by_seed_and_repeat_for_the_same_seed(key) -> None:
    again = answer_key(seed=7, scale="small", anchor=ANCHOR)
    other = answer_key(seed=8, scale="small", anchor=ANCHOR)
    assert again == key
    assert {e.value for e in other.planted}.isdisjoint({e.value for e in key.planted})


# --- independent validity checks of the planted values -----------------------------------


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _luhn_ok(number: str) -> bool:
    total = 0
    for position, char in enumerate(number[::-1]):
        doubled = int(char) * (2 if position % 2 else 1)
        total += doubled // 10 + doubled % 10
    return total % 10 == 0


def _d5(a: int, b: int) -> int:
    """Multiplication in the dihedral group D5 (0-4 rotations, 5-9 reflections)."""
    if a < 5:
        return (a + b) % 5 + (5 if b >= 5 else 0)
    return (a - b) % 5 + (0 if b >= 5 else 5)


_SIGMA = {0: 1, 1: 5, 5: 8, 8: 9, 9: 4, 4: 2, 2: 7, 7: 0, 3: 6, 6: 3}


def _verhoeff_ok(number: str) -> bool:
    check = 0
    for position, char in enumerate(number[::-1]):
        digit = int(char)
        for _ in range(position % 8):
            digit = _SIGMA[digit]
        check = _d5(check, digit)
    return check == 0


_IBAN_LENGTHS = {"DE": 22, "FR": 27, "ES": 24, "NL": 18, "GB": 22, "IT": 27}


def _iban_ok(value: str) -> bool:
    raw = value.replace(" ", "")
    moved = raw[4:] + raw[:4]
    return (
        len(raw) == _IBAN_LENGTHS[raw[:2]]
        and int("".join(str(int(c, 36)) for c in moved)) % 97 == 1
    )


def _aba_ok(value: str) -> bool:
    d = [int(c) for c in value]
    return len(d) == 9 and sum(w * x for w, x in zip([3, 7, 1] * 3, d, strict=True)) % 10 == 0


def test_planted_values_pass_their_validators(key) -> None:
    checks = {
        "credit_card_number": lambda v: (
            _luhn_ok(_digits(v)) and len(_digits(v)) in (15, 16) and _digits(v)[0] in "23456"
        ),
        "ca_sin": lambda v: (
            _luhn_ok(_digits(v)) and len(_digits(v)) == 9 and _digits(v)[0] not in "08"
        ),
        "in_aadhaar": lambda v: (
            _verhoeff_ok(_digits(v)) and len(_digits(v)) == 12 and _digits(v)[0] not in "01"
        ),
        "iban": _iban_ok,
        "us_aba_routing": _aba_ok,
        "us_ssn": lambda v: (
            v[:3] not in ("000", "666") and v[0] != "9" and v[4:6] != "00" and v[7:] != "0000"
        ),
        "us_itin": lambda v: (
            v[0] == "9"
            and (70 <= int(v[4:6]) <= 88 or int(v[4:6]) in {90, 91, 92, *range(94, 100)})
        ),
        "uk_nino": lambda v: (
            v.replace(" ", "")[:2] not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
            and v[0] not in "DFIQUV"
            and v[1] not in "DFIOQUV"
            and v[-1] in "ABCD"
        ),
        "aws_access_key_id": lambda v: re.fullmatch(r"AKIA[A-Z2-7]{16}", v) and "EXAMPLE" not in v,
        "github_token": lambda v: re.fullmatch(
            r"ghp_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}", v
        ),
        "anthropic_api_key": lambda v: re.fullmatch(r"sk-ant-api03-[A-Za-z0-9_-]{93}AA", v),
        "jwt": lambda v: (
            '"alg"' in __import__("base64").urlsafe_b64decode(v.split(".")[0] + "==").decode()
        ),
        "private_key": lambda v: (
            v.startswith("-----BEGIN ") and v.rstrip().endswith("PRIVATE KEY-----")
        ),
    }
    bad = [
        (e.detector, e.source_id)
        for e in key.planted
        if e.detector in checks and not checks[e.detector](e.value)
    ]
    assert not bad
    test_cards = {"4242424242424242", "4111111111111111"}
    assert all(
        _digits(e.value) not in test_cards
        for e in key.planted
        if e.detector == "credit_card_number"
    )


def test_decoys_fail_the_validators(key) -> None:
    for entry in key.decoys:
        if entry.detector == "credit_card_number" and len(_digits(entry.value)) == 16:
            famous = _digits(entry.value) in {"4242424242424242", "4111111111111111"}
            assert famous or not _luhn_ok(_digits(entry.value))
        if entry.detector == "iban":
            assert not _iban_ok(entry.value)
        if entry.detector == "us_ssn":
            area = entry.value[:3]
            assert area in ("000", "666") or area.startswith("9")
