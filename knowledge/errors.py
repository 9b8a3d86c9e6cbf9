"""The one domain error of the knowledge lifecycle."""

from __future__ import annotations


class KnowledgeError(Exception):
    """A change the knowledge lifecycle refuses; `field` names the input at fault when there is one."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field or "non_field_errors": [self.message]}
