"""Extraction of each Compliance API stream into the lake (no Dagster here)."""
