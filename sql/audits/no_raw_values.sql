-- Mart rows holding what looks like a raw sensitive value rather than a masked
-- rendering: card and national id numbers, provider tokens and keys, JWTs, private key
-- material, passwords in connection strings and assignments. Every column of every row
-- is read (the row cast to text); the audit returns the table, the row and the shape
-- of the first such value, never the text. `mart` is the asset the table belongs to.
-- assets: findings, posture_report, user_risk, action_list
-- blocking: true
--
-- The shapes are one regular expression (named groups, one a line), so each row is
-- read in one pass; a pattern assembled at run time would be compiled for every row.
with mart_rows as (
    select 'findings' as mart, 'findings' as table_name, finding_id as row_id,
        findings::varchar as row_text
    from findings
    union all
    select 'posture_report', 'posture_report', check_id || ' ' || subject_id,
        posture_report::varchar
    from posture_report
    union all
    select 'posture_report', 'project_exposure', project_id, project_exposure::varchar
    from project_exposure
    union all
    select 'user_risk', 'user_risk', user_id, user_risk::varchar
    from user_risk
    union all
    select 'action_list', 'action_list', action_id, action_list::varchar
    from action_list
),

found as (
    select
        mart,
        table_name,
        row_id,
        regexp_extract(
            row_text,
            '(?P<card_number>\b\d{13,19}\b|\b\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{4}\b|\b\d{4} \d{6} \d{5}\b)'
            || '|(?P<us_ssn_or_itin>\b\d{3}-\d{2}-\d{4}\b)'
            || '|(?P<ca_sin>\b\d{3} \d{3} \d{3}\b)'
            || '|(?P<in_aadhaar>\b\d{4} \d{4} \d{4}\b)'
            || '|(?P<uk_nino>\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b)'
            || '|(?P<iban>\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){3,7}(?: ?[0-9A-Z]{1,3})?\b)'
            || '|(?P<aws_access_key_id>\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)'
            || '|(?P<aws_secret_access_key>(?i:aws_secret_access_key)\s*[=:]\s*[0-9A-Za-z/+]{40})'
            || '|(?P<github_token>\bgh[pousr]_[0-9A-Za-z]{36}\b|\bgithub_pat_[0-9A-Za-z_]{50,})'
            || '|(?P<gitlab_token>\bglpat-[0-9A-Za-z_-]{20})'
            || '|(?P<slack_token>\bxox[abposr]-\d{6,}-[0-9A-Za-z-]{6,})'
            || '|(?P<slack_webhook_url>hooks\.slack\.com/services/T[0-9A-Z]{6,}/B[0-9A-Z]{6,}/[0-9A-Za-z]{12,})'
            || '|(?P<stripe_secret_key>\b[rs]k_live_[0-9A-Za-z]{16,})'
            || '|(?P<google_api_key>\bAIza[0-9A-Za-z_-]{35})'
            || '|(?P<anthropic_api_key>\bsk-ant-[a-z]+\d*-[0-9A-Za-z_-]{20,})'
            || '|(?P<openai_api_key>\bsk-(?:proj-)?[0-9A-Za-z_-]{20,}T3BlbkFJ|\bsk-proj-[0-9A-Za-z_-]{40,})'
            || '|(?P<private_key>PRIVATE KEY-----\s*[0-9A-Za-z+/=]{40})'
            || '|(?P<jwt>\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{16,})'
            || '|(?P<connection_string_password>\b[a-z][a-z0-9+.-]*://[^\s:/@''"]+:[^\s@/*…''"]{4,}@)'
            || '|(?P<password_assignment>(?i:\b(?:password|passwd|pwd))\s*[=:]\s*[^\s*…''"]{8,})',
            [
                'card_number',
                'us_ssn_or_itin',
                'ca_sin',
                'in_aadhaar',
                'uk_nino',
                'iban',
                'aws_access_key_id',
                'aws_secret_access_key',
                'github_token',
                'gitlab_token',
                'slack_token',
                'slack_webhook_url',
                'stripe_secret_key',
                'google_api_key',
                'anthropic_api_key',
                'openai_api_key',
                'private_key',
                'jwt',
                'connection_string_password',
                'password_assignment'
            ]
        ) as shapes
    from mart_rows
),

by_shape as (
    unpivot (select mart, table_name, row_id, shapes.* from found)
    on columns(* exclude (mart, table_name, row_id))
    into name shape value matched
),

final as (
    select mart, table_name, row_id, shape
    from by_shape
    where matched <> ''
)

select * from final
