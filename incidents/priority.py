"""Priority from impact x urgency through a matrix (ITIL's standard 3x3 by default); no ORM here."""

from __future__ import annotations

from collections.abc import Mapping

from incidents.choices import Level

Matrix = Mapping[tuple[str, str], int]

# ITIL's standard matrix: rows are impact, columns urgency.
DEFAULT_MATRIX: dict[tuple[str, str], int] = {
    (Level.HIGH, Level.HIGH): 1,
    (Level.HIGH, Level.MEDIUM): 2,
    (Level.HIGH, Level.LOW): 3,
    (Level.MEDIUM, Level.HIGH): 2,
    (Level.MEDIUM, Level.MEDIUM): 3,
    (Level.MEDIUM, Level.LOW): 4,
    (Level.LOW, Level.HIGH): 3,
    (Level.LOW, Level.MEDIUM): 4,
    (Level.LOW, Level.LOW): 5,
}

LEVELS = (Level.HIGH, Level.MEDIUM, Level.LOW)


def compute_priority(matrix: Matrix, impact: str, urgency: str) -> int:
    """The priority (1 = highest) for an impact and an urgency; a cell missing from `matrix` falls back to ITIL's."""
    if impact not in LEVELS:
        raise ValueError(f"Unknown impact {impact!r}; expected one of high, medium, low.")
    if urgency not in LEVELS:
        raise ValueError(f"Unknown urgency {urgency!r}; expected one of high, medium, low.")
    return matrix.get((impact, urgency), DEFAULT_MATRIX[(impact, urgency)])


def raised(priority: int) -> int:
    """One step more urgent, never above P1."""
    return max(1, priority - 1)


def lowered(priority: int) -> int:
    """One step less urgent, never below P5."""
    return min(5, priority + 1)
