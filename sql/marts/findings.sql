-- One row per sensitive value in one object: (source_type, source_id, detector,
-- fingerprint), with its lifecycle across scans.
--
-- finding_id: 'fnd_' + the first 32 hex digits of sha256 over the four key columns; the
--   same in every build (it changes only when CASB_FINGERPRINT_KEY does).
-- A source's scans are ordered by the version of the content they saw, then by time
--   (`stg_scans.version_at`, `scanned_at`): re-running an older partition scans an older
--   copy of a message or project, which never counts as newer than a later version.
-- first_seen_at: the earliest sighting in the lake; last_seen_at: the latest scan of the
--   source that still contained the value (latest in that order: of its latest version
--   containing it; after a re-run of an older partition this can be later than the
--   resolution). Location, match count, masked rendering, severity (the highest) and
--   confidence come from that latest sighting.
-- status / resolution, first rule that applies:
--   resolved / deleted_by_user  its chat (or project) was deleted by its user: the
--                               object keeps its metadata but lost its content; kept.
--   resolved / source_deleted   the object, its chat or its project is gone.
--   resolved / value_removed    a later scan of the source (in that order) no longer
--                               contains it; resolved_at is the earliest time such a
--                               scan ran.
--   ignored  / allowlisted      the DLP allowlist matched it (at its latest sighting).
--   open                        otherwise.
-- allowlisted: the DLP allowlist matched it at its latest sighting, whatever the status
--   (a deleted object's finding is resolved first, but it may have been allowlisted).
-- due_date: first_seen_at's UTC date + 0 days (critical), 7 (high), 30 (medium);
--   none for low.
with matches as (
    select * from stg_finding_matches
),

scans as (
    select * from stg_scans
),

sources as (
    select * from finding_sources
),

users as (
    select * from stg_users
),

sightings as (
    select
        source_type,
        source_id,
        detector,
        fingerprint,
        min(first_seen_at) as first_seen_at,
        max({'version_at': version_at, 'scanned_at': scanned_at}) as last_seen,
        any_value(chat_id) as chat_id,
        any_value(project_id) as project_id
    from matches
    group by source_type, source_id, detector, fingerprint
),

latest_sighting as (
    select
        source_type,
        source_id,
        detector,
        fingerprint,
        count(*) as match_count,
        -- Where in the source: page, table and slide numbers and the document and
        -- project parts are kept; archive member paths and sheet names were chosen by
        -- whoever made the file and may hold the very value, so they become `member:…`
        -- and `sheet:…` (the raw label stays in stg_finding_matches, beside raw text).
        array_to_string(
            list_transform(
                string_split(
                    first(matches.part order by matches.part nulls first, matches."start"), '!'
                ),
                lambda label: case
                    when regexp_full_match(
                        label,
                        '(page|table|slide):[0-9]+|slide:[0-9]+:notes|form|body|header'
                        || '|footer|comments|name|description|instructions'
                    ) then label
                    when regexp_full_match(label, '(member|sheet):.*')
                        then split_part(label, ':', 1) || ':…'
                    else '…'
                end
            ),
            '!'
        ) as part,
        first(matches."start" order by matches.part nulls first, matches."start") as "start",
        first(matches."end" order by matches.part nulls first, matches."start") as "end",
        first(matches.masked order by matches.part nulls first, matches."start") as masked,
        first(matches.profile order by matches.severity_level desc, matches."start") as profile,
        max(matches.severity_level) as severity_level,
        max(matches.confidence_level) as confidence_level,
        bool_or(matches.allowlisted) as allowlisted,
        first(matches.allowlist_reason order by matches.allowlisted desc, matches."start")
            as allowlist_reason
    from matches
    inner join sightings
        using (source_type, source_id, detector, fingerprint)
    where matches.version_at = sightings.last_seen.version_at
        and matches.scanned_at = sightings.last_seen.scanned_at
    group by source_type, source_id, detector, fingerprint
),

later_scans as (
    -- the scans of the source after the value was last seen (in version order), if any
    select
        sightings.source_type,
        sightings.source_id,
        sightings.detector,
        sightings.fingerprint,
        min(scans.scanned_at) as removed_at
    from sightings
    inner join scans
        on scans.source_type = sightings.source_type
        and scans.source_id = sightings.source_id
        and {'version_at': scans.version_at, 'scanned_at': scans.scanned_at}
            > sightings.last_seen
    group by all
),

joined as (
    select
        sightings.* exclude (last_seen),
        sightings.last_seen.scanned_at as last_seen_at,
        latest_sighting.* exclude (source_type, source_id, detector, fingerprint),
        later_scans.removed_at,
        sources.source_id is not null as source_known,
        coalesce(sources.chat_id, sightings.chat_id) as source_chat_id,
        coalesce(sources.project_id, sightings.project_id) as source_project_id,
        sources.user_id,
        coalesce(users.email, sources.user_email) as user_email,
        sources.organization_id,
        sources.attachment_kind,
        sources.user_deleted_at,
        sources.gone_at
    from sightings
    inner join latest_sighting using (source_type, source_id, detector, fingerprint)
    left join later_scans using (source_type, source_id, detector, fingerprint)
    left join sources
        on sources.source_type = sightings.source_type
        and sources.source_id = sightings.source_id
    left join users on users.id = sources.user_id
),

lifecycle as (
    select
        *,
        case
            when user_deleted_at is not null then 'deleted_by_user'
            when gone_at is not null then 'source_deleted'
            when removed_at is not null then 'value_removed'
            when allowlisted then 'allowlisted'
        end as resolution,
        ['low', 'medium', 'high', 'critical'][severity_level] as severity
    from joined
),

final as (
    select
        'fnd_' || left(
            sha256(concat_ws(chr(31), source_type, source_id, detector, fingerprint)), 32
        ) as finding_id,
        source_type,
        source_id,
        detector,
        profile,
        fingerprint,
        profile = 'credentials' as is_credential,
        part,
        "start",
        "end",
        {'part': part, 'start': "start", 'end': "end"} as location,
        source_chat_id as chat_id,
        source_project_id as project_id,
        attachment_kind,
        user_id,
        user_email,
        organization_id,
        ['low', 'medium', 'high'][confidence_level] as confidence,
        severity,
        severity_level,
        match_count,
        masked,
        detector || ' ' || masked as masked_label,
        first_seen_at,
        last_seen_at,
        case
            when resolution is null then 'open'
            when resolution = 'allowlisted' then 'ignored'
            else 'resolved'
        end as status,
        resolution,
        case resolution
            when 'deleted_by_user' then user_deleted_at
            when 'source_deleted' then gone_at
            when 'value_removed' then removed_at
        end as resolved_at,
        allowlisted,
        allowlist_reason,
        (first_seen_at at time zone 'UTC')::date
        + case severity when 'critical' then 0 when 'high' then 7 when 'medium' then 30 end
            as due_date,
        source_known
    from lifecycle
)

select * from final
