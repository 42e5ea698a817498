"""``python -m byline.sending MANIFEST --settings settings.json``: the sender without invoke.

Used by the tests (a real process to kill) and handy on a server without the site's
Python settings. Secrets still come from the environment. Exit codes: 0 done, 1 stopped or
refused, 2 finished with failures, uncertain or deferred recipients, 130 cancelled.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import SendCancelled, SendError, SendStopped, send_issue


def _ask(text: str) -> bool:
    print(text, file=sys.stderr)
    if not sys.stdin.isatty():
        return False
    return input("Type 'send' to go ahead: ").strip().lower() == "send"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m byline.sending", description=__doc__)
    parser.add_argument("manifest", type=Path, help="output/newsletter/<n>/manifest.json")
    parser.add_argument("--settings", type=Path, help="JSON file with BYLINE_SEND_* keys")
    parser.add_argument("--base-dir", type=Path, default=Path("."), help="project folder")
    parser.add_argument("--dry-run", action="store_true", help="write .eml files, send nothing")
    parser.add_argument("--dry-run-dir", type=Path, help="where the .eml files go")
    parser.add_argument("--test-to", metavar="ADDRESS", help="send one copy to ADDRESS only")
    parser.add_argument("--resend-uncertain", action="store_true")
    parser.add_argument("--retry-failed", action="store_true")
    parser.add_argument("--force", action="store_true", help="send a fully sent issue again")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)
    settings = json.loads(args.settings.read_text(encoding="utf-8")) if args.settings else {}
    try:
        summary = send_issue(
            args.manifest,
            settings,
            os.environ,
            base_dir=args.base_dir,
            dry_run=args.dry_run,
            dry_run_dir=args.dry_run_dir,
            test_to=args.test_to,
            resend_uncertain=args.resend_uncertain,
            retry_failed=args.retry_failed,
            force=args.force,
            yes=args.yes,
            confirm=None if args.yes else _ask,
            progress=not args.no_progress,
        )
    except SendCancelled as error:
        print(error, file=sys.stderr)
        return 130
    except SendStopped as error:
        if error.summary is not None:
            print("\n".join(error.summary.lines()))
        print(f"send: {error}", file=sys.stderr)
        return 1
    except SendError as error:
        print(f"send: {error}", file=sys.stderr)
        return 1
    print("\n".join(summary.lines()))
    return 0 if summary.ok else 2


if __name__ == "__main__":
    sys.exit(main())
