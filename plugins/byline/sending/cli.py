"""The one command line behind ``invoke newsletter.send`` and ``python -m byline.sending``.

Both hand their flags to ``run`` as ``SendOptions``, so they confirm the same way, print
the same summary and exit with the same code (``exitcodes.ExitCode``). Only how the
options are spelt differs (invoke's task signature, argparse here).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import SendError, SendStopped
from .exitcodes import ExitCode, for_error, for_summary
from .send import send_issue


@dataclass(frozen=True)
class SendOptions:
    """The flags of a send, as both command lines spell them."""

    dry_run: bool = False
    dry_run_dir: Path | None = None
    test_to: str | None = None
    resend_uncertain: bool = False
    retry_failed: bool = False
    force: bool = False
    yes: bool = False
    progress: bool = True


def ask(text: str) -> bool:
    """Show what is about to happen; go ahead only on a typed 'send' (no answer means no)."""
    print(text, flush=True)
    try:
        return input("Type 'send' to go ahead: ").strip().lower() == "send"
    except EOFError:  # nobody at the keyboard: never send by default
        print(file=sys.stdout)
        return False


def run(
    manifest: Path,
    settings: Mapping[str, Any],
    environ: Mapping[str, str],
    options: SendOptions,
    *,
    base_dir: Path,
    prog: str = "newsletter.send",
) -> ExitCode:
    """Send (or dry-run, or test-send) and print the outcome; return the exit code."""
    try:
        summary = send_issue(
            manifest,
            settings,
            environ,
            base_dir=base_dir,
            dry_run=options.dry_run,
            dry_run_dir=options.dry_run_dir,
            test_to=options.test_to or None,
            resend_uncertain=options.resend_uncertain,
            retry_failed=options.retry_failed,
            force=options.force,
            yes=options.yes,
            confirm=None if options.yes else ask,
            progress=options.progress,
        )
    except SendError as error:
        if isinstance(error, SendStopped) and error.summary is not None:
            print("\n".join(error.summary.lines()))
        print(f"{prog}: {error}", file=sys.stderr)
        return for_error(error)
    print("\n".join(summary.lines()))
    return for_summary(summary)
