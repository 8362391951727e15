-- One row per project still in the API: who can see it and what sensitive content it
-- shares (open findings in its name, description, instructions and attachments; chats
-- in a project stay private to their user, so they do not count here).
--   shared_with: 'public' or 'organization' from the latest
--     claude_project_sharing_updated event (empty audience: 'creator'); null when the
--     feed never reported a change.
--   org_visible: whichever is newer decides: the latest sharing event (shared with the
--     organization or publicly) or the project detail (is_private = false, as of its
--     updated_at).
--   principals: role grants of the latest collaborator listing; a group, organization
--     role or organization grant counts once, however many people it reaches.
with projects as (
    select * from stg_projects where not is_deleted
),

sharing as (
    select
        project_id,
        created_at as shared_at,
        case
            when list_contains(audience, 'public') then 'public'
            when list_contains(audience, 'organization') then 'organization'
            else 'creator'
        end as shared_with
    from stg_activities
    where type = 'claude_project_sharing_updated' and project_id is not null
    qualify row_number() over (partition by project_id order by created_at desc, id desc) = 1
),

grants as (
    select
        project_id,
        count(*) as principals,
        count(*) filter (where principal_type = 'user') as user_grants,
        count(*) filter (where principal_type <> 'user') as broad_grants
    from stg_project_collaborators
    group by project_id
),

open_findings as (
    select *
    from findings
    where status = 'open' and source_type in ('project', 'project_attachment')
),

finding_totals as (
    select
        project_id,
        count(*) as open_findings,
        count(*) filter (where is_credential) as open_secrets,
        count(*) filter (where severity_level >= 2) as open_sensitive,
        max(severity_level) as worst_level,
        max(severity_level) filter (where is_credential) as worst_secret_level,
        list(finding_id order by severity_level desc, first_seen_at, finding_id)
            as finding_ids,
        list(finding_id order by severity_level desc, first_seen_at, finding_id)
            filter (where is_credential) as secret_finding_ids,
        first(masked_label order by severity_level desc, first_seen_at, finding_id)
            as worst_example,
        first(masked_label order by severity_level desc, first_seen_at, finding_id)
            filter (where is_credential) as worst_secret_example
    from open_findings
    group by project_id
),

exposure as (
    select
        projects.id as project_id,
        projects.organization_id,
        projects.user_id as owner_user_id,
        projects.user_email as owner_email,
        projects.is_private,
        sharing.shared_with,
        sharing.shared_at,
        case
            when sharing.shared_at >= coalesce(projects.updated_at, projects.created_at)
                or projects.is_private is null
                then coalesce(sharing.shared_with in ('organization', 'public'), false)
            else not projects.is_private
        end as org_visible,
        coalesce(grants.principals, 0) as principals,
        coalesce(grants.user_grants, 0) as user_grants,
        coalesce(grants.broad_grants, 0) as broad_grants,
        coalesce(finding_totals.open_findings, 0) as open_findings,
        coalesce(finding_totals.open_sensitive, 0) as open_sensitive,
        coalesce(finding_totals.open_secrets, 0) as open_secrets,
        ['low', 'medium', 'high', 'critical'][finding_totals.worst_level] as worst_severity,
        finding_totals.worst_level,
        finding_totals.worst_secret_level,
        finding_totals.worst_example,
        finding_totals.worst_secret_example,
        coalesce(finding_totals.finding_ids, []) as finding_ids,
        coalesce(finding_totals.secret_finding_ids, []) as secret_finding_ids
    from projects
    left join sharing on sharing.project_id = projects.id
    left join grants on grants.project_id = projects.id
    left join finding_totals on finding_totals.project_id = projects.id
),

final as (
    select
        *,
        org_visible and coalesce(shared_with = 'public', false) as is_public
    from exposure
)

select * from final
