-- One row per (file, message) reference: uploads and tool-generated files.
with messages as (
    select * from stg_chat_messages
),

uploads as (
    select unnest(files) as file, id as message_id, chat_id, created_at, 'upload' as kind
    from messages
),

generated as (
    select unnest(generated_files) as file, id as message_id, chat_id, created_at,
        'generated' as kind
    from messages
),

final as (
    select
        file.id as file_id,
        message_id,
        chat_id,
        kind,
        file.filename,
        file.mime_type,
        file.size_bytes,
        file.md5,
        created_at as message_created_at
    from (select * from uploads union all select * from generated)
)

select * from final
