"""Client of the Claude Compliance API: auth, pagination, retries, typed records.

``ComplianceClient`` is the entry point; ``schemas`` gives the lake schema of
every stream and turns records into Arrow tables.
"""

from casb_pipeline.compliance.client import ComplianceClient
from casb_pipeline.compliance.downloads import Download, safe_filename
from casb_pipeline.compliance.errors import (
    ApiNotEnabledError,
    AuthenticationError,
    ChecksumMismatch,
    ComplianceApiError,
    ConflictError,
    ContentTooLarge,
    InvalidRequestError,
    MalformedRecord,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitedError,
    ServerError,
)
from casb_pipeline.compliance.ratelimit import RateLimiter
from casb_pipeline.compliance.records import (
    Activity,
    Artifact,
    ArtifactContent,
    Chat,
    ChatFile,
    ChatMessage,
    ChatWithMessages,
    DeleteResult,
    GeneratedFile,
    Organization,
    Project,
    ProjectAttachment,
    ProjectCollaborator,
    ProjectDocument,
    ProjectDocumentContent,
    User,
)
from casb_pipeline.compliance.schemas import STREAMS, records_to_table, schema
from casb_pipeline.compliance.stats import RequestStats

__all__ = [
    "STREAMS",
    "Activity",
    "ApiNotEnabledError",
    "Artifact",
    "ArtifactContent",
    "AuthenticationError",
    "Chat",
    "ChatFile",
    "ChatMessage",
    "ChatWithMessages",
    "ChecksumMismatch",
    "ComplianceApiError",
    "ComplianceClient",
    "ConflictError",
    "ContentTooLarge",
    "DeleteResult",
    "Download",
    "GeneratedFile",
    "InvalidRequestError",
    "MalformedRecord",
    "MalformedResponseError",
    "NetworkError",
    "NotFoundError",
    "Organization",
    "PaginationError",
    "PermissionDeniedError",
    "Project",
    "ProjectAttachment",
    "ProjectCollaborator",
    "ProjectDocument",
    "ProjectDocumentContent",
    "RateLimitedError",
    "RateLimiter",
    "RequestStats",
    "ServerError",
    "User",
    "records_to_table",
    "safe_filename",
    "schema",
]
