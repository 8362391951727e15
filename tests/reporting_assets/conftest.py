"""The extraction tests' simulator and pipeline fixtures, for runs of the whole graph."""

from tests.extraction.conftest import pipeline, simulator

__all__ = ["pipeline", "simulator"]
