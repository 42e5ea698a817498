"""``python -m byline.sending MANIFEST --settings settings.json``: the sender without invoke.

Used by the tests (a real process to kill) and handy on a server without the site's
Python settings. Secrets still come from the environment. It shares ``cli.run`` with
``invoke newsletter.send``: the same confirmation and the same exit codes
(``exitcodes.ExitCode``: 0 all delivered, 1 nothing (more) sent, 2 refused, 3 readers
deferred, 4 readers failed, 5 readers uncertain).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .cli import SendOptions, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m byline.sending", description=__doc__)
    parser.add_argument("manifest", type=Path, help="public/newsletter/<n>/manifest.json")
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
    options = SendOptions(
        dry_run=args.dry_run,
        dry_run_dir=args.dry_run_dir,
        test_to=args.test_to,
        resend_uncertain=args.resend_uncertain,
        retry_failed=args.retry_failed,
        force=args.force,
        yes=args.yes,
        progress=not args.no_progress,
    )
    code = run(
        args.manifest,
        settings,
        os.environ,
        options,
        base_dir=args.base_dir,
        prog="python -m byline.sending",
    )
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
