"""The Dagster layer: definitions, assets, checks, resources and schedules."""
