-- One row per chat (latest version). `deleted_at`: deleted by its user in claude.ai
-- (still listed, content gone); `tombstoned_at`: gone from the API (deleted through
-- the API, by retention, or seen as deleted in the activity feed), from the tombstones
-- that still stand (stg_tombstones: a later listing overrules a sweep's or a 404's).
with source as (
    select * from lake_chats
),

tombstones as (
    select object_id, deleted_at from stg_tombstones where object_type = 'chat'
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by id order by updated_at desc, _extracted_at desc
    ) = 1
),

final as (
    select
        latest.id,
        latest.name,
        latest.user_id,
        latest.user_email_address as user_email,
        latest.project_id,
        latest.organization_uuid as organization_id,
        latest.organization_id as organization_legacy_id,
        latest.model,
        latest.created_at,
        latest.updated_at,
        latest.deleted_at,
        tombstones.deleted_at as tombstoned_at,
        (latest.deleted_at is not null or tombstones.deleted_at is not null) as is_deleted
    from latest
    left join tombstones on tombstones.object_id = latest.id
)

select * from final
