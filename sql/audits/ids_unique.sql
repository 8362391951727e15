-- Finding and action ids that are missing or name more than one row.
-- assets: findings, action_list
-- blocking: true
with ids as (
    select 'findings' as mart, finding_id as id from findings
    union all
    select 'action_list', action_id from action_list
),

final as (
    select mart, id, count(*) as rows
    from ids
    group by mart, id
    having count(*) > 1 or id is null
)

select * from final
