-- One row per object a finding can point at (source_type, source_id): where it lives,
-- whose it is, and whether it is gone.
--   content_expired: a generated file the API lists without a size (it expired).
--   user_deleted_at: its chat (or, for project content, its project) was deleted by
--     its user in claude.ai: still listed, content gone.
--   gone_at: the object, its chat or its project was deleted (tombstoned: through
--     the API, by retention, or as reported by the activity feed), or an attachment
--     is missing from its project's latest listing.
with chats as (
    select * from stg_chats
),

projects as (
    select * from stg_projects
),

tombstones as (
    select * from stg_tombstones
),

listings as (
    select * from stg_project_listings where kind = 'attachments'
),

current_attachments as (
    select * from stg_project_attachments
),

attachment_tombstones as (
    -- project files are tombstoned as `file`, project documents as `project_document`
    select object_id, min(deleted_at) as deleted_at
    from tombstones
    where object_type in ('file', 'project_document')
    group by object_id
),

chat_objects as (
    select
        'chat_message' as source_type,
        id as source_id,
        chat_id,
        null as tombstone_type,
        false as content_expired
    from stg_chat_messages
    union all
    select 'chat_file', id, chat_id, 'file', false from stg_chat_files
    union all
    -- a generated file listed without a size has expired: its content is gone
    select 'generated_file', id, chat_id, 'generated_file', size_bytes is null
    from stg_generated_files
    union all
    select 'artifact', id, chat_id, 'artifact', false from stg_artifacts
),

chat_sources as (
    select
        chat_objects.source_type,
        chat_objects.source_id,
        chat_objects.chat_id,
        chats.project_id,
        chats.user_id,
        chats.user_email,
        chats.organization_id,
        null as attachment_kind,
        true as is_listed,
        chat_objects.content_expired,
        chats.deleted_at as user_deleted_at,
        least(own.deleted_at, chats.tombstoned_at) as gone_at
    from chat_objects
    left join chats on chats.id = chat_objects.chat_id
    left join tombstones as own
        on own.object_type = chat_objects.tombstone_type
        and own.object_id = chat_objects.source_id
),

project_sources as (
    select
        'project' as source_type,
        projects.id as source_id,
        null as chat_id,
        projects.id as project_id,
        projects.user_id,
        projects.user_email,
        projects.organization_id,
        null as attachment_kind,
        true as is_listed,
        false as content_expired,
        projects.deleted_at as user_deleted_at,
        projects.tombstoned_at as gone_at
    from projects
),

attachment_sources as (
    select
        'project_attachment' as source_type,
        history.id as source_id,
        null as chat_id,
        history.project_id,
        projects.user_id,
        projects.user_email,
        projects.organization_id,
        history.kind as attachment_kind,
        current_attachments.id is not null as is_listed,
        false as content_expired,
        projects.deleted_at as user_deleted_at,
        least(
            own.deleted_at,
            projects.tombstoned_at,
            case when current_attachments.id is null then listings.listed_at end
        ) as gone_at
    from stg_attachment_history as history
    left join projects on projects.id = history.project_id
    left join current_attachments
        on current_attachments.id = history.id
        and current_attachments.project_id = history.project_id
    left join listings on listings.project_id = history.project_id
    left join attachment_tombstones as own on own.object_id = history.id
    qualify row_number() over (
        partition by history.id order by history.last_listed_at desc nulls last
    ) = 1
),

final as (
    select * from chat_sources
    union all by name
    select * from project_sources
    union all by name
    select * from attachment_sources
)

select * from final
