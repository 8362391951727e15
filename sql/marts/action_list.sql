-- Ranked remediation proposals, one row per (action_type, target). Every action is
-- `proposed`; `casb-pipeline actions execute` carries out the API-backed ones on request.
--
-- action_type                    target              proposed for
-- rotate_credential              credential          each credential (fingerprint) found,
--                                (fingerprint)       open or resolved in any way: deleting
--                                                    the chat, file or project (by its user,
--                                                    through the API, by retention) or editing
--                                                    the value out does not revoke a key that
--                                                    was exposed. Only the allowlist ends it:
--                                                    not proposed once the credential's latest
--                                                    sighting, anywhere, was allowlisted
-- restrict_app_access_for_user   user                repeated critical uploads (below), and
--                                                    critical findings kept coming: first seen
--                                                    on a later day than the upload that
--                                                    crossed that threshold (the N-th file,
--                                                    by its first critical finding), and
--                                                    outside the files counted up to it
-- block_uploads_for_user         user                critical findings (not ignored) in at
--                                                    least posture_thresholds
--                                                    .repeated_critical_uploads of the user's
--                                                    uploaded files
-- make_project_private           project             an org-visible project sharing open
--                                                    credentials or critical/high findings
-- delete_chat                    chat                open credentials, or open critical or
--                                                    high findings, in its messages,
--                                                    artifacts or generated files
-- delete_file                    file                the same in an uploaded chat file or
--                                                    project file
-- delete_project_document        project_document    the same in a project document
-- notify_owner                   user                the owner's open medium findings, and
--                                                    credentials or critical/high findings in
--                                                    project names, descriptions and
--                                                    instructions (only the owner can edit
--                                                    those)
--
-- severity: the highest of the findings behind the action. due_date: the earliest
-- first_seen_at (UTC date) of those findings + 0 days (critical), 7 (high), 30 (medium),
-- 90 (low), so a date does not move between builds and an overdue action shows it.
-- rank: by severity, then the order of the table above, then due date, then the number
-- of findings. action_id: 'act_' + the first 32 hex digits of sha256 over the action
-- type, target type and target id (the same in every build).
with findings as (
    select * from findings
),

exposure as (
    select * from project_exposure
),

thresholds as (
    select * from posture_thresholds
),

-- directory emails, else the one the chat or project carried
emails as (
    select id as user_id, email as user_email from stg_users
    union all
    select user_id, any_value(user_email) from findings
    where user_id is not null and user_id not in (select id from stg_users)
    group by user_id
),

open_findings as (
    select * from findings where status = 'open'
),

-- findings whose content should go: credentials and critical or high values
removable as (
    select *
    from open_findings
    where is_credential or severity_level >= 3
),

-- credentials whose latest sighting (in any object) the allowlist matched: rotated and
-- acknowledged, or known not to be live
allowlisted_credentials as (
    select fingerprint
    from findings
    where is_credential
    group by fingerprint
    having first(allowlisted order by last_seen_at desc, allowlisted desc)
),

rotate_credential as (
    select
        'rotate_credential' as action_type,
        'credential' as target_type,
        fingerprint as target_id,
        max(severity_level) as severity_level,
        format(
            'Rotate this {} ({}): exposed in {} object(s) ({}) by {} since {}{}.',
            any_value(detector),
            first(masked order by first_seen_at),
            count(distinct source_id),
            string_agg(distinct source_type, ', ' order by source_type),
            coalesce(string_agg(distinct user_email, ', ' order by user_email), 'unknown users'),
            strftime(min(first_seen_at) at time zone 'UTC', '%Y-%m-%d'),
            case
                when bool_or(status = 'resolved')
                    then format(
                        '; {} of them deleted or edited since, which does not revoke it',
                        count(distinct source_id) filter (where status = 'resolved')
                    )
                else ''
            end
        ) as reason,
        list(finding_id order by first_seen_at, finding_id) as finding_ids,
        min(first_seen_at) as first_seen_at,
        first(user_id order by first_seen_at) as user_id,
        any_value(organization_id) as organization_id
    from findings
    where is_credential
        and status <> 'ignored'
        and fingerprint not in (select fingerprint from allowlisted_credentials)
    group by fingerprint
),

