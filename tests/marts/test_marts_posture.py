"""Every posture check on a small fixture lake, with the rows it must and must not give."""

from __future__ import annotations

from tests.marts.lake_builder import NOW, ORG, FixtureLake, Hit, Warehouse, ago, fingerprint

SCANNED = ago(days=3)


def _subjects(warehouse: Warehouse, check_id: str) -> dict[str, str]:
    return {r["subject_id"]: r["severity"] for r in warehouse.posture(check_id)}


def _people(lake: FixtureLake) -> None:
    for name in ("alice", "bob", "carol"):
        lake.user(name, f"{name}@example.com")


def _project(
    lake: FixtureLake, project_id: str, hits: list[Hit], *, is_private: bool = True
) -> None:
    lake.project(project_id, "alice", is_private=is_private)
    lake.scan("project", project_id, SCANNED, hits)


def test_org_visible_projects_with_sensitive_findings(lake: FixtureLake) -> None:
    _people(lake)
    lake.project("p_open", "alice", is_private=False)
    lake.scan("project", "p_open", SCANNED, [Hit("us_ssn", "s1", part="instructions")])
    lake.attachments("p_open", {"d1": "project_doc"}, listed_at=ago(days=4))
    lake.scan("project_attachment", "d1", SCANNED, [Hit("email_address", "e1")])
    _project(lake, "p_private", [Hit("us_ssn", "s2", part="description")])
    _project(lake, "p_low", [Hit("email_address", "e2", part="description")], is_private=False)
    lake.chat("c1", "alice", project_id="p_chats")
    lake.message("m1", "c1")
    lake.project("p_chats", "alice", is_private=False)
    lake.scan("chat_message", "m1", SCANNED, [Hit("us_ssn", "s3")])
    warehouse = lake.build()
    (row,) = warehouse.posture("org_visible_project_sensitive")
    assert (row["subject_type"], row["subject_id"], row["severity"]) == (
        "project",
        "p_open",
        "high",
    )
    assert row["detail"] == (
        "Project visible to the whole organization holds 1 open finding(s) of medium "
        "severity or above; worst: high us_ssn ***-**-6789."
    )
    assert row["finding_count"] == 2
    assert row["organization_id"] == ORG


def test_projects_with_many_collaborators_holding_secrets(lake: FixtureLake) -> None:
    _people(lake)
    five = [
        ("user", "alice"),
        ("user", "bob"),
        ("group", "rbac_group_1"),
        ("organization_role", "admin"),
        ("user", "carol"),
    ]
    for project_id, grants, hit in (
        ("p_many", five, Hit("aws_access_key_id", "k1", part="instructions")),
        ("p_many_critical", five, Hit("stripe_secret_key", "k2", part="description")),
        ("p_few", five[:2], Hit("aws_access_key_id", "k3", part="instructions")),
        ("p_many_no_secret", five, Hit("us_ssn", "s1", part="instructions")),
    ):
        _project(lake, project_id, [hit])
        lake.collaborators(project_id, grants)
    warehouse = lake.build()
    assert _subjects(warehouse, "project_many_collaborators_secrets") == {
        "p_many": "high",
        "p_many_critical": "critical",
    }
    row = warehouse.posture("project_many_collaborators_secrets")[0]
    assert row["detail"] == (
        "Project with 5 role grants (3 users, 2 groups, roles or organization) holds "
        "1 open credential(s); worst: aws_access_key_id AKIA…(20 chars)."
    )


