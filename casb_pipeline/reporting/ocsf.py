"""Findings as OCSF Detection Finding events (class 2004, schema 1.3.0).

One event per row of the ``findings`` mart, describing its current state:
an open finding is a *Create* activity with status *New*; a resolved or
allowlisted one a *Close* activity with status *Resolved* or *Suppressed*
(the mart's resolution in ``status_detail``). Only the masked rendering and
the keyed fingerprint of the value appear, never the value; objects are named by id,
and a location keeps its structure without the member and sheet names users chose.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from casb_pipeline.reporting.marts import epoch_millis

OCSF_VERSION = "1.3.0"
CLASS_UID = 2004
CATEGORY_UID = 2
PRODUCT = "casb-pipeline"

SEVERITY_IDS = {"low": 2, "medium": 3, "high": 4, "critical": 5}
CONFIDENCE_IDS = {"low": 1, "medium": 2, "high": 3}
# mart status -> (status_id, status caption, activity_id, activity caption)
_LIFECYCLE = {
    "open": (1, "New", 1, "Create"),
    "ignored": (3, "Suppressed", 3, "Close"),
    "resolved": (4, "Resolved", 3, "Close"),
}
_UNKNOWN_LIFECYCLE = (99, "Other", 99, "Other")
_OBSERVABLE_RESOURCE_UID = 10
_OBSERVABLE_EMAIL = 5
_OBSERVABLE_OTHER = 99
_ANALYTIC_RULE = 1

SOURCE_LABELS = {
    "chat_message": "a chat message",
    "chat_file": "an uploaded file",
    "generated_file": "a generated file",
    "artifact": "an artifact",
    "project": "a project's name, description or instructions",
    "project_attachment": "a project file or document",
}


def finding_title(detector: str, source_type: str) -> str:
    return f"{detector} in {SOURCE_LABELS.get(source_type, source_type)}"


def detection_finding(row: Mapping[str, Any], product_version: str) -> dict[str, Any]:
    """The OCSF event for one ``findings`` row (keys absent rather than null)."""
    status = str(row.get("status") or "")
    status_id, status_caption, activity_id, activity_caption = _LIFECYCLE.get(
        status, _UNKNOWN_LIFECYCLE
    )
    severity = str(row.get("severity") or "")
    confidence = str(row.get("confidence") or "")
    first_seen = epoch_millis(row.get("first_seen_at"))
    last_seen = epoch_millis(row.get("last_seen_at"))
    title = finding_title(str(row["detector"]), str(row["source_type"]))
    return _fields(
        class_uid=CLASS_UID,
        class_name="Detection Finding",
        category_uid=CATEGORY_UID,
        category_name="Findings",
        activity_id=activity_id,
        activity_name=activity_caption,
        type_uid=CLASS_UID * 100 + activity_id,
        type_name=f"Detection Finding: {activity_caption}",
        severity_id=SEVERITY_IDS.get(severity, 0),
        severity=severity.capitalize() or "Unknown",
        confidence_id=CONFIDENCE_IDS.get(confidence, 0),
        confidence=confidence.capitalize() or "Unknown",
        status_id=status_id,
        status=status_caption if status_id != 99 else status,
        status_detail=row.get("resolution"),
        time=last_seen if last_seen is not None else first_seen,
        start_time=first_seen,
        end_time=last_seen,
        count=row.get("match_count"),
        message=f"{title}: {row.get('masked')}",
        finding_info=_fields(
            uid=row["finding_id"],
            title=title,
            desc=_description(row),
            types=[t for t in (row.get("detector"), row.get("profile")) if t],
            first_seen_time=first_seen,
            last_seen_time=last_seen,
            analytic={
                "uid": row["detector"],
                "name": row["detector"],
                "type_id": _ANALYTIC_RULE,
                "type": "Rule",
            },
            data_sources=["Claude Compliance API"],
        ),
        resources=_resources(row),
        observables=_observables(row),
        metadata={
            "version": OCSF_VERSION,
            "product": {"name": PRODUCT, "vendor_name": PRODUCT, "version": product_version},
            "log_name": "findings",
        },
        unmapped=_fields(
            masked=row.get("masked"),
            fingerprint=row.get("fingerprint"),
            organization_id=row.get("organization_id"),
            profile=row.get("profile"),
        ),
    )


def _description(row: Mapping[str, Any]) -> str:
    count = row.get("match_count") or 1
    matches = "match" if count == 1 else "matches"
    text = f"{row.get('masked')} ({count} {matches}, {row.get('confidence')} confidence"
    if row.get("profile"):
        text += f", profile {row['profile']}"
    return text + ")"


def _resources(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    owner = _fields(uid=row.get("user_id"), email_addr=row.get("user_email"))
    location = _fields(part=row.get("part"), start=row.get("start"), end=row.get("end"))
    resources = [_fields(uid=row["source_id"], type=row["source_type"], owner=owner, data=location)]
    for key, kind in (("chat_id", "chat"), ("project_id", "project")):
        if row.get(key) and row.get(key) != row["source_id"]:
            resources.append(_fields(uid=row[key], type=kind, owner=owner))
    return resources


def _observables(row: Mapping[str, Any]) -> list[dict[str, Any]]:
    observables = [
        {
            "name": "resources[0].uid",
            "type_id": _OBSERVABLE_RESOURCE_UID,
            "type": "Resource UID",
            "value": row["source_id"],
        }
    ]
    if row.get("user_email"):
        observables.append(
            {
                "name": "resources[0].owner.email_addr",
                "type_id": _OBSERVABLE_EMAIL,
                "type": "Email Address",
                "value": row["user_email"],
            }
        )
    if row.get("fingerprint"):
        observables.append(
            {
                "name": "unmapped.fingerprint",
                "type_id": _OBSERVABLE_OTHER,
                "type": "Other",
                "value": row["fingerprint"],
            }
        )
    return observables


def _fields(**members: Any) -> dict[str, Any]:
    """An OCSF object without its null or empty members (OCSF leaves them out)."""
    return {k: v for k, v in members.items() if v is not None and v != {}}
