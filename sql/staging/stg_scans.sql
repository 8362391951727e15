-- One row per DLP scan of a source (an object scanned clean is recorded too), so a
-- finding missing from a later scan of its source is known to be gone. A finding and
-- the scan that produced it carry the same `scanned_at`.
with source as (
    select * from lake_scans
),

final as (
    select
        source_type,
        source_id,
        scanned_at,
        max(chars) as chars
    from source
    where source_type is not null and source_id is not null and scanned_at is not null
    group by source_type, source_id, scanned_at
)

select * from final
