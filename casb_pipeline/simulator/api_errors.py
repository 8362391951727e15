"""Error responses with the API's statuses, types and literal messages (reference §1.5, §7)."""

from __future__ import annotations


class ApiError(Exception):
    """An HTTP error the server answers with the ``{"error": {...}}`` envelope."""

    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        error_code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.headers = headers or {}
        self.error_code = error_code

    def body(self) -> dict[str, object]:
        error: dict[str, object] = {"type": self.error_type, "message": self.message}
        if self.error_code:
            error["details"] = {"error_code": self.error_code}
        return {"error": error}


def invalid(message: str) -> ApiError:
    return ApiError(400, "invalid_request_error", message)


def not_found(message: str = "Not found") -> ApiError:
    return ApiError(404, "not_found_error", message)


def bad_cursor(name: str) -> ApiError:
    return invalid(f"Invalid pagination cursor for '{name}'")


def bad_page() -> ApiError:
    return invalid("The page parameter is not a valid cursor for this request.")


def missing_scopes(granted: list[str], needed: list[str], *, delete: bool) -> ApiError:
    wanted = f"Needed: {needed!r}" if delete else f"Needed one of: {needed!r}"
    return ApiError(403, "permission_error", f"Missing required scopes. Got: {granted!r} {wanted}")
