"""The one domain error type of the incident lifecycle."""

from __future__ import annotations


class IncidentError(Exception):
    """A change the lifecycle refuses; `field` names the input at fault when there is one."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [self.message]}


class StaleVersionError(IncidentError):
    """Someone else changed the incident since the writer read it."""

    def __init__(self, *, expected: int, current: int):
        super().__init__(
            f"The incident was changed by someone else (your version {expected}, current {current}). "
            "Reload it and apply your change again.",
            field="version",
            code="stale",
        )
        self.expected = expected
        self.current = current
