-- One row per deleted object: the earliest evidence of its deletion that still stands.
-- A feed event (`activity`) is final. Missing from a listing (`not_listed`) or a 404
-- (`not_found`) is overruled for a chat or project extracted again at or after that
-- time: it was listed then, so it was not gone (a chat updated during the sweep, or a
-- record the client could not read). A project counts as seen when its detail was
-- extracted or its attachments or collaborators were listed.
with source as (
    select * from lake_tombstones
),

sightings as (
    select 'chat' as object_type, id as object_id, _extracted_at as seen_at
    from lake_chats
    union all
    select 'project', id, _extracted_at from lake_projects
    union all
    select 'project', project_id, listed_at from lake_project_listings
),

last_seen as (
    select object_type, object_id, max(seen_at) as seen_at
    from sightings
    group by object_type, object_id
),

standing as (
    select source.*
    from source
    left join last_seen
        on last_seen.object_type = source.object_type
        and last_seen.object_id = source.object_id
    where source.cause = 'activity'
        or last_seen.seen_at is null
        or last_seen.seen_at < source.deleted_at
),

final as (
    select
        object_type,
        object_id,
        deleted_at,
        cause,
        evidence
    from standing
    qualify row_number() over (
        partition by object_type, object_id order by deleted_at, cause
    ) = 1
)

select * from final
