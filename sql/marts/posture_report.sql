-- One row per posture check and subject, like a CASB posture view. `detail` is a
-- sentence for a person; it quotes ids, emails, counts and masked renderings only
-- (never names, titles or filenames: those are user content and may hold the values).
-- The text step's reasons name locations inside files (`member:<path>`, `sheet:<name>`,
-- chained with `!`): the path or name, up to the next `!`, `: `, `; `, ` ratio ` or the
-- end, becomes `…` (`member:…: encrypted ZIP member (password-protected)`).
--
-- check_id                          subject             severity
-- org_visible_project_sensitive     project             its worst open finding
--   an org-visible project shares open findings of medium severity or above
-- project_many_collaborators_secrets project            high, critical for a critical secret
--   a project with many role grants (posture_thresholds) shares open credentials
-- project_shared_broadly            project             high (public) / medium (org),
--   the latest sharing event opened it up               raised to its worst open finding
-- org_visible_instructions_secret   project             critical
--   a credential in the name, description or instructions of an org-visible project
-- secret_reused                     credential          critical (several users) / high
--   the same credential (fingerprint) in several chats or projects, or by several users
-- chat_deleted_after_critical       chat                high with credentials, else medium
--   its user deleted the chat after a critical finding in it (worth a look; deleting
--   does not revoke a credential)
-- user_repeated_critical            user                critical while one is open, else high
--   critical findings in several objects (posture_thresholds)
-- critical_finding_overdue          finding             critical
--   a critical finding still open after its due date
-- stale_open_finding                finding             its own
--   a high or medium finding open for longer than posture_thresholds.stale_after_days
-- upload_not_scanned                chat_file / project_attachment  low, medium if quarantined
--   the text step could not read an uploaded file (text_coverage)
-- file_never_scanned                its source type     low
--   a file, artifact or attachment still listed (and not expired) with no text
--   coverage and no quarantine entry (reported once the text step has run at all)
-- object_quarantined                the stream          medium
--   an object the pipeline could not process
with findings as (
    select * from findings
),

exposure as (
    select * from project_exposure
),

thresholds as (
    select * from posture_thresholds
),

chats as (
    select * from stg_chats
),

coverage as (
    select * from stg_text_coverage
),

quarantine as (
    select * from stg_quarantine
),

sources as (
    select * from finding_sources
),

today as (
    select (now() at time zone 'UTC')::date as today
),

org_visible_project_sensitive as (
    select
        'org_visible_project_sensitive' as check_id,
        'project' as subject_type,
        project_id as subject_id,
        worst_level as severity_level,
        format(
            'Project visible to the whole organization{} holds {} open finding(s) of '
            || 'medium severity or above; worst: {} {}.',
            case when is_public then ' and publicly' else '' end,
            open_sensitive,
            worst_severity,
            worst_example
        ) as detail,
        finding_ids,
        organization_id
    from exposure
    where org_visible and open_sensitive > 0
),

project_many_collaborators_secrets as (
    select
        'project_many_collaborators_secrets' as check_id,
        'project' as subject_type,
        exposure.project_id as subject_id,
        greatest(exposure.worst_secret_level, 3) as severity_level,
        format(
            'Project with {} role grants ({} users, {} groups, roles or organization) holds '
            || '{} open credential(s); worst: {}.',
            exposure.principals,
            exposure.user_grants,
            exposure.broad_grants,
            exposure.open_secrets,
            exposure.worst_secret_example
        ) as detail,
        exposure.secret_finding_ids as finding_ids,
        exposure.organization_id
    from exposure, thresholds
    where exposure.principals >= thresholds.many_collaborators and exposure.open_secrets > 0
),

project_shared_broadly as (
    select
        'project_shared_broadly' as check_id,
        'project' as subject_type,
        project_id as subject_id,
        greatest(
            case when shared_with = 'public' then 3 else 2 end, coalesce(worst_level, 0)
        ) as severity_level,
        format(
            'Project shared {} on {} (latest sharing event); it holds {} open finding(s).',
            case when shared_with = 'public' then 'publicly' else 'with the whole organization' end,
            strftime(shared_at at time zone 'UTC', '%Y-%m-%d'),
            open_findings
        ) as detail,
        finding_ids,
        organization_id
    from exposure
    where org_visible and shared_with in ('public', 'organization')
),

