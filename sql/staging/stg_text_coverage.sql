-- One row per object the text step looked at (latest look): scanned, not_scanned or
-- quarantined, with the reason. Names and reasons only, never content.
with source as (
    select * from lake_text_coverage
),

final as (
    select
        source_type,
        source_id,
        chat_id,
        project_id,
        sha256,
        filename,
        declared_mime,
        detected_format,
        status,
        reason,
        size_bytes,
        chars,
        truncated,
        extracted_at
    from source
    qualify row_number() over (
        partition by source_type, source_id order by extracted_at desc nulls last
    ) = 1
)

select * from final
