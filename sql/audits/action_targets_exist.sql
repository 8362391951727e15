-- Actions whose target is unknown to the warehouse: a chat, file, project document,
-- project or user that was never extracted, or a credential no finding has.
-- assets: action_list
-- blocking: false
with actions as (
    select * from action_list
),

targets as (
    select 'chat' as target_type, id as target_id from stg_chats
    union all
    select 'file', id from stg_chat_files
    union all
    select 'file', id from stg_attachment_history where kind = 'project_file'
    union all
    select 'project_document', id from stg_attachment_history where kind = 'project_doc'
    union all
    select 'project', id from stg_projects
    union all
    select 'user', id from stg_users
    union all
    select distinct 'credential', fingerprint from findings
),

final as (
    select actions.action_id, actions.action_type, actions.target_type, actions.target_id
    from actions
    left join targets
        on targets.target_type = actions.target_type
        and targets.target_id = actions.target_id
    where targets.target_id is null
)

select * from final
