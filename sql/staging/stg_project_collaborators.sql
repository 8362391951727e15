-- One row per role grant in each project's latest listing. `principal_id` is the
-- user, group, organization UUID or organization role the grant names.
with source as (
    select * from lake_project_collaborators
),

listings as (
    select * from stg_project_listings where kind = 'collaborators'
),

final as (
    select
        source.project_id,
        source.type as principal_type,
        coalesce(
            source.user_id, source.group_id, source.organization_uuid, source.organization_role
        ) as principal_id,
        source.role,
        source.granted_at
    from source
    inner join listings
        on listings.project_id = source.project_id
        and listings.listed_at = source._extracted_at
    qualify row_number() over (
        partition by source.project_id, source.type, principal_id order by source.granted_at
    ) = 1
)

select * from final
