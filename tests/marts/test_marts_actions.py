"""Every action rule on a small fixture lake, with its targets, findings, ranks and dates."""

from __future__ import annotations

from datetime import timedelta

from tests.marts.lake_builder import FixtureLake, Hit, Warehouse, ago, fingerprint

SCANNED = ago(days=3)


def _targets(warehouse: Warehouse, action_type: str) -> dict[str, str]:
    return {r["target_id"]: r["severity"] for r in warehouse.actions(action_type)}


def _ids(warehouse: Warehouse, *source_ids: str) -> set[str]:
    rows = warehouse.rows("select source_id, finding_id from findings")
    return {r["finding_id"] for r in rows if r["source_id"] in source_ids}


def _people(lake: FixtureLake, *names: str) -> None:
    for name in names:
        lake.user(name, f"{name}@example.com")


def test_live_credentials_get_rotation_and_their_chat_deletion(lake: FixtureLake) -> None:
    _people(lake, "alice", "bob")
    for chat_id, user, deleted in (
        ("c_live", "alice", None),
        ("c_user_deleted", "bob", ago(days=1)),
        ("c_api_deleted", "bob", None),
        ("c_allowed", "bob", None),
    ):
        lake.chat(chat_id, user, deleted_at=deleted)
        lake.message(f"{chat_id}_m", chat_id)
    lake.scan(
        "chat_message",
        "c_live_m",
        SCANNED,
        [Hit("aws_access_key_id", "k1"), Hit("stripe_secret_key", "k2")],
    )
    lake.scan("chat_message", "c_user_deleted_m", SCANNED, [Hit("github_token", "k3")])
    lake.scan("chat_message", "c_api_deleted_m", SCANNED, [Hit("github_token", "k4")])
    lake.tombstone("chat", "c_api_deleted", ago(days=1))
    lake.scan("chat_message", "c_allowed_m", SCANNED, [Hit("github_token", "k5", allowlisted=True)])
    warehouse = lake.build()

    assert _targets(warehouse, "rotate_credential") == {
        fingerprint("k1"): "high",
        fingerprint("k2"): "critical",
        fingerprint("k3"): "high",
        fingerprint("k4"): "high",
    }
    rotate = warehouse.one("select * from action_list where target_id = ?", fingerprint("k3"))
    assert rotate["target_type"] == "credential"
    assert rotate["reason"] == (
        "Rotate this github_token (ghp_…(40 chars)): exposed in 1 object(s) (chat_message) by "
        f"bob@example.com since {SCANNED.date().isoformat()}; 1 of them deleted or edited "
        "since, which does not revoke it."
    )
    assert (rotate["user_id"], rotate["user_email"]) == ("bob", "bob@example.com")

    (delete,) = warehouse.actions("delete_chat")
    assert (delete["target_type"], delete["target_id"], delete["severity"]) == (
        "chat",
        "c_live",
        "critical",
    )
    assert set(delete["finding_ids"]) == _ids(warehouse, "c_live_m")
    assert delete["reason"] == (
        "Delete the chat: its messages, artifacts or generated files hold 2 open finding(s) "
        "(aws_access_key_id, stripe_secret_key); worst: stripe_secret_key sk_live_…(32 chars)."
    )
    assert delete["status"] == "proposed"


