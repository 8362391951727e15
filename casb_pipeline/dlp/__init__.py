"""DLP: vectorised detectors, profiles, masking and keyed fingerprints.

Use :func:`scan` on a frame of texts, :func:`scan_parquet` on a file of any
size, :func:`load_policy` for built-in plus custom profiles, and
:func:`hash_edm` for exact-data-match digests.
"""

from casb_pipeline.dlp.edm import hash_edm
from casb_pipeline.dlp.engine import FINDING_SCHEMA, scan
from casb_pipeline.dlp.parquet_scan import ScanSummary, scan_parquet
from casb_pipeline.dlp.policy import AllowEntry, CustomRule, Policy, Profile
from casb_pipeline.dlp.policy_file import load_policy

__all__ = [
    "FINDING_SCHEMA",
    "AllowEntry",
    "CustomRule",
    "Policy",
    "Profile",
    "ScanSummary",
    "hash_edm",
    "load_policy",
    "scan",
    "scan_parquet",
]