def test_projects_shared_publicly_or_org_wide_by_their_latest_event(lake: FixtureLake) -> None:
    _people(lake)
    for project_id in ("p_public", "p_org", "p_org_critical", "p_revoked", "p_old_event"):
        lake.project(project_id, "alice", updated_at=ago(days=30))
    lake.sharing("a1", "p_public", ["public"], ago(days=1))
    lake.sharing("a2", "p_org", ["organization"], ago(days=1))
    lake.sharing("a3", "p_org_critical", ["organization"], ago(days=1))
    lake.scan("project", "p_org_critical", SCANNED, [Hit("stripe_secret_key", "k1", part="name")])
    lake.sharing("a4", "p_revoked", ["organization"], ago(days=5))
    lake.sharing("a5", "p_revoked", [], ago(days=2))
    lake.sharing("a6", "p_old_event", ["public"], ago(days=40))
    warehouse = lake.build()
    assert _subjects(warehouse, "project_shared_broadly") == {
        "p_public": "high",
        "p_org": "medium",
        "p_org_critical": "critical",
    }
    public = warehouse.one(
        "select detail from posture_report where check_id = 'project_shared_broadly' "
        "and subject_id = 'p_public'"
    )
    assert public["detail"] == (
        f"Project shared publicly on {ago(days=1).date().isoformat()} (latest sharing event); "
        "it holds 0 open finding(s)."
    )
    exposure = {
        r["project_id"]: (r["org_visible"], r["is_public"], r["shared_with"])
        for r in warehouse.rows("select * from project_exposure")
    }
    assert exposure["p_revoked"] == (False, False, "creator")
    assert exposure["p_old_event"] == (False, False, "public")


def test_credentials_in_instructions_of_org_visible_projects(lake: FixtureLake) -> None:
    _people(lake)
    _project(
        lake,
        "p_open",
        [Hit("github_token", "g1", part="instructions"), Hit("us_ssn", "s1", part="name")],
        is_private=False,
    )
    _project(lake, "p_private", [Hit("github_token", "g2", part="instructions")])
    warehouse = lake.build()
    (row,) = warehouse.posture("org_visible_instructions_secret")
    assert (row["subject_id"], row["severity"]) == ("p_open", "critical")
    assert row["detail"] == (
        "Credential(s) in the instructions of a project the whole organization can read: "
        "github_token ghp_…(40 chars)."
    )
    assert row["finding_ids"] == [warehouse.finding("p_open", "github_token")["finding_id"]]


def test_the_same_secret_in_several_chats_or_by_several_users(lake: FixtureLake) -> None:
    _people(lake)
    for chat_id, user in (("c1", "alice"), ("c2", "alice"), ("c3", "bob")):
        lake.chat(chat_id, user)
        lake.message(f"{chat_id}_m", chat_id)
    lake.scan(
        "chat_message",
        "c1_m",
        SCANNED,
        [
            Hit("aws_access_key_id", "k_two_chats"),
            Hit("github_token", "k_two_users"),
            Hit("stripe_secret_key", "k_once"),
            Hit("us_ssn", "not_a_secret"),
            Hit("jwt", "k_allowed", allowlisted=True),
        ],
    )
    lake.scan(
        "chat_message",
        "c2_m",
        SCANNED,
        [
            Hit("aws_access_key_id", "k_two_chats"),
            Hit("us_ssn", "not_a_secret"),
            Hit("jwt", "k_allowed", allowlisted=True),
        ],
    )
    lake.scan("chat_message", "c3_m", SCANNED, [Hit("github_token", "k_two_users")])
    warehouse = lake.build()
    assert _subjects(warehouse, "secret_reused") == {
        fingerprint("k_two_chats"): "high",
        fingerprint("k_two_users"): "critical",
    }
    row = warehouse.one(
        "select * from posture_report where check_id = 'secret_reused' and subject_id = ?",
        fingerprint("k_two_users"),
    )
    assert row["subject_type"] == "credential"
    assert row["detail"] == (
        "The same github_token (ghp_…(40 chars)) appears in 2 chats or projects, by 2 user(s): "
        "alice@example.com, bob@example.com."
    )
    assert row["finding_count"] == 2


def test_chats_deleted_by_their_user_after_a_critical_finding(lake: FixtureLake) -> None:
    _people(lake)
    deleted = ago(days=1)
    for chat_id in ("c_secret", "c_card", "c_high_only", "c_live"):
        lake.chat(chat_id, "bob", deleted_at=None if chat_id == "c_live" else deleted)
        lake.message(f"{chat_id}_m", chat_id)
    lake.scan("chat_message", "c_secret_m", SCANNED, [Hit("stripe_secret_key", "k1")])
    lake.scan(
        "chat_message", "c_card_m", SCANNED, [Hit("credit_card_number", "n1", severity="critical")]
    )
    lake.scan("chat_message", "c_high_only_m", SCANNED, [Hit("us_ssn", "s1")])
    lake.scan("chat_message", "c_live_m", SCANNED, [Hit("stripe_secret_key", "k2")])
    warehouse = lake.build()
    assert _subjects(warehouse, "chat_deleted_after_critical") == {
        "c_secret": "high",
        "c_card": "medium",
    }
    row = warehouse.posture("chat_deleted_after_critical")[1]
    assert row["subject_id"] == "c_secret"
    assert row["detail"] == (
        f"Chat deleted by its user bob@example.com on {deleted.date().isoformat()}, after 1 "
        f"critical finding(s) first seen from {SCANNED.date().isoformat()} "
        "(e.g. stripe_secret_key sk_live_…(32 chars)); deleting does not revoke a credential."
    )


