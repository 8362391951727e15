-- The latest time each project's attachments and collaborators were listed.
-- A listing replaces the previous one whole (an empty listing empties it).
with source as (
    select * from lake_project_listings
),

final as (
    select
        project_id,
        kind,
        max(listed_at) as listed_at
    from source
    group by project_id, kind
)

select * from final
