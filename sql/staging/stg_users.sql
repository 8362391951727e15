-- One row per user, whichever organizations list them (latest snapshot).
with source as (
    select * from lake_users
),

final as (
    select
        id,
        email,
        full_name,
        created_at
    from source
    qualify row_number() over (
        partition by id order by _extracted_at desc, organization_uuid
    ) = 1
)

select * from final
