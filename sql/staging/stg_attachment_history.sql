-- One row per project attachment any listing of its project ever showed (the current
-- listing is stg_project_attachments), so findings in a since-removed attachment
-- still point at a known object.
with source as (
    select * from lake_project_attachments
),

final as (
    select
        id,
        project_id,
        type as kind,
        mime_type,
        max(_extracted_at) over (partition by id, project_id) as last_listed_at
    from source
    qualify row_number() over (
        partition by id, project_id order by _extracted_at desc nulls last
    ) = 1
)

select * from final
