"""What a send did, as data the task prints (``lines()``) and tests inspect."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SendSummary:
    """Counts and per-recipient reasons of one run (live, dry-run or test)."""

    issue_id: str
    subject: str
    provider: str
    mode: str  # "live", "dry-run" or "test"
    round: int = 1
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # address, reason
    deferred: list[tuple[str, str]] = field(default_factory=list)  # address, last error
    uncertain: list[str] = field(default_factory=list)  # fate unknown, not resent
    skipped: list[tuple[str, str]] = field(default_factory=list)  # who/which line, why
    already_sent: int = 0  # recipients a run before this one delivered to (counted as skipped)
    files: list[Path] = field(default_factory=list)  # dry run: the .eml files written
    provider_ids: list[str] = field(default_factory=list)  # e.g. Buttondown's email id
    test_to: str | None = None
    complete: bool = False
    stopped: str | None = None
    elapsed: float = 0.0
    warnings: list[str] = field(default_factory=list)  # printed first, loudly
    notes: list[str] = field(default_factory=list)  # worth knowing, nothing wrong
    frozen: Path | None = None  # where this run froze the issue (first live delivery)
    record: Path | None = None  # the send record written when the issue completed

    @property
    def ok(self) -> bool:
        """True when nothing failed, nothing is uncertain or deferred and the run finished."""
        return not (self.failed or self.deferred or self.uncertain or self.stopped)

    def lines(self) -> list[str]:
        """Human-readable summary: the totals first, then one line per reason."""
        verb = {"live": "sent", "dry-run": "written (dry run)", "test": "test copy sent"}
        done = len(self.files) if self.mode == "dry-run" else len(self.sent)
        skipped = self.already_sent + len(self.skipped)
        head = (
            f"Issue {self.issue_id} ({self.subject!r}) via {self.provider}: "
            f"{verb.get(self.mode, 'sent')} {done}, skipped {skipped}, "
            f"failed {len(self.failed)}"
        )
        if self.deferred:
            head += f", deferred {len(self.deferred)}"
        if self.uncertain:
            head += f", uncertain {len(self.uncertain)}"
        out = [head + f" in {self.elapsed:.1f} s"]
        out += [f"WARNING: {warning}" for warning in self.warnings]
        out += [f"note: {note}" for note in self.notes]
        if self.frozen is not None:
            out.append(f"froze the issue as sent in {_shown(self.frozen)}/")
        if self.mode == "test" and self.test_to:
            out.append(f"test copy to {self.test_to} (not recorded as a subscriber send)")
        if self.files:
            out.append(f"dry run: wrote {len(self.files)} file(s) to {self.files[0].parent}")
        if self.provider_ids:
            out.append(f"{self.provider} id: {', '.join(self.provider_ids)}")
        if self.round > 1:
            out.append(f"round {self.round} (the issue was sent in full before and forced again)")
        if self.already_sent:
            out.append(f"skipped: {self.already_sent} recipient(s): already sent earlier")
        out += [f"skipped: {who}: {why}" for who, why in self.skipped]
        out += [f"failed: {who}: {why}" for who, why in self.failed]
        out += [f"deferred (re-run to retry): {who}: {why}" for who, why in self.deferred]
        if self.uncertain:
            out.append(
                "uncertain (handed over, answer lost; not resent - re-run with "
                "--resend-uncertain to send again): " + ", ".join(self.uncertain)
            )
        if self.stopped:
            out.append(f"stopped: {self.stopped}; re-run to continue where it left off")
        elif self.complete and self.mode == "live":
            out.append("issue complete: every recipient has been handled")
        if self.record is not None:
            folder = _shown(self.record.parent)
            out.append(
                f"send record written to {_shown(self.record)}: commit {folder}/ now "
                f"(git add {folder} && git commit -m 'Newsletter issue sent'), so no other "
                "machine sends this issue again"
            )
        return out


def _shown(path: Path) -> str:
    """A path relative to the current folder when it is inside it (what the editor types)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