def test_rotation_stays_after_the_credential_is_deleted_or_edited_out(
    lake: FixtureLake,
) -> None:
    """Deleting or editing text does not revoke a credential: only allowlisting it (its
    latest sighting) ends the rotation."""
    _people(lake, "alice")
    for chat_id in ("c_ours", "c_retention", "c_both", "c_allowed_gone"):
        lake.chat(chat_id, "alice")
        lake.message(f"{chat_id}_m", chat_id)
    lake.scan("chat_message", "c_ours_m", ago(days=6), [Hit("stripe_secret_key", "k_ours")])
    lake.tombstone("chat", "c_ours", ago(days=2))  # our own delete_chat action
    lake.scan("chat_message", "c_retention_m", ago(days=6), [Hit("github_token", "k_ret")])
    lake.tombstone("chat", "c_retention", ago(days=1))
    lake.project("p1", "alice", updated_at=ago(days=6))
    lake.scan(
        "project", "p1", ago(days=6), [Hit("aws_access_key_id", "k_desc", part="description")]
    )
    lake.scan("project", "p1", ago(days=1), [], version=ago(days=1))  # edited out
    # the same key in two chats, one deleted since: one action for both
    lake.scan("chat_message", "c_both_m", ago(days=5), [Hit("github_token", "k_ret")])
    # allowlisted (say, after rotating it) and then deleted: no more rotation
    lake.scan(
        "chat_message", "c_allowed_gone_m", ago(days=3), [Hit("jwt", "k_old", allowlisted=True)]
    )
    lake.tombstone("chat", "c_allowed_gone", ago(days=1))
    warehouse = lake.build()

    resolutions = {
        r["source_id"]: r["resolution"]
        for r in warehouse.rows("select source_id, resolution from findings")
    }
    assert resolutions == {
        "c_ours_m": "source_deleted",
        "c_retention_m": "source_deleted",
        "p1": "value_removed",
        "c_both_m": None,
        "c_allowed_gone_m": "source_deleted",
    }
    assert _targets(warehouse, "rotate_credential") == {
        fingerprint("k_ours"): "critical",
        fingerprint("k_ret"): "high",
        fingerprint("k_desc"): "high",
    }
    reused = warehouse.one("select * from action_list where target_id = ?", fingerprint("k_ret"))
    assert set(reused["finding_ids"]) == _ids(warehouse, "c_retention_m", "c_both_m")
    assert reused["due_date"] == ago(days=6).date() + timedelta(days=7)
    assert reused["reason"] == (
        "Rotate this github_token (ghp_…(40 chars)): exposed in 2 object(s) (chat_message) by "
        f"alice@example.com since {ago(days=6).date().isoformat()}; 1 of them deleted or "
        "edited since, which does not revoke it."
    )


def test_files_and_documents_with_secrets_are_deleted_not_their_chat(lake: FixtureLake) -> None:
    _people(lake, "alice")
    lake.chat("c1", "alice")
    lake.message("m1", "c1", files=("f_ssn", "f_email"), generated=("g_key",))
    lake.project("p1", "alice")
    lake.attachments(
        "p1", {"pf_card": "project_file", "pd_key": "project_doc"}, listed_at=ago(days=4)
    )
    lake.scan("chat_file", "f_ssn", SCANNED, [Hit("us_ssn", "s1", part="page:2")])
    lake.scan("chat_file", "f_email", SCANNED, [Hit("email_address", "e1", part="page:1")])
    lake.scan("generated_file", "g_key", SCANNED, [Hit("aws_access_key_id", "k1")])
    lake.scan("project_attachment", "pf_card", SCANNED, [Hit("credit_card_number", "n1")])
    lake.scan("project_attachment", "pd_key", SCANNED, [Hit("jwt", "j1")])
    warehouse = lake.build()
    assert {
        (r["target_type"], r["target_id"], r["severity"]) for r in warehouse.actions("delete_file")
    } == {("file", "f_ssn", "high"), ("file", "pf_card", "high")}
    (document,) = warehouse.actions("delete_project_document")
    assert (document["target_type"], document["target_id"], document["severity"]) == (
        "project_document",
        "pd_key",
        "medium",
    )
    assert document["reason"] == (
        "Delete the project document: it holds 1 open finding(s) (jwt); "
        "worst: jwt eyJhbGci…(310 chars)."
    )
    # the generated file's key is in the chat: delete the chat, which removes the file
    assert _targets(warehouse, "delete_chat") == {"c1": "high"}
    file_action = warehouse.one("select * from action_list where target_id = 'f_ssn'")
    assert file_action["reason"] == (
        "Delete the uploaded file: it holds 1 open finding(s) (us_ssn); worst: us_ssn ***-**-6789."
    )


