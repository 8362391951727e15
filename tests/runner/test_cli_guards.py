"""`casb-pipeline extract` refuses to mix APIs in one data dir, says when CASB_START_DATE is
ignored, and stops on a refused key after one request, before launching any run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from assets.definitions import build_definitions
from casb_pipeline.config import DataPaths, Settings
from tests.compliance.fake_compliance_api import FakeApi, Reply, error

CANARY = "sk-ant-api01-CANARYcanary0123456789CANARYcanary-ZZ"


def _extract(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CASB_", "DAGSTER_"))}
    base.pop("ANTHROPIC_COMPLIANCE_ACCESS_KEY", None)
    command = str(Path(sys.executable).with_name("casb-pipeline"))
    return subprocess.run(
        [command, "extract"],
        env={**base, "CASB_DATA_DIR": str(data_dir), "CASB_RATE_LIMIT_RPM": "0", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_data_dir_filled_by_the_simulator_refuses_a_real_api(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    # The UI's demo mode (no key: a simulator per run) extracts into the data dir first.
    defs = build_definitions(Settings.from_env({"CASB_DATA_DIR": str(data_dir)}))
    with dg.instance_for_test() as instance:
        assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
        result = dg.materialize(
            assets, selection=["organizations"], resources=defs.resources, instance=instance
        )
    assert result.success
    recorded = DataPaths(data_dir).api_source_file.read_text()
    assert recorded.startswith("the embedded simulator (seed ")

    done = _extract(
        data_dir,
        ANTHROPIC_COMPLIANCE_ACCESS_KEY=CANARY,
        CASB_API_BASE_URL="https://api.example.test",
    )

    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"casb-pipeline: error: the data dir {data_dir} holds data from {recorded.strip()}, "
        "and this run would add data from https://api.example.test: set CASB_DATA_DIR to "
        f"another folder for it, or remove {data_dir} to start over"
    ]
    assert CANARY not in done.stdout + done.stderr


def test_a_refused_key_stops_the_command_after_one_request(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    pin = DataPaths(data_dir).start_date_file
    pin.write_text("2025-08-01\n")  # as the data dir's first run pinned it
    with FakeApi() as api:
        api.route(
            "GET",
            "/v1/compliance/activities",
            error(401, "authentication_error", "API key is invalid."),
        )
        done = _extract(
            data_dir,
            ANTHROPIC_COMPLIANCE_ACCESS_KEY=CANARY,
            CASB_API_BASE_URL=api.base_url,
            CASB_START_DATE="2026-01-01",
        )
        requests = api.requests()

    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"Compliance API: {api.base_url}",
        "CASB_START_DATE=2026-01-01 is ignored: this data dir's partitions start on "
        f"2025-08-01, pinned in {pin} at its first run (use another CASB_DATA_DIR to start "
        "elsewhere)",
        f"casb-pipeline: error: the Compliance API at {api.base_url} did not accept the key "
        "(401 authentication_error): set ANTHROPIC_COMPLIANCE_ACCESS_KEY to an active "
        "Compliance Access Key (sk-ant-api01-…) or Admin API key, and CASB_API_BASE_URL to "
        "the API root (request-id req_401_authentication_error)",
    ]
    assert [seen.path for seen in requests] == ["/v1/compliance/activities"]
    assert CANARY not in done.stdout + done.stderr


def test_an_unreachable_api_stops_the_command_with_one_line(tmp_path: Path) -> None:
    with FakeApi() as api:
        api.route("GET", "/v1/compliance/activities", Reply(no_response=True))
        done = _extract(
            tmp_path / "data",
            ANTHROPIC_COMPLIANCE_ACCESS_KEY=CANARY,
            CASB_API_BASE_URL=api.base_url,
        )
        requests = api.requests()

    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"Compliance API: {api.base_url}",
        f"casb-pipeline: error: cannot reach the Compliance API at {api.base_url} "
        "(RemoteProtocolError: Server disconnected without sending a response.): check "
        "CASB_API_BASE_URL (the API root, without /v1/compliance) and the network",
    ]
    assert len(requests) == 3  # the first try and two retries
