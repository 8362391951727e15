-- One row per uploaded chat file: its first reference and its content state.
with refs as (
    select * from stg_file_references where kind = 'upload' and is_first_reference
),

final as (
    select
        file_id as id,
        filename,
        mime_type,
        size_bytes,
        md5,
        chat_id,
        message_id,
        sha256,
        served_content_type,
        served_size_bytes
    from refs
)

select * from final
