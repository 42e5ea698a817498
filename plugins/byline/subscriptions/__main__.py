"""``python -m byline.subscriptions --settings settings.json``: the service without invoke
(a real process for the tests to kill, or a server without the site's Python settings).
Secrets come from the environment, as always."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..errors import BylineError
from .serve import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m byline.subscriptions", description=__doc__)
    parser.add_argument("--settings", type=Path, required=True, help="JSON file of settings")
    parser.add_argument("--base-dir", type=Path, default=Path("."), help="project folder")
    parser.add_argument("--host", default="", help="default: BYLINE_SUBSCRIPTIONS_HOST")
    parser.add_argument("--port", type=int, default=0, help="default: BYLINE_SUBSCRIPTIONS_PORT")
    args = parser.parse_args(argv)
    settings = json.loads(args.settings.read_text(encoding="utf-8"))
    try:
        serve(settings, os.environ, args.base_dir, host=args.host, port=args.port)
    except BylineError as error:
        print(f"subscriptions: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
