-- Findings with a status, resolution, severity or confidence outside their vocabulary,
-- or seen last before they were first seen.
-- assets: findings
-- blocking: false
with final as (
    select finding_id, status, resolution, severity, confidence
    from findings
    where not (
        (status = 'open' and resolution is null)
        or (status = 'ignored' and resolution = 'allowlisted')
        or (
            status = 'resolved'
            and resolution in ('deleted_by_user', 'source_deleted', 'value_removed')
        )
    )
        or severity not in ('low', 'medium', 'high', 'critical')
        or severity is null
        or confidence not in ('low', 'medium', 'high')
        or confidence is null
        or last_seen_at < first_seen_at
)

select * from final
