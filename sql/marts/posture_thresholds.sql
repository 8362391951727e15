-- The thresholds the posture checks and action rules use, in one place (one row).
-- They are part of the model: change them here and rebuild.
with final as (
    select
        -- role grants on a project (users, groups, organization roles, the organization)
        -- from which it has "many collaborators"
        5 as many_collaborators,
        -- critical findings, in at least as many different objects, that make a user's
        -- critical findings "repeated"
        2 as repeated_critical,
        -- critical findings in a user's uploaded files from which blocking their uploads
        -- is proposed
        2 as repeated_critical_uploads,
        -- days after which an open finding of high or medium severity is stale
        90 as stale_after_days
)

select * from final
