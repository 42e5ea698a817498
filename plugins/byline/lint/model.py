"""The one result type every check returns, so the report, the fixer and the build share it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .codes import SAFE_CODES


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place: ``path:line:column: CODE message``.

    ``line`` and ``column`` are 1-based and count the metadata header, so an editor jumps
    straight to the damaged character. ``fix`` is the suggested replacement for the
    ``length`` characters starting there (None when there is nothing sensible to suggest).
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: str  # "error" or "warning"
    fix: str | None = field(default=None, compare=False)
    length: int = field(default=0, compare=False)  # characters ``fix`` replaces

    @property
    def fixable(self) -> bool:
        """Whether ``--fix`` applies this one unasked (a safe code with a real replacement)."""
        return self.fix is not None and self.code in SAFE_CODES and self.length > 0
