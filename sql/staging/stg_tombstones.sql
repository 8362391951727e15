-- One row per deleted object: the earliest evidence of its deletion.
with source as (
    select * from lake_tombstones
),

final as (
    select
        object_type,
        object_id,
        deleted_at,
        cause,
        evidence
    from source
    qualify row_number() over (
        partition by object_type, object_id order by deleted_at, cause
    ) = 1
)

select * from final
