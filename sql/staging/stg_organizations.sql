-- One row per organization (latest snapshot). `id` is the organization's UUID.
with source as (
    select * from lake_organizations
),

final as (
    select
        uuid as id,
        name,
        created_at
    from source
    qualify row_number() over (partition by uuid order by _extracted_at desc) = 1
)

select * from final
