-- One row per attachment in each project's latest listing: project files
-- (`claude_file_…`) and project documents (`claude_proj_doc_…`).
with source as (
    select * from lake_project_attachments
),

listings as (
    select * from stg_project_listings where kind = 'attachments'
),

contents as (
    select * from stg_contents where object_type in ('project_file', 'project_doc')
),

current_rows as (
    select source.*
    from source
    inner join listings
        on listings.project_id = source.project_id
        and listings.listed_at = source._extracted_at
    qualify row_number() over (partition by source.project_id, source.id) = 1
),

final as (
    select
        current_rows.id,
        current_rows.project_id,
        current_rows.type as kind,
        current_rows.filename,
        current_rows.mime_type,
        current_rows.size_bytes,
        current_rows.md5,
        current_rows.created_at,
        contents.sha256
    from current_rows
    left join contents on contents.object_id = current_rows.id
)

select * from final
