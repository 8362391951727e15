"""Every hour: today's and yesterday's partitions, and everything downstream, in one run."""

from datetime import timedelta

import dagster as dg

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def hourly_schedule(job: dg.JobDefinition) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="hourly_recent_partitions",
        cron_schedule="5 * * * *",
        job=job,
        execution_timezone="UTC",
        description="Re-reads yesterday and today (late rows, new chats) and rebuilds the reports.",
    )
    def _schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        today = context.scheduled_execution_time.date()
        yesterday = today - timedelta(days=1)
        return dg.RunRequest(
            run_key=context.scheduled_execution_time.isoformat(),
            tags={RANGE_START: yesterday.isoformat(), RANGE_END: today.isoformat()},
        )

    return _schedule
