"""The client-side budget: token bucket pacing, server holds, sharing between clients."""

from __future__ import annotations

import bisect
import time
from datetime import UTC, datetime, timedelta

import pytest
from fake_compliance_api import Reply

from casb_pipeline.compliance import RateLimiter


class FakeTime:
    """A clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.wall = datetime(2026, 10, 2, 12, 0, tzinfo=UTC)

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.wall += timedelta(seconds=seconds)

    def limiter(self, rpm: int, **options: float) -> RateLimiter:
        return RateLimiter(
            rpm, clock=lambda: self.now, sleep=self.sleep, wall_clock=lambda: self.wall, **options
        )


@pytest.mark.parametrize("rpm", [60, 480, 600])
def test_no_minute_ever_exceeds_the_budget_plus_burst(rpm):
    clock = FakeTime()
    limiter = clock.limiter(rpm)
    sent = []
    while clock.now < 180:
        limiter.acquire()
        sent.append(clock.now)
    burst = max(1, rpm // 10)
    for start, at in enumerate(sent):
        in_window = bisect.bisect_left(sent, at + 60) - start
        assert in_window <= rpm + burst
    # and the long-run rate is the configured one
    assert len(sent) == pytest.approx(rpm * 3 + burst, abs=2)


def test_zero_rpm_never_waits_on_its_own():
    clock = FakeTime()
    limiter = clock.limiter(0)
    for _ in range(10_000):
        assert limiter.acquire() == 0.0
    assert clock.now == 0.0


def test_hold_stops_everyone_and_is_capped():
    clock = FakeTime()
    limiter = clock.limiter(0, max_hold=30.0)
    limiter.hold(5.0)
    assert limiter.acquire() == pytest.approx(5.0)
    limiter.hold(3600.0)
    assert limiter.acquire() == pytest.approx(30.0)


def test_exhausted_remaining_holds_until_reset_time():
    clock = FakeTime()
    limiter = clock.limiter(0)
    reset = (clock.wall + timedelta(seconds=12)).isoformat()
    limiter.observe(
        {"anthropic-ratelimit-requests-remaining": "5", "anthropic-ratelimit-requests-reset": reset}
    )
    assert limiter.acquire() == 0.0
    limiter.observe(
        {"anthropic-ratelimit-requests-remaining": "0", "anthropic-ratelimit-requests-reset": reset}
    )
    assert limiter.acquire() == pytest.approx(12.0)
    limiter.observe(
        {
            "anthropic-ratelimit-requests-remaining": "0",
            "anthropic-ratelimit-requests-reset": "not a time",
        }
    )
    assert limiter.acquire() == 0.0


def test_two_clients_sharing_a_limiter_share_one_budget(api, make_client):
    api.route("GET", r"/v1/compliance/apps/chats/files/[^/]+", Reply(json={"id": "x"}))
    shared = RateLimiter(600)  # burst 60, then 10 per second
    one = make_client(rate_limiter=shared)
    two = make_client(rate_limiter=shared)
    started = time.monotonic()
    for index in range(33):
        one.file_metadata(f"a{index}")
        two.file_metadata(f"b{index}")
    elapsed = time.monotonic() - started
    # 66 requests from a full bucket of 60 refilling at 10/s take at least 0.6 s,
    # although each client alone (33 requests) would fit in its own burst
    assert elapsed >= 0.55
    assert one.stats.snapshot()["rate_limit_wait_seconds"] > 0
    assert two.stats.snapshot()["rate_limit_wait_seconds"] > 0
