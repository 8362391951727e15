-- Findings whose source object the warehouse does not know (a scan of something the
-- extraction never saw, or a wrong source type or id).
-- assets: findings
-- blocking: false
with findings as (
    select * from findings
),

sources as (
    select * from finding_sources
),

final as (
    select findings.finding_id, findings.source_type, findings.source_id
    from findings
    left join sources
        on sources.source_type = findings.source_type
        and sources.source_id = findings.source_id
    where sources.source_id is null
)

select * from final