def test_org_visible_projects_with_secrets_are_made_private(lake: FixtureLake) -> None:
    _people(lake, "alice")
    lake.project("p_open", "alice", is_private=False)
    lake.scan("project", "p_open", SCANNED, [Hit("aws_access_key_id", "k1", part="instructions")])
    lake.project("p_shared", "alice", updated_at=ago(days=30))
    lake.sharing("a1", "p_shared", ["public"], ago(days=2))
    lake.attachments("p_shared", {"pd1": "project_doc"}, listed_at=ago(days=4))
    lake.scan("project_attachment", "pd1", SCANNED, [Hit("us_ssn", "s1")])
    lake.project("p_private", "alice")
    lake.scan("project", "p_private", SCANNED, [Hit("aws_access_key_id", "k2", part="name")])
    lake.project("p_medium", "alice", is_private=False)
    lake.scan("project", "p_medium", SCANNED, [Hit("iban", "i1", part="description")])
    warehouse = lake.build()
    assert _targets(warehouse, "make_project_private") == {"p_open": "high", "p_shared": "high"}
    shared = warehouse.one("select * from action_list where target_id = 'p_shared'")
    assert shared["reason"] == (
        "Make the project private: the whole organization, and the public, can read 1 open "
        "finding(s) in its content; worst: us_ssn ***-**-6789."
    )
    assert (shared["user_id"], shared["user_email"]) == ("alice", "alice@example.com")


def test_owners_are_notified_of_medium_findings_and_project_text(lake: FixtureLake) -> None:
    _people(lake, "alice", "bob")
    lake.chat("c_bob", "bob")
    lake.message("m_bob", "c_bob")
    lake.scan("chat_message", "m_bob", SCANNED, [Hit("iban", "i1"), Hit("email_address", "e1")])
    lake.chat("c_alice", "alice")
    lake.message("m_alice", "c_alice")
    lake.scan("chat_message", "m_alice", SCANNED, [Hit("iban", "i2"), Hit("jwt", "j1")])
    lake.project("p1", "alice")
    lake.scan("project", "p1", SCANNED, [Hit("github_token", "g1", part="instructions")])
    warehouse = lake.build()
    assert _targets(warehouse, "notify_owner") == {"alice": "high", "bob": "medium"}
    alice = warehouse.one(
        "select * from action_list where action_type = 'notify_owner' and target_id = 'alice'"
    )
    assert alice["target_type"] == "user"
    assert alice["reason"] == (
        "Tell alice@example.com about 2 open finding(s) in their content (1 in project names, "
        "descriptions or instructions, which only they can edit; 1 of medium severity "
        "elsewhere); worst: github_token ghp_…(40 chars)."
    )
    assert set(alice["finding_ids"]) == {
        warehouse.finding("m_alice", "iban")["finding_id"],
        warehouse.finding("p1", "github_token")["finding_id"],
    }


def test_repeated_critical_uploads_block_uploads_then_restrict_access(lake: FixtureLake) -> None:
    _people(lake, "carol", "dave", "erin")
    for user in ("carol", "dave", "erin"):
        lake.chat(f"c_{user}", user)
        lake.message(f"m_{user}", f"c_{user}", files=(f"{user}_f1", f"{user}_f2"))
        lake.message(f"m_{user}_later", f"c_{user}")
    card = "credit_card_number"
    lake.scan("chat_file", "carol_f1", ago(days=10), [Hit(card, "c1", severity="critical")])
    lake.scan("chat_file", "carol_f2", ago(days=8), [Hit(card, "c2", severity="critical")])
    lake.scan("chat_message", "m_carol_later", ago(days=5), [Hit("stripe_secret_key", "c3")])
    lake.scan("chat_file", "dave_f1", ago(days=6), [Hit(card, "d1", severity="critical")])
    lake.scan("chat_file", "dave_f2", ago(days=6), [Hit(card, "d2", severity="critical")])
    lake.scan("chat_message", "m_dave_later", ago(days=6), [Hit("stripe_secret_key", "d3")])
    lake.scan("chat_file", "erin_f1", ago(days=6), [Hit(card, "e1", severity="critical")])
    warehouse = lake.build()
    assert _targets(warehouse, "block_uploads_for_user") == {
        "carol": "critical",
        "dave": "critical",
    }
    assert _targets(warehouse, "restrict_app_access_for_user") == {"carol": "critical"}
    block = warehouse.one(
        "select * from action_list where action_type = 'block_uploads_for_user' "
        "and target_id = 'carol'"
    )
    assert block["reason"] == (
        "Block file uploads for carol@example.com: 2 critical finding(s) in 2 uploaded file(s), "
        f"first seen between {ago(days=10).date().isoformat()} and "
        f"{ago(days=8).date().isoformat()}."
    )
    assert block["user_email"] == "carol@example.com"
    assert block["due_date"] == ago(days=10).date()
    restrict = warehouse.one(
        "select * from action_list where action_type = 'restrict_app_access_for_user'"
    )
    assert restrict["finding_ids"] == [
        warehouse.finding("m_carol_later", "stripe_secret_key")["finding_id"]
    ]
    assert restrict["reason"] == (
        "Restrict Claude access for carol@example.com: after repeated critical uploads "
        f"(threshold crossed on {ago(days=8).date().isoformat()}), 1 more critical finding(s) "
        f"followed, up to {ago(days=5).date().isoformat()}."
    )


