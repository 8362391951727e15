-- Mart rows holding what looks like a raw sensitive value rather than a masked
-- rendering: card and national id numbers, provider tokens and keys, JWTs, private key
-- material, passwords in connection strings and assignments. Returns which table, row
-- and shape, never the text itself. `mart` is the asset the table belongs to.
-- assets: findings, posture_report, user_risk, action_list
-- blocking: true
with shapes as (
    select *
    from (
        values
            ('card_number', '\b\d{13,19}\b'),
            ('card_number', '\b\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{4}\b'),
            ('card_number', '\b\d{4} \d{6} \d{5}\b'),
            ('us_ssn_or_itin', '\b\d{3}-\d{2}-\d{4}\b'),
            ('ca_sin', '\b\d{3} \d{3} \d{3}\b'),
            ('in_aadhaar', '\b\d{4} \d{4} \d{4}\b'),
            ('uk_nino', '\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b'),
            ('iban', '\b[A-Z]{2}\d{2}(?: ?[0-9A-Z]{4}){3,7}(?: ?[0-9A-Z]{1,3})?\b'),
            ('aws_access_key_id', '\b(?:AKIA|ASIA)[0-9A-Z]{16}\b'),
            ('aws_secret_access_key', '(?i)aws_secret_access_key\s*[=:]\s*[0-9A-Za-z/+]{40}'),
            ('github_token', '\bgh[pousr]_[0-9A-Za-z]{36}\b'),
            ('github_token', '\bgithub_pat_[0-9A-Za-z_]{50,}'),
            ('gitlab_token', '\bglpat-[0-9A-Za-z_-]{20}'),
            ('slack_token', '\bxox[abposr]-\d{6,}-[0-9A-Za-z-]{6,}'),
            ('slack_webhook_url', 'hooks\.slack\.com/services/T[0-9A-Z]{6,}/B[0-9A-Z]{6,}/[0-9A-Za-z]{12,}'),
            ('stripe_secret_key', '\b[rs]k_live_[0-9A-Za-z]{16,}'),
            ('google_api_key', '\bAIza[0-9A-Za-z_-]{35}'),
            ('anthropic_api_key', '\bsk-ant-[a-z]+\d*-[0-9A-Za-z_-]{20,}'),
            ('openai_api_key', '\bsk-(?:proj-)?[0-9A-Za-z_-]{20,}T3BlbkFJ'),
            ('openai_api_key', '\bsk-proj-[0-9A-Za-z_-]{40,}'),
            ('private_key', 'PRIVATE KEY-----\s*[0-9A-Za-z+/=]{40}'),
            ('jwt', '\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{16,}'),
            ('connection_string_password', '\b[a-z][a-z0-9+.-]*://[^\s:/@''"]+:[^\s@/*…''"]{4,}@'),
            ('password_assignment', '(?i)\b(?:password|passwd|pwd)\s*[=:]\s*[^\s*…''"]{8,}')
    ) as shapes (shape, pattern)
),

mart_rows as (
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

final as (
    select mart_rows.mart, mart_rows.table_name, mart_rows.row_id, shapes.shape
    from mart_rows
    inner join shapes on regexp_matches(mart_rows.row_text, shapes.pattern)
)

select * from final
