-- One row per object that could not be processed, with its latest reason.
with source as (
    select * from lake_quarantine
),

final as (
    select
        object_id,
        stream,
        reason,
        request_id,
        "at"
    from source
    qualify row_number() over (partition by object_id, stream order by "at" desc) = 1
)

select * from final
