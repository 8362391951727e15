"""Every lake dataset the SQL models read, as ``lake_<name>`` with its declared schema."""

from __future__ import annotations

import pyarrow as pa

from casb_pipeline.compliance import STREAMS, schema
from casb_pipeline.extraction.ledgers import (
    CONTENTS,
    CONTENTS_SCHEMA,
    PROJECT_LISTINGS,
    PROJECT_LISTINGS_SCHEMA,
)
from casb_pipeline.lake import QUARANTINE, TOMBSTONES, Lake
from casb_pipeline.lake.side_tables import QUARANTINE_SCHEMA, TOMBSTONE_SCHEMA
from casb_pipeline.scoring.tables import (
    FINDINGS,
    FINDINGS_SCHEMA,
    SCANS,
    SCANS_SCHEMA,
    TEXT_COVERAGE,
    TEXT_COVERAGE_SCHEMA,
    TEXTS,
    TEXTS_SCHEMA,
)
from casb_pipeline.warehouse.build import LakeSource


def dataset_schemas() -> dict[str, pa.Schema]:
    """Lake dataset folder -> schema."""
    schemas = {name: schema(name) for name in STREAMS}
    schemas.update(
        {
            CONTENTS: CONTENTS_SCHEMA,
            PROJECT_LISTINGS: PROJECT_LISTINGS_SCHEMA,
            TOMBSTONES: TOMBSTONE_SCHEMA,
            QUARANTINE: QUARANTINE_SCHEMA,
            TEXTS: TEXTS_SCHEMA,
            TEXT_COVERAGE: TEXT_COVERAGE_SCHEMA,
            SCANS: SCANS_SCHEMA,
            FINDINGS: FINDINGS_SCHEMA,
        }
    )
    return schemas


def lake_sources(lake: Lake) -> dict[str, LakeSource]:
    """View name (the folder without a leading ``_``) -> its files and schema."""
    return {
        dataset.lstrip("_"): LakeSource(lake.files(dataset), dataset_schema)
        for dataset, dataset_schema in dataset_schemas().items()
    }
