-- One row per uploaded chat file, with its first reference and its content state.
with refs as (
    select * from stg_file_references where kind = 'upload'
),

contents as (
    select * from stg_contents where object_type = 'chat_file'
),

first_ref as (
    select *
    from refs
    qualify row_number() over (
        partition by file_id order by message_created_at, message_id
    ) = 1
),

final as (
    select
        first_ref.file_id as id,
        first_ref.filename,
        first_ref.mime_type,
        first_ref.size_bytes,
        first_ref.md5,
        first_ref.chat_id,
        first_ref.message_id,
        contents.sha256,
        contents.content_type as served_content_type,
        contents.size_bytes as served_size_bytes
    from first_ref
    left join contents on contents.object_id = first_ref.file_id
)

select * from final
