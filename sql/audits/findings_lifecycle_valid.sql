-- Findings with a status and resolution that do not go together, a severity or
-- confidence outside its vocabulary, or a last sighting before the first.
-- assets: findings
-- blocking: false
with final as (
    select finding_id, status, resolution, severity, confidence
    from findings
    where coalesce(status, '') || '/' || coalesce(resolution, '') not in (
        'open/',
        'ignored/allowlisted',
        'resolved/deleted_by_user',
        'resolved/source_deleted',
        'resolved/value_removed'
    )
        or coalesce(severity, '') not in ('low', 'medium', 'high', 'critical')
        or coalesce(confidence, '') not in ('low', 'medium', 'high')
        or coalesce(last_seen_at < first_seen_at, true)
)

select * from final
