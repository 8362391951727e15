"""A fixture lake built into a real warehouse (staging and marts) for the export tests.

Raw values sit where the lake keeps raw content (message text, a project's
description, a project's name); user data carries markup and quotes. The
scans report only masked renderings and fingerprints, as the DLP does.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.marts.lake_builder import FixtureLake, Hit, ago

RAW_AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
RAW_CARD = "4111 1111 1111 1111"
RAW_TOKEN = "ghp_R4wT0kenValue0123456789abcdefABCDEF"
RAW_PARTNER_CARD = "6011474216019555"
PLANTED = (RAW_AWS_SECRET, RAW_CARD, RAW_TOKEN, RAW_PARTNER_CARD)

HOSTILE_NAME = '<script>alert("x")</script> & "plans"'
PARTNER_NAME = f"Partner deals {RAW_PARTNER_CARD}"
# Names users chose: of projects, archive members and sheets (in finding locations and in
# the text step's reasons), and of chats and files as the fixture lake names them.
USER_CHOSEN = (
    "alert(",
    "Partner deals",
    "Onboarding",
    "Salaries Acme",
    "Acme payroll",
    "chat claude_chat_",
    "claude_file_h1.pdf",
)
HOSTILE_EMAIL = 'o"brien<b>@example.com'

OPEN_PROJECT = "claude_proj_open"
SECRET_NAME_PROJECT = "claude_proj_secretname"
TWIN_PROJECTS = ("claude_proj_twin_a00001", "claude_proj_twin_b00002")
PARTNER_PROJECT = "claude_proj_partner"


class ReportLake(FixtureLake):
    """:class:`FixtureLake` with projects whose name and description are chosen."""

    def named_project(
        self, project_id: str, user_id: str, *, name: str, description: str, is_private: bool
    ) -> None:
        self.project(project_id, user_id, is_private=is_private)
        at, record = self._records["projects"][-1]
        renamed = dataclasses.replace(record, name=name, description=description)
        self._records["projects"][-1] = (at, renamed)


def build_report_warehouse(data_dir: Path) -> Path:
    """Every severity, status and action type the marts propose, over five days."""
    lake = ReportLake(data_dir)
    lake.user("user_alice", "alice@example.com")
    lake.user("user_bob", "bob@example.com")
    lake.user("user_h", HOSTILE_EMAIL)

    # Alice pastes an AWS secret and a card number into a chat.
    lake.chat("claude_chat_alice", "user_alice", email="alice@example.com")
    lake.message(
        "claude_chat_msg_a1",
        "claude_chat_alice",
        text=f"key {RAW_AWS_SECRET} card {RAW_CARD}",
    )
    lake.scan(
        "chat_message",
        "claude_chat_msg_a1",
        ago(days=5),
        [Hit("aws_secret_access_key", "aws-secret-1"), Hit("credit_card_number", "card-1")],
    )
    # A chat Alice deleted herself after a critical finding.
    lake.chat("claude_chat_gone", "user_alice", deleted_at=ago(days=1))
    lake.message("claude_chat_msg_g1", "claude_chat_gone")
    lake.scan("chat_message", "claude_chat_msg_g1", ago(days=4), [Hit("us_ssn", "ssn-1")])

    # The hostile-named user uploads critical files on three days: blocked, then restricted.
    lake.chat("claude_chat_h", "user_h", email=HOSTILE_EMAIL)
    uploads = ("claude_file_h1", "claude_file_h2", "claude_file_h3")
    lake.message("claude_chat_msg_h1", "claude_chat_h", files=uploads)
    for n, (file_id, days) in enumerate(zip(uploads, (4, 3, 1), strict=True)):
        hit = Hit("stripe_secret_key", f"stripe-{n}", first_seen_at=ago(days=days))
        lake.scan("chat_file", file_id, ago(days=days), [hit])
    lake.scan(
        "chat_file",
        "claude_file_h3",
        ago(hours=2),
        [Hit("email_address", "known-test-address", allowlisted=True, part="page:2")],
    )

    # An org-visible project with a hostile name and a secret in its description and a document.
    lake.named_project(
        OPEN_PROJECT,
        "user_h",
        name=HOSTILE_NAME,
        description=f"deploy with {RAW_AWS_SECRET}",
        is_private=False,
    )
    lake.attachments(OPEN_PROJECT, {"claude_proj_doc_1": "project_doc"}, ago(days=2))
    lake.scan(
        "project",
        OPEN_PROJECT,
        ago(days=2),
        [Hit("aws_secret_access_key", "aws-secret-1", part="description")],
    )
    lake.scan(
        "project_attachment",
        "claude_proj_doc_1",
        ago(days=2),
        [Hit("github_token", "gh-2", part="page:1")],
    )
    # A private project whose very name holds a token.
    lake.named_project(
        SECRET_NAME_PROJECT,
        "user_bob",
        name=f"keys {RAW_TOKEN}",
        description="",
        is_private=True,
    )
    lake.scan(
        "project", SECRET_NAME_PROJECT, ago(days=1), [Hit("github_token", "gh-1", part="name")]
    )

    # Two projects of one name.
    for project_id in TWIN_PROJECTS:
        lake.named_project(
            project_id, "user_bob", name="Onboarding", description="", is_private=True
        )
        lake.scan(
            "project",
            project_id,
            ago(days=1),
            [Hit("iban", f"iban-{project_id}", part="description")],
        )

    # An org-visible project with the same card in its name and its description: the
    # finding's location is the description, and the name must still never be shown.
    lake.named_project(
        PARTNER_PROJECT,
        "user_bob",
        name=PARTNER_NAME,
        description=f"card {RAW_PARTNER_CARD}",
        is_private=False,
    )
    lake.scan(
        "project",
        PARTNER_PROJECT,
        ago(days=1),
        [
            Hit("credit_card_number", "partner-card", part="name", start=14),
            Hit("credit_card_number", "partner-card", part="description", start=5),
        ],
    )

    # Bob: a medium finding in a chat of the open project, and an unscannable upload.
    lake.chat("claude_chat_bob", "user_bob", email="bob@example.com", project_id=OPEN_PROJECT)
    lake.message("claude_chat_msg_b1", "claude_chat_bob", files=("claude_file_png",))
    lake.scan("chat_message", "claude_chat_msg_b1", ago(days=3), [Hit("iban", "iban-1")])
    lake.coverage("chat_file", "claude_file_png", "not_scanned", "image without text layer")
    # An archive: a finding in a sheet of one member, another member encrypted.
    lake.message("claude_chat_msg_b2", "claude_chat_bob", files=("claude_file_zip",))
    lake.scan(
        "chat_file",
        "claude_file_zip",
        ago(days=2),
        [Hit("iban", "iban-zip", part="member:Salaries Acme.xlsx!sheet:Acme payroll")],
    )
    encrypted = "member:Salaries Acme.pdf: encrypted ZIP member (password-protected)"
    lake.coverage("chat_file", "claude_file_zip", "quarantined", encrypted)
    lake.quarantine("claude_file_zip", "texts", encrypted)
    lake.quarantine("claude_file_broken", "chat_files", "download failed its checksum")
    return lake.build().path
