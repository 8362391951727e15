-- One row per tool-generated file, with the message that produced it.
with refs as (
    select * from stg_file_references where kind = 'generated'
),

contents as (
    select * from stg_contents where object_type = 'generated_file'
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
        first_ref.chat_id,
        first_ref.message_id,
        first_ref.filename,
        first_ref.mime_type,
        first_ref.size_bytes,
        first_ref.md5,
        contents.sha256
    from first_ref
    left join contents on contents.object_id = first_ref.file_id
)

select * from final
