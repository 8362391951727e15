-- One row per DLP match (never the value: its masked rendering and keyed fingerprint),
-- with the severity and confidence as levels so the highest can be taken, and the
-- version of the content it was found in (`version_at`, as in `stg_scans`).
with source as (
    select * from lake_findings
),

final as (
    select distinct
        source_type,
        source_id,
        chat_id,
        project_id,
        part,
        detector,
        profile,
        "start",
        "end",
        confidence,
        list_position(['low', 'medium', 'high'], confidence) as confidence_level,
        severity,
        list_position(['low', 'medium', 'high', 'critical'], severity) as severity_level,
        masked,
        fingerprint,
        coalesce(allowlisted, false) as allowlisted,
        allowlist_reason,
        coalesce(first_seen_at, scanned_at) as first_seen_at,
        scanned_at,
        source_updated_at,
        coalesce(source_updated_at, scanned_at) as version_at
    from source
    where source_type is not null
        and source_id is not null
        and detector is not null
        and fingerprint is not null
        and scanned_at is not null
)

select * from final
