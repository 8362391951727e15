-- One row per tool-generated file: the message that produced it and its content state.
with refs as (
    select * from stg_file_references where kind = 'generated' and is_first_reference
),

final as (
    select
        file_id as id,
        chat_id,
        message_id,
        filename,
        mime_type,
        size_bytes,
        md5,
        sha256
    from refs
)

select * from final
