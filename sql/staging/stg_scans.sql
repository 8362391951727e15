-- One row per DLP scan of a source (an object scanned clean is recorded too), so a
-- finding missing from a later scan of its source is known to be gone. A finding and
-- the scan that produced it carry the same `scanned_at` and `source_updated_at`.
--
-- source_updated_at: the version of the content scanned (a message's chat
--   `updated_at`, a project's `updated_at`); null for objects that never change under
--   their id (files, generated files, artifact versions, project attachments) and for
--   scans recorded before the column existed.
-- version_at: source_updated_at, else scanned_at (the content a scan saw cannot be newer
--   than the scan). A source's scans are ordered by (version_at, scanned_at): the latest
--   version wins whatever order partitions were (re)run in, and the scans of one version
--   (or of an immutable object) are ordered by time.
with source as (
    select * from lake_scans
),

final as (
    select
        source_type,
        source_id,
        source_updated_at,
        scanned_at,
        coalesce(source_updated_at, scanned_at) as version_at,
        max(chars) as chars
    from source
    where source_type is not null and source_id is not null and scanned_at is not null
    group by source_type, source_id, source_updated_at, scanned_at
)

select * from final