org_visible_instructions_secret as (
    select
        'org_visible_instructions_secret' as check_id,
        'project' as subject_type,
        findings.project_id as subject_id,
        4 as severity_level,
        format(
            'Credential(s) in the {} of a project the whole organization can read: {}.',
            string_agg(distinct findings.part, ', ' order by findings.part),
            string_agg(
                findings.masked_label, '; '
                order by findings.detector, findings.masked
            )
        ) as detail,
        list(findings.finding_id order by findings.finding_id) as finding_ids,
        any_value(exposure.organization_id) as organization_id
    from findings
    inner join exposure on exposure.project_id = findings.project_id
    where findings.status = 'open'
        and findings.is_credential
        and findings.source_type = 'project'
        and exposure.org_visible
    group by findings.project_id
),

secret_reused as (
    select
        'secret_reused' as check_id,
        'credential' as subject_type,
        fingerprint as subject_id,
        case when count(distinct user_id) >= 2 then 4 else 3 end as severity_level,
        format(
            'The same {} ({}) appears in {} chats or projects, by {} user(s): {}.',
            any_value(detector),
            first(masked order by first_seen_at),
            count(distinct coalesce(chat_id, project_id)),
            count(distinct user_id),
            coalesce(string_agg(distinct user_email, ', ' order by user_email), 'unknown')
        ) as detail,
        list(finding_id order by first_seen_at, finding_id) as finding_ids,
        any_value(organization_id) as organization_id
    from findings
    where is_credential and status <> 'ignored'
    group by fingerprint
    having count(distinct coalesce(chat_id, project_id)) >= 2 or count(distinct user_id) >= 2
),

chat_deleted_after_critical as (
    select
        'chat_deleted_after_critical' as check_id,
        'chat' as subject_type,
        chats.id as subject_id,
        case when bool_or(findings.is_credential) then 3 else 2 end as severity_level,
        format(
            'Chat deleted by its user {} on {}, after {} critical finding(s) first seen from {} '
            || '(e.g. {}); deleting does not revoke a credential.',
            coalesce(any_value(findings.user_email), 'unknown'),
            strftime(any_value(chats.deleted_at) at time zone 'UTC', '%Y-%m-%d'),
            count(*),
            strftime(min(findings.first_seen_at) at time zone 'UTC', '%Y-%m-%d'),
            first(findings.masked_label order by findings.first_seen_at)
        ) as detail,
        list(findings.finding_id order by findings.first_seen_at, findings.finding_id)
            as finding_ids,
        any_value(chats.organization_id) as organization_id
    from findings
    inner join chats on chats.id = findings.chat_id
    where findings.resolution = 'deleted_by_user'
        and findings.severity = 'critical'
        and findings.first_seen_at <= chats.deleted_at
    group by chats.id
),

user_repeated_critical as (
    select
        'user_repeated_critical' as check_id,
        'user' as subject_type,
        findings.user_id as subject_id,
        case when count(*) filter (where findings.status = 'open') > 0 then 4 else 3 end
            as severity_level,
        format(
            '{} has {} critical findings in {} objects, first seen between {} and {} ({} open).',
            coalesce(any_value(findings.user_email), findings.user_id),
            count(*),
            count(distinct findings.source_id),
            strftime(min(findings.first_seen_at) at time zone 'UTC', '%Y-%m-%d'),
            strftime(max(findings.first_seen_at) at time zone 'UTC', '%Y-%m-%d'),
            count(*) filter (where findings.status = 'open')
        ) as detail,
        list(findings.finding_id order by findings.first_seen_at, findings.finding_id)
            as finding_ids,
        any_value(findings.organization_id) as organization_id
    from findings, thresholds
    where findings.severity = 'critical'
        and findings.status <> 'ignored'
        and findings.user_id is not null
    group by findings.user_id
    having count(*) >= any_value(thresholds.repeated_critical)
        and count(distinct findings.source_id) >= any_value(thresholds.repeated_critical)
),

critical_finding_overdue as (
    select
        'critical_finding_overdue' as check_id,
        'finding' as subject_type,
        findings.finding_id as subject_id,
        4 as severity_level,
        format(
            'Critical {} ({}) in a {} still open since {}, {} day(s) past its due date.',
            findings.detector,
            findings.masked,
            findings.source_type,
            strftime(findings.first_seen_at at time zone 'UTC', '%Y-%m-%d'),
            today.today - findings.due_date
        ) as detail,
        [findings.finding_id] as finding_ids,
        findings.organization_id
    from findings, today
    where findings.status = 'open'
        and findings.severity = 'critical'
        and findings.due_date < today.today
),

