-- Finding ids that name more than one row.
-- assets: findings
-- blocking: true
with final as (
    select finding_id, count(*) as rows
    from findings
    group by finding_id
    having count(*) > 1 or finding_id is null
)

select * from final
