-- One row per activity (the feed delivers at least once; look-back windows overlap).
with source as (
    select * from lake_activities
),

final as (
    select
        id,
        type,
        created_at,
        organization_uuid as organization_id,
        organization_id as organization_legacy_id,
        actor_type,
        actor_user_id,
        actor_email_address as actor_email,
        actor_ip_address,
        claude_chat_id as chat_id,
        claude_file_id as file_id,
        claude_project_id as project_id,
        claude_project_document_id as project_document_id,
        claude_artifact_id as artifact_id,
        audience
    from source
    qualify row_number() over (partition by id order by _extracted_at desc) = 1
)

select * from final
