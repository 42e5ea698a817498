"""A one-line progress display on stderr: counts, rate and time left.

Plain text rather than ``rich`` so it costs nothing to import and degrades well: on a
terminal the line is redrawn in place (at most 5 times a second); elsewhere (CI logs, a
pipe) a line is printed every 10% so logs stay short.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    def __init__(
        self,
        total: int,
        *,
        label: str = "sending",
        stream: TextIO | None = None,
        enabled: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and total > 0
        self.clock = clock
        self.start = clock()
        self.done = self.sent = self.failed = self.other = 0
        self._last_draw = 0.0
        self._last_decile = -1
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def update(self, outcome: str) -> None:
        """Count one recipient handled: "sent", "failed" or anything else (deferred...)."""
        self.done += 1
        if outcome == "sent":
            self.sent += 1
        elif outcome == "failed":
            self.failed += 1
        else:
            self.other += 1
        self._draw()

    def text(self) -> str:
        elapsed = max(self.clock() - self.start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        minutes, seconds = divmod(int(left + 0.5), 60)
        return (
            f"{self.label}: {self.done}/{self.total} · sent {self.sent} · failed {self.failed}"
            f" · other {self.other} · {rate:.1f}/s · ~{minutes}:{seconds:02d} left"
        )

    def _draw(self) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if self._tty:
            if now - self._last_draw >= 0.2 or self.done == self.total:
                self._last_draw = now
                self.stream.write("\r" + self.text() + "\x1b[K")
                self.stream.flush()
        else:
            decile = self.done * 10 // self.total
            if decile != self._last_decile:
                self._last_decile = decile
                self.stream.write(self.text() + "\n")
                self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._tty:
            self.stream.write("\n")
            self.stream.flush()
