-- One row per message (latest fetch of its chat). `text` joins the text blocks,
-- tool inputs and tool-result texts, one block per line; the attachment lists are
-- kept for the file-reference models.
with source as (
    select * from lake_chat_messages
),

latest as (
    select *
    from source
    qualify row_number() over (
        partition by id order by chat_updated_at desc nulls last, _extracted_at desc
    ) = 1
),

final as (
    select
        id,
        chat_id,
        role,
        created_at,
        array_to_string(
            list_filter(
                list_transform(
                    coalesce(content, []),
                    lambda block: coalesce(block.text, block.input, block.content_text)
                ),
                lambda piece: piece is not null and piece <> ''
            ),
            chr(10)
        ) as text,
        len(coalesce(content, [])) as block_count,
        files,
        generated_files,
        artifacts,
        chat_updated_at
    from latest
)

select * from final
