-- Action ids that name more than one row.
-- assets: action_list
-- blocking: true
with final as (
    select action_id, count(*) as rows
    from action_list
    group by action_id
    having count(*) > 1 or action_id is null
)

select * from final
