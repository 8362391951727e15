-- One row per (file, message) reference: uploads and tool-generated files, with
-- the content the pipeline stored for the file and whether this is its first
-- reference (earliest message).
with messages as (
    select * from stg_chat_messages
),

contents as (
    select * from stg_contents where object_type in ('chat_file', 'generated_file')
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

refs as (
    select * from uploads
    union all
    select * from generated
),

final as (
    select
        refs.file.id as file_id,
        refs.message_id,
        refs.chat_id,
        refs.kind,
        refs.file.filename,
        refs.file.mime_type,
        refs.file.size_bytes,
        refs.file.md5,
        refs.created_at as message_created_at,
        contents.sha256,
        contents.content_type as served_content_type,
        contents.size_bytes as served_size_bytes,
        row_number() over (
            partition by refs.file.id, refs.kind order by refs.created_at, refs.message_id
        ) = 1 as is_first_reference
    from refs
    left join contents
        on contents.object_id = refs.file.id
        and contents.object_type = if(refs.kind = 'upload', 'chat_file', 'generated_file')
)

select * from final