-- where each removable finding goes: with its chat (messages, artifacts and generated
-- files have no delete of their own), or with the file or document holding it
removals as (
    select
        *,
        case
            when source_type in ('chat_message', 'artifact', 'generated_file') then 'chat'
            when source_type = 'chat_file' or attachment_kind = 'project_file' then 'file'
            when attachment_kind = 'project_doc' then 'project_document'
        end as target_type,
        case
            when source_type in ('chat_message', 'artifact', 'generated_file') then chat_id
            else source_id
        end as target_id,
        case
            when source_type in ('chat_message', 'artifact', 'generated_file')
                then 'chat: its messages, artifacts or generated files hold'
            when source_type = 'chat_file' then 'uploaded file: it holds'
            when attachment_kind = 'project_file' then 'project file: it holds'
            else 'project document: it holds'
        end as holder
    from removable
    where source_type <> 'project'
),

deletions as (
    select
        case target_type
            when 'chat' then 'delete_chat'
            when 'file' then 'delete_file'
            else 'delete_project_document'
        end as action_type,
        target_type,
        target_id,
        max(severity_level) as severity_level,
        format(
            'Delete the {} {} open finding(s) ({}); worst: {}.',
            any_value(holder),
            count(*),
            string_agg(distinct detector, ', ' order by detector),
            first(masked_label order by severity_level desc, first_seen_at)
        ) as reason,
        list(finding_id order by severity_level desc, first_seen_at, finding_id) as finding_ids,
        min(first_seen_at) as first_seen_at,
        any_value(user_id) as user_id,
        any_value(organization_id) as organization_id
    from removals
    where target_type is not null and target_id is not null
    group by target_type, target_id
),

make_project_private as (
    select
        'make_project_private' as action_type,
        'project' as target_type,
        removable.project_id as target_id,
        max(removable.severity_level) as severity_level,
        format(
            'Make the project private: the whole organization{} can read {} open finding(s) '
            || 'in its content; worst: {}.',
            case when any_value(exposure.is_public) then ', and the public,' else '' end,
            count(*),
            first(
                removable.masked_label
                order by removable.severity_level desc, removable.first_seen_at
            )
        ) as reason,
        list(
            removable.finding_id
            order by removable.severity_level desc, removable.first_seen_at, removable.finding_id
        ) as finding_ids,
        min(removable.first_seen_at) as first_seen_at,
        any_value(exposure.owner_user_id) as user_id,
        any_value(exposure.organization_id) as organization_id
    from removable
    inner join exposure on exposure.project_id = removable.project_id
    where removable.source_type in ('project', 'project_attachment') and exposure.org_visible
    group by removable.project_id
),

notify_owner as (
    select
        'notify_owner' as action_type,
        'user' as target_type,
        user_id as target_id,
        max(severity_level) as severity_level,
        format(
            'Tell {} about {} open finding(s) in their content ({} in project names, '
            || 'descriptions or instructions, which only they can edit; {} of medium severity '
            || 'elsewhere); worst: {}.',
            coalesce(any_value(user_email), user_id),
            count(*),
            count(*) filter (where source_type = 'project'),
            count(*) filter (where source_type <> 'project'),
            first(masked_label order by severity_level desc, first_seen_at)
        ) as reason,
        list(finding_id order by severity_level desc, first_seen_at, finding_id) as finding_ids,
        min(first_seen_at) as first_seen_at,
        user_id,
        any_value(organization_id) as organization_id
    from open_findings
    where user_id is not null
        and (
            (severity = 'medium' and not is_credential)
            or (source_type = 'project' and (is_credential or severity_level >= 3))
        )
    group by user_id
),

critical_uploads as (
    select *
    from findings
    where severity = 'critical'
        and status <> 'ignored'
        and source_type = 'chat_file'
        and user_id is not null
),

-- each user's uploaded files with critical findings, numbered by their first one
critical_files as (
    select
        user_id,
        source_id,
        row_number() over (
            partition by user_id order by min(first_seen_at), source_id
        ) as nth,
        min(first_seen_at) as first_critical_at
    from critical_uploads
    group by user_id, source_id
),