stale_open_finding as (
    select
        'stale_open_finding' as check_id,
        'finding' as subject_type,
        findings.finding_id as subject_id,
        findings.severity_level,
        format(
            'A {} {} ({}) in a {} has been open for {} days.',
            findings.severity,
            findings.detector,
            findings.masked,
            findings.source_type,
            today.today - (findings.first_seen_at at time zone 'UTC')::date
        ) as detail,
        [findings.finding_id] as finding_ids,
        findings.organization_id
    from findings, today, thresholds
    where findings.status = 'open'
        and findings.severity in ('high', 'medium')
        and today.today - (findings.first_seen_at at time zone 'UTC')::date
        > thresholds.stale_after_days
),

upload_not_scanned as (
    select
        'upload_not_scanned' as check_id,
        coverage.source_type as subject_type,
        coverage.source_id as subject_id,
        case when coverage.status = 'quarantined' then 2 else 1 end as severity_level,
        format(
            'Uploaded file ({}, {} bytes) {}: {}.',
            coalesce(coverage.detected_format, coverage.declared_mime, 'unknown type'),
            coalesce(coverage.size_bytes::varchar, 'unknown'),
            case
                when coverage.status = 'quarantined' then 'was quarantined by the text step'
                else 'could not be scanned'
            end,
            coalesce(coverage.reason, 'no reason given')
        ) as detail,
        []::varchar[] as finding_ids,
        sources.organization_id
    from coverage
    left join sources
        on sources.source_type = coverage.source_type
        and sources.source_id = coverage.source_id
    where coverage.status in ('not_scanned', 'quarantined')
        and coverage.source_type in ('chat_file', 'project_attachment')
),

file_never_scanned as (
    select
        'file_never_scanned' as check_id,
        sources.source_type as subject_type,
        sources.source_id as subject_id,
        1 as severity_level,
        format(
            'This {} is still listed but no text was ever extracted from it.',
            replace(sources.source_type, '_', ' ')
        ) as detail,
        []::varchar[] as finding_ids,
        sources.organization_id
    from sources
    where sources.source_type in ('chat_file', 'generated_file', 'artifact', 'project_attachment')
        and sources.is_listed
        and not sources.content_expired
        and sources.gone_at is null
        and sources.user_deleted_at is null
        and exists (select 1 from coverage)
        and not exists (
            select 1
            from coverage
            where coverage.source_type = sources.source_type
                and coverage.source_id = sources.source_id
        )
        and not exists (select 1 from quarantine where quarantine.object_id = sources.source_id)
),

object_quarantined as (
    select
        'object_quarantined' as check_id,
        quarantine.stream as subject_type,
        quarantine.object_id as subject_id,
        2 as severity_level,
        format(
            'Quarantined by {} on {}: {}',
            quarantine.stream,
            strftime(quarantine."at" at time zone 'UTC', '%Y-%m-%d'),
            coalesce(quarantine.reason, 'no reason given')
        ) as detail,
        []::varchar[] as finding_ids,
        sources.organization_id
    from quarantine
    left join (
        select source_id, any_value(organization_id) as organization_id
        from sources
        group by source_id
    ) as sources on sources.source_id = quarantine.object_id
),

checks as (
    select * from org_visible_project_sensitive
    union all by name
    select * from project_many_collaborators_secrets
    union all by name
    select * from project_shared_broadly
    union all by name
    select * from org_visible_instructions_secret
    union all by name
    select * from secret_reused
    union all by name
    select * from chat_deleted_after_critical
    union all by name
    select * from user_repeated_critical
    union all by name
    select * from critical_finding_overdue
    union all by name
    select * from stale_open_finding
    union all by name
    select * from upload_not_scanned
    union all by name
    select * from file_never_scanned
    union all by name
    select * from object_quarantined
),

final as (
    select
        check_id,
        subject_type,
        subject_id,
        ['low', 'medium', 'high', 'critical'][severity_level] as severity,
        severity_level,
        regexp_replace(
            detail,
            '\b(member|sheet):.*?(!|: | overall ratio | ratio |; |\.?$)',
            '\1:…\2',
            'g'
        ) as detail,
        finding_ids,
        len(finding_ids) as finding_count,
        organization_id
    from checks
)

select * from final
