"""What ``newsletter.send`` (and ``python -m byline.sending``) exits with, in one place.

A script or a CI job must be able to tell "every reader has it" from "some readers do
not", and a refusal (nothing happened, fix something first) from a send that stopped
half-way. The README lists these codes; keep the two in step.
"""

from __future__ import annotations

from enum import IntEnum

from .errors import ConfirmationRequired, SendCancelled, SendError, SendStopped
from .summary import SendSummary


class ExitCode(IntEnum):
    """One code per outcome; when several readers' outcomes mix, the highest wins."""

    OK = 0  # every reader got the issue (a dry run or a test copy: done as asked)
    NOT_SENT = 1  # nothing (more) was sent: cancelled, no confirmation, login refused, stopped
    REFUSED = 2  # refused before sending: settings, manifest, links not public, unsendable,
    #              already sent, another send running
    DEFERRED = 3  # some readers were postponed by temporary failures: run it again
    FAILED = 4  # some readers were refused for good: see the summary, then --retry-failed
    UNCERTAIN = 5  # some readers' fate is unknown (a crash or a lost answer): decide, then
    #                --resend-uncertain


def for_summary(summary: SendSummary) -> ExitCode:
    """The code of a run that got as far as a summary (finished or stopped part-way)."""
    if summary.uncertain:
        return ExitCode.UNCERTAIN
    if summary.failed:
        return ExitCode.FAILED
    if summary.deferred:
        return ExitCode.DEFERRED
    if summary.stopped:
        return ExitCode.NOT_SENT
    return ExitCode.OK


def for_error(error: SendError) -> ExitCode:
    """The code of a run that ended with an exception from ``send_issue``."""
    if isinstance(error, SendStopped):
        code = for_summary(error.summary) if error.summary is not None else ExitCode.NOT_SENT
        return code if code != ExitCode.OK else ExitCode.NOT_SENT
    if isinstance(error, (SendCancelled, ConfirmationRequired)):
        return ExitCode.NOT_SENT
    return ExitCode.REFUSED
