-- One row per (organization, user): a user may belong to several organizations.
with source as (
    select * from lake_users
),

final as (
    select
        organization_uuid as organization_id,
        id as user_id,
        organization_role
    from source
    qualify row_number() over (
        partition by organization_uuid, id order by _extracted_at desc
    ) = 1
)

select * from final