block_uploads_for_user as (
    select
        'block_uploads_for_user' as action_type,
        'user' as target_type,
        critical_uploads.user_id as target_id,
        4 as severity_level,
        format(
            'Block file uploads for {}: {} critical finding(s) in {} uploaded file(s), first '
            || 'seen between {} and {}.',
            coalesce(any_value(critical_uploads.user_email), critical_uploads.user_id),
            count(*),
            count(distinct critical_uploads.source_id),
            strftime(min(critical_uploads.first_seen_at) at time zone 'UTC', '%Y-%m-%d'),
            strftime(max(critical_uploads.first_seen_at) at time zone 'UTC', '%Y-%m-%d')
        ) as reason,
        list(
            critical_uploads.finding_id
            order by critical_uploads.first_seen_at, critical_uploads.finding_id
        ) as finding_ids,
        min(critical_uploads.first_seen_at) as first_seen_at,
        critical_uploads.user_id,
        any_value(critical_uploads.organization_id) as organization_id
    from critical_uploads, thresholds
    group by critical_uploads.user_id
    having count(distinct critical_uploads.source_id)
        >= any_value(thresholds.repeated_critical_uploads)
),

-- the day a user's uploads crossed the blocking threshold: that of the N-th file
block_crossed as (
    select
        critical_files.user_id,
        (critical_files.first_critical_at at time zone 'UTC')::date as crossed_on
    from critical_files, thresholds
    where critical_files.nth = thresholds.repeated_critical_uploads
),

-- the files counted up to the crossing: what they hold led to the block, not past it
counted_files as (
    select critical_files.user_id, critical_files.source_id
    from critical_files, thresholds
    where critical_files.nth <= thresholds.repeated_critical_uploads
),

restrict_app_access_for_user as (
    select
        'restrict_app_access_for_user' as action_type,
        'user' as target_type,
        findings.user_id as target_id,
        4 as severity_level,
        format(
            'Restrict Claude access for {}: after repeated critical uploads (threshold crossed '
            || 'on {}), {} more critical finding(s) followed, up to {}.',
            coalesce(any_value(findings.user_email), findings.user_id),
            strftime(any_value(block_crossed.crossed_on), '%Y-%m-%d'),
            count(*),
            strftime(max(findings.first_seen_at) at time zone 'UTC', '%Y-%m-%d')
        ) as reason,
        list(findings.finding_id order by findings.first_seen_at, findings.finding_id)
            as finding_ids,
        min(findings.first_seen_at) as first_seen_at,
        findings.user_id,
        any_value(findings.organization_id) as organization_id
    from findings
    inner join block_crossed on block_crossed.user_id = findings.user_id
    left join counted_files
        on counted_files.user_id = findings.user_id
        and counted_files.source_id = findings.source_id
        and findings.source_type = 'chat_file'
    where findings.severity = 'critical'
        and findings.status <> 'ignored'
        and (findings.first_seen_at at time zone 'UTC')::date > block_crossed.crossed_on
        and counted_files.source_id is null
    group by findings.user_id
),

actions as (
    select * from rotate_credential
    union all by name
    select * from deletions
    union all by name
    select * from make_project_private
    union all by name
    select * from notify_owner
    union all by name
    select * from block_uploads_for_user
    union all by name
    select * from restrict_app_access_for_user
),

described as (
    select
        'act_' || left(sha256(concat_ws(chr(31), action_type, target_type, target_id)), 32)
            as action_id,
        actions.action_type,
        actions.target_type,
        actions.target_id,
        ['low', 'medium', 'high', 'critical'][actions.severity_level] as severity,
        actions.severity_level,
        actions.reason,
        actions.finding_ids,
        len(actions.finding_ids) as finding_count,
        (actions.first_seen_at at time zone 'UTC')::date
        + case actions.severity_level when 4 then 0 when 3 then 7 when 2 then 30 else 90 end
            as due_date,
        'proposed' as status,
        actions.user_id,
        emails.user_email,
        actions.organization_id,
        list_position(
            [
                'rotate_credential',
                'restrict_app_access_for_user',
                'block_uploads_for_user',
                'make_project_private',
                'delete_chat',
                'delete_file',
                'delete_project_document',
                'notify_owner'
            ],
            actions.action_type
        ) as type_order
    from actions
    left join emails on emails.user_id = actions.user_id
),

final as (
    select
        row_number() over (
            order by severity_level desc, type_order, due_date, finding_count desc, action_id
        ) as rank,
        * exclude (type_order)
    from described
)

select * from final
