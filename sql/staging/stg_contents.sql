-- One row per downloaded object: where its bytes are in the blob store.
with source as (
    select * from lake_contents
),

final as (
    select
        object_type,
        object_id,
        sha256,
        size_bytes,
        content_type,
        filename,
        fetched_at,
        request_id
    from source
    qualify row_number() over (
        partition by object_type, object_id order by fetched_at desc
    ) = 1
)

select * from final
