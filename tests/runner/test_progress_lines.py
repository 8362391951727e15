"""The CLI's progress logger: a failed step is one line with its cause, and the steps
Dagster then skips print nothing."""

import dagster as dg
import pytest

from assets.progress import progress_logger
from casb_pipeline.errors import CasbError


@dg.asset
def upstream() -> None:
    raise CasbError("GET /v1/compliance/apps/chats: 503 overloaded_error; try again later")


@dg.asset(deps=[upstream])
def middle() -> None:
    return None


@dg.asset(deps=[middle])
def downstream() -> None:
    return None


@dg.asset
def independent(context: dg.AssetExecutionContext) -> None:
    context.log.info("12 rows, 3 requests, 0 quarantined")


def test_a_failure_is_one_line_and_skipped_steps_are_silent(
    capsys: pytest.CaptureFixture[str],
) -> None:
    defs = dg.Definitions(
        assets=[upstream, middle, downstream, independent], loggers={"progress": progress_logger}
    )
    job = defs.resolve_implicit_global_asset_job_def()
    with dg.instance_for_test() as instance:
        result = job.execute_in_process(
            instance=instance, run_config={"loggers": {"progress": {}}}, raise_on_error=False
        )
    assert not result.success

    lines = capsys.readouterr().err.splitlines()
    failures = [line for line in lines if "✗" in line]
    assert failures == [
        "  ✗ upstream failed: CasbError: GET /v1/compliance/apps/chats: 503 overloaded_error; "
        "try again later"
    ]
    assert not [line for line in lines if "middle" in line or "downstream" in line]
    assert "    independent: 12 rows, 3 requests, 0 quarantined" in lines
