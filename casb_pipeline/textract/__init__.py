"""Text of uploaded files, generated files, artifacts and project documents.

Formats are detected from the bytes; every file ends ``scanned``, ``not_scanned`` or
``quarantined`` with a reason, and its text comes in located parts (page, sheet,
slide, section, archive member) for the DLP scan.
"""

from casb_pipeline.textract.extract import extract_bytes, extract_file
from casb_pipeline.textract.limits import ExtractLimits
from casb_pipeline.textract.pool import ExtractJob, extract_many
from casb_pipeline.textract.result import (
    NOT_SCANNED,
    QUARANTINED,
    SCANNED,
    Extraction,
    TextPart,
)

__all__ = [
    "NOT_SCANNED",
    "QUARANTINED",
    "SCANNED",
    "ExtractJob",
    "ExtractLimits",
    "Extraction",
    "TextPart",
    "extract_bytes",
    "extract_file",
    "extract_many",
]