def test_users_with_repeated_critical_findings(lake: FixtureLake) -> None:
    _people(lake)
    for chat_id, user in (("ca", "alice"), ("cb", "bob"), ("cc", "carol")):
        lake.chat(chat_id, user)
        lake.message(f"{chat_id}1", chat_id)
        lake.message(f"{chat_id}2", chat_id)
    lake.scan("chat_message", "ca1", ago(days=9), [Hit("stripe_secret_key", "a1")])
    lake.scan("chat_message", "ca2", ago(days=4), [Hit("aws_secret_access_key", "a2")])
    lake.scan(
        "chat_message",
        "cb1",
        SCANNED,
        [Hit("stripe_secret_key", "b1"), Hit("aws_secret_access_key", "b2")],
    )
    lake.scan("chat_message", "cc1", ago(days=9), [Hit("stripe_secret_key", "c1")])
    lake.scan("chat_message", "cc2", ago(days=9), [Hit("stripe_secret_key", "c2")])
    lake.write(ago(days=9))
    lake.scan("chat_message", "cc1", ago(days=2), [])
    lake.scan("chat_message", "cc2", ago(days=2), [])
    warehouse = lake.build()
    assert _subjects(warehouse, "user_repeated_critical") == {"alice": "critical", "carol": "high"}
    alice = warehouse.posture("user_repeated_critical")[0]
    assert alice["detail"] == (
        f"alice@example.com has 2 critical findings in 2 objects, first seen between "
        f"{ago(days=9).date().isoformat()} and {ago(days=4).date().isoformat()} (2 open)."
    )


def test_critical_findings_past_due_and_stale_findings(lake: FixtureLake) -> None:
    _people(lake)
    lake.chat("c1", "alice")
    for n in range(1, 8):
        lake.message(f"m{n}", "c1")
    lake.scan("chat_message", "m1", ago(days=3), [Hit("stripe_secret_key", "overdue")])
    lake.scan("chat_message", "m2", NOW, [Hit("stripe_secret_key", "due_today")])
    lake.scan("chat_message", "m3", ago(days=100), [Hit("us_ssn", "stale_high")])
    lake.scan("chat_message", "m4", ago(days=95), [Hit("iban", "stale_medium")])
    lake.scan("chat_message", "m5", ago(days=10), [Hit("us_ssn", "recent_high")])
    lake.scan("chat_message", "m6", ago(days=200), [Hit("email_address", "old_low")])
    lake.scan("chat_message", "m7", ago(days=100), [Hit("stripe_secret_key", "old_critical")])
    warehouse = lake.build()
    ids = {
        r["source_id"]: r["finding_id"]
        for r in warehouse.rows("select source_id, finding_id from findings")
    }
    assert _subjects(warehouse, "critical_finding_overdue") == {
        ids["m1"]: "critical",
        ids["m7"]: "critical",
    }
    overdue = warehouse.one("select detail from posture_report where subject_id = ?", ids["m1"])
    assert overdue["detail"] == (
        "Critical stripe_secret_key (sk_live_…(32 chars)) in a chat_message still open since "
        f"{ago(days=3).date().isoformat()}, 3 day(s) past its due date."
    )
    assert _subjects(warehouse, "stale_open_finding") == {
        ids["m3"]: "high",
        ids["m4"]: "medium",
    }
    stale = warehouse.one("select detail from posture_report where subject_id = ?", ids["m3"])
    assert (
        stale["detail"]
        == "A high us_ssn (***-**-6789) in a chat_message has been open for 100 days."
    )


