-- One row per user (every known user, and any owner of a finding not in the directory)
-- with a risk score from their open findings:
--
--   risk_score = sum over open findings of
--                    severity weight   critical 40, high 15, medium 5, low 1
--                  × confidence        high 1.0, medium 0.7, low 0.4
--                  × recency           0.5 ^ (days since last seen / 30), at least 0.25:
--                                      a value seen today counts fully, one last seen a
--                                      month ago half, an old one a quarter (it is still
--                                      there: it never drops to nothing)
--                  × exposure          2 when the finding is shared content of an
--                                      org-visible project, else 1
--              + 10 per distinct open credential (fingerprint): pasting the same secret
--                   again adds through the sum, a second secret adds a further 10
--
-- rounded to one decimal; risk_rank 1 is the riskiest user.
with findings as (
    select * from findings where status = 'open'
),

exposure as (
    select project_id, org_visible from project_exposure
),

users as (
    select id as user_id, email as user_email from stg_users
),

owners as (
    select user_id, user_email from users
    union all
    select user_id, any_value(user_email) from findings
    where user_id is not null and user_id not in (select user_id from users)
    group by user_id
),

today as (
    select now() as now
),

weighted as (
    select
        findings.*,
        case findings.severity
            when 'critical' then 40 when 'high' then 15 when 'medium' then 5 else 1
        end
        * case findings.confidence when 'high' then 1.0 when 'medium' then 0.7 else 0.4 end
        * greatest(
            0.25,
            pow(0.5, greatest(0, date_diff('day', findings.last_seen_at, today.now)) / 30.0)
        )
        * case
            when findings.source_type in ('project', 'project_attachment')
                and coalesce(exposure.org_visible, false)
                then 2
            else 1
        end as weight
    from findings
    cross join today
    left join exposure on exposure.project_id = findings.project_id
),

per_user as (
    select
        user_id,
        sum(weight) as weighted_findings,
        count(distinct fingerprint) filter (where is_credential) as distinct_secrets,
        count(*) as open_findings,
        count(*) filter (where severity = 'critical') as open_critical,
        count(*) filter (where severity = 'high') as open_high,
        count(*) filter (where severity = 'medium') as open_medium,
        count(*) filter (where severity = 'low') as open_low,
        max(last_seen_at) as last_finding_seen_at
    from weighted
    group by user_id
),

scored as (
    select
        owners.user_id,
        owners.user_email,
        round(
            coalesce(per_user.weighted_findings, 0) + 10 * coalesce(per_user.distinct_secrets, 0),
            1
        ) as risk_score,
        coalesce(per_user.open_findings, 0) as open_findings,
        coalesce(per_user.open_critical, 0) as open_critical,
        coalesce(per_user.open_high, 0) as open_high,
        coalesce(per_user.open_medium, 0) as open_medium,
        coalesce(per_user.open_low, 0) as open_low,
        coalesce(per_user.distinct_secrets, 0) as distinct_secrets,
        per_user.last_finding_seen_at
    from owners
    left join per_user on per_user.user_id = owners.user_id
),

final as (
    select
        *,
        row_number() over (order by risk_score desc, open_findings desc, user_id) as risk_rank
    from scored
)

select * from final