def test_restriction_counts_files_not_findings(lake: FixtureLake) -> None:
    """The blocking threshold counts distinct uploaded files: the day it is crossed is the
    day of the N-th file's first critical finding, and only critical findings on a later
    day, outside those files, restrict access."""
    _people(lake, "frank")
    lake.chat("c_frank", "frank")
    lake.message("m_frank", "c_frank", files=("file_a", "file_b"))
    lake.message("m_frank_later", "c_frank")
    card = "credit_card_number"
    two_in_a = [
        Hit(card, "a1", severity="critical", first_seen_at=ago(days=10)),
        Hit(card, "a2", severity="critical", first_seen_at=ago(days=10), start=40),
    ]
    lake.scan("chat_file", "file_a", ago(days=10), two_in_a)
    lake.scan("chat_file", "file_b", ago(days=6), [Hit(card, "b1", severity="critical")])
    first = lake.build()
    assert _targets(first, "block_uploads_for_user") == {"frank": "critical"}
    assert first.actions("restrict_app_access_for_user") == []  # file B crossed it

    # a later day: a critical finding in a message, and one more (a new detector) in file A
    lake.scan(
        "chat_file",
        "file_a",
        ago(days=3),
        [*two_in_a, Hit(card, "a3", severity="critical", start=80)],
    )
    lake.scan("chat_message", "m_frank_later", ago(days=3), [Hit("stripe_secret_key", "s1")])
    second = lake.build()
    (restrict,) = second.actions("restrict_app_access_for_user")
    assert restrict["finding_ids"] == [
        second.finding("m_frank_later", "stripe_secret_key")["finding_id"]
    ]
    assert restrict["reason"] == (
        "Restrict Claude access for frank@example.com: after repeated critical uploads "
        f"(threshold crossed on {ago(days=6).date().isoformat()}), 1 more critical finding(s) "
        f"followed, up to {ago(days=3).date().isoformat()}."
    )


def test_ranks_due_dates_and_stable_ids(lake: FixtureLake) -> None:
    _people(lake, "alice", "bob")
    lake.chat("c1", "alice")
    lake.message("m1", "c1")
    lake.chat("c2", "bob")
    lake.message("m2", "c2")
    lake.scan("chat_message", "m1", ago(days=4), [Hit("stripe_secret_key", "k1")])
    lake.scan("chat_message", "m2", ago(days=2), [Hit("us_ssn", "s1"), Hit("iban", "i1")])
    first = lake.build()
    order = [
        (r["rank"], r["action_type"], r["target_id"], r["severity"], r["due_date"])
        for r in first.rows("select * from action_list order by rank")
    ]
    assert order == [
        (1, "rotate_credential", fingerprint("k1"), "critical", ago(days=4).date()),
        (2, "delete_chat", "c1", "critical", ago(days=4).date()),
        (3, "delete_chat", "c2", "high", ago(days=2).date() + timedelta(days=7)),
        (4, "notify_owner", "bob", "medium", ago(days=2).date() + timedelta(days=30)),
    ]
    ids = {r["action_id"] for r in first.rows("select action_id from action_list")}
    assert len(ids) == 4 and all(i.startswith("act_") and len(i) == 36 for i in ids)
    lake.scan("chat_message", "m1", ago(days=1), [Hit("stripe_secret_key", "k1")])
    second = lake.build()
    assert {r["action_id"] for r in second.rows("select action_id from action_list")} == ids