def test_uploads_not_scanned_files_never_scanned_and_quarantined_objects(
    lake: FixtureLake,
) -> None:
    _people(lake)
    lake.chat("c1", "alice")
    lake.message("m1", "c1", files=("f_image", "f_ok", "f_never", "f_quarantined", "f_gone"))
    lake.message("m2", "c1", generated=("g_chart", "g_unread"), expired=("g_expired",))
    lake.project("p1", "alice")
    lake.attachments("p1", {"d_broken": "project_file"}, listed_at=ago(days=2))
    lake.coverage("chat_file", "f_image", "not_scanned", "image without a text layer")
    lake.coverage("chat_file", "f_ok", "scanned")
    lake.coverage("project_attachment", "d_broken", "quarantined", "corrupt PDF")
    lake.coverage("generated_file", "g_chart", "not_scanned", "image without a text layer")
    lake.quarantine("f_quarantined", "chat_file", "download failed: checksum mismatch")
    lake.quarantine("m9", "chat_messages", "malformed record: content")
    lake.tombstone("file", "f_gone", ago(days=1))
    warehouse = lake.build()
    not_scanned = warehouse.posture("upload_not_scanned")
    assert [(r["subject_type"], r["subject_id"], r["severity"]) for r in not_scanned] == [
        ("project_attachment", "d_broken", "medium"),
        ("chat_file", "f_image", "low"),
    ]
    assert not_scanned[1]["detail"] == (
        "Uploaded file (png, 2048 bytes) could not be scanned: image without a text layer."
    )
    never = warehouse.posture("file_never_scanned")
    assert [(r["subject_type"], r["subject_id"], r["severity"]) for r in never] == [
        ("chat_file", "f_never", "low"),
        ("generated_file", "g_unread", "low"),
    ]
    assert never[1]["detail"] == (
        "This generated file is still listed but no text was ever extracted from it."
    )
    quarantined = warehouse.posture("object_quarantined")
    assert [(r["subject_type"], r["subject_id"], r["severity"]) for r in quarantined] == [
        ("chat_file", "f_quarantined", "medium"),
        ("chat_messages", "m9", "medium"),
    ]
    assert quarantined[1]["detail"] == (
        f"Quarantined by chat_messages on {ago(days=1).date().isoformat()}: "
        "malformed record: content"
    )


def test_member_and_sheet_names_in_reasons_are_left_out(lake: FixtureLake) -> None:
    _people(lake)
    lake.chat("c1", "alice")
    lake.message("m1", "c1", files=("f_zip", "f_bomb"))
    encrypted = (
        "member:Q3 deals.zip!member:Acme 4111.xlsx!sheet:Payroll: corrupt XLSX; "
        "member:Salaries Acme.pdf: encrypted ZIP member (password-protected)"
    )
    lake.coverage("chat_file", "f_zip", "quarantined", encrypted)
    lake.coverage("chat_file", "f_bomb", "quarantined", "zip bomb: member:Acme.bin ratio 900 > 100")
    lake.quarantine("f_zip", "texts", "member:Acme notes.txt")
    warehouse = lake.build()
    details = {
        (r["check_id"], r["subject_id"]): r["detail"]
        for r in warehouse.rows("select * from posture_report")
    }
    assert details == {
        ("upload_not_scanned", "f_zip"): (
            "Uploaded file (png, 2048 bytes) was quarantined by the text step: "
            "member:…!member:…!sheet:…: corrupt XLSX; member:…: encrypted ZIP member "
            "(password-protected)."
        ),
        ("upload_not_scanned", "f_bomb"): (
            "Uploaded file (png, 2048 bytes) was quarantined by the text step: "
            "zip bomb: member:… ratio 900 > 100."
        ),
        ("object_quarantined", "f_zip"): (
            f"Quarantined by texts on {ago(days=1).date().isoformat()}: member:…"
        ),
    }


def test_no_never_scanned_files_before_the_text_step_has_run(lake: FixtureLake) -> None:
    _people(lake)
    lake.chat("c1", "alice")
    lake.message("m1", "c1", files=("f1",))
    warehouse = lake.build()
    assert warehouse.posture("file_never_scanned") == []
    assert warehouse.rows("select * from posture_report") == []
