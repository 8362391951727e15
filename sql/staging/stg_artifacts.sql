-- One row per artifact version (`id` is the version id), with its content state.
with source as (
    select * from lake_artifacts
),

contents as (
    select * from stg_contents where object_type = 'artifact'
),

latest as (
    select *
    from source
    qualify row_number() over (partition by version_id order by _extracted_at desc) = 1
),

final as (
    select
        latest.version_id as id,
        latest.artifact_id,
        latest.claude_chat_id as chat_id,
        latest.title,
        latest.artifact_type,
        latest.created_at,
        latest.size_bytes,
        latest.md5,
        contents.sha256
    from latest
    left join contents on contents.object_id = latest.version_id
)

select * from final
