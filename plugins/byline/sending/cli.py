"""The one command line behind ``invoke newsletter.send`` and ``python -m byline.sending``.

Both hand their flags to ``run`` as ``SendOptions``, so they confirm the same way, print
the same summary and exit with the same code (``exitcodes.ExitCode``). Only how the
options are spelt differs (invoke's task signature, argparse here).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import SendError, SendStopped
from .exitcodes import ExitCode, for_error, for_summary
from .send import SendOptions, send_issue


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
        if not options.yes and options.confirm is None:
            options = replace(options, confirm=ask)
        summary = send_issue(
            manifest,
            settings,
            environ,
            replace(options, test_to=options.test_to or None),
            base_dir=base_dir,
        )
    except SendError as error:
        if isinstance(error, SendStopped) and error.summary is not None:
            print("\n".join(error.summary.lines()))
        print(f"{prog}: {error}", file=sys.stderr)
        return for_error(error)
    print("\n".join(summary.lines()))
    return for_summary(summary)
