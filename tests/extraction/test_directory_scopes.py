"""A key without read:compliance_org_data still gets the users of the organizations it sees."""

from __future__ import annotations

from casb_pipeline.simulator.config import SCOPE_ACTIVITIES, SCOPE_USER_DATA
from tests.extraction.conftest import ANCHOR, Pipeline

CONTENT_KEY = "sk-ant-api01-ContentReviewOnlyKey0000000000000000000000000000000000-AA"


def test_users_are_listed_for_organizations_seen_in_content(pipeline: Pipeline) -> None:
    sim = pipeline.simulator
    sim.add_key(CONTENT_KEY, [SCOPE_ACTIVITIES, SCOPE_USER_DATA])
    sim.api_key = CONTENT_KEY
    result = pipeline.materialize(ANCHOR, ANCHOR)
    assert result.success
    organizations = next(
        e.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.asset_key.to_user_string() == "organizations"
    )
    assert "read:compliance_org_data" in organizations["skipped"].value
    assert pipeline.ids("stg_organizations") == []
    seen = {row[0] for row in pipeline.query("select distinct organization_id from stg_chats")}
    members = {row[0] for row in pipeline.query("select organization_id from stg_org_memberships")}
    assert seen and seen <= members
    assert pipeline.ids("stg_users")
