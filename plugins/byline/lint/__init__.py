"""Content lint: catch text damaged by word processors and CMS exports before it is published.

Pure Python (no Pelican imports): ``invoke lint`` and the build hook are thin glue over
``lint_site``, ``format_findings``, ``exit_code`` and ``fix_site``/``fix_file``.

Findings print like a compiler's, ``content/x.md:12:34: E101 message``; line and column are
1-based, count the metadata header, and point at the damaged character itself. Nothing
inside code spans or code blocks is checked, and URLs, e-mail addresses, HTML tags, @handles
and #hashtags are never read as prose. The findings already include what one safe repair
uncovers behind another (``repairs``), and ``--fix`` makes exactly their edits, so it never
changes what the report did not show.

| code | severity | check | `--fix` |
|---|---|---|---|
| E101 | error | apostrophe typed as a question mark: "doesn?t", "we?re", "O?Brien" | yes |
| E102 | error | question mark turned into a closing quote: "Isn't that the point”" | yes |
| E103 | error | word run into a brand name: "onFacebook", "viaLinkedIn" | |
| E104 | error | mojibake (UTF-8 read as Windows-1252): "Ã©", "â€™", "â€œ", stray "Â" | yes |
| E105 | error | replacement character U+FFFD (fixed only where it stands for an apostrophe) | yes |
| E106 | error | control character (C1: a Windows-1252 quote or dash read as Latin-1) | yes |
| E107 | error | double-escaped HTML entity: "&amp;rsquo;" shows as "&rsquo;" | yes |
| E108 | error | byte that is not UTF-8 (read as Windows-1252; saving as UTF-8 fixes it) | yes |
| W201 | warning | Title longer than BYLINE_LINT_TITLE_MAX (65) characters | |
| E202 | error | missing Summary (the standfirst is the meta description) | |
| E203 | error | Summary longer than BYLINE_LINT_SUMMARY_MAX (160) characters | |
| E204 | error | missing Title | |
| E205 | error | Image set without Image_alt | |
| E206 | error | Image set without Image_credit | |
| E207 | error | body image without alt text: `![](x.jpg)`, or `<img>` with no alt attribute | |
| E208 | error | `{filename}`/`{static}`/`{attach}` link to a file that does not exist | |
| E209 | error | relative link to a slug that is no post or page: `[x](/no-such-post/)` | |
| E210 | error | Author (or an Authors name) not in authors.toml | |
| E211 | error | duplicate slug: two files publish at the same address | |
| E212 | error | Date in the future on a post that is not `Status: draft` | |
| E213 | error | malformed Date or Modified | |
| E214 | error | missing Date (posts; pages need none) | |
| W215 | warning | Modified earlier than Date | |
| W216 | warning | TODO left in a post that is not a draft | |
| E217 | error | a placeholder `invoke new-post` wrote, left in a post that is not a draft | |
| E218 | error | `Image:` names a file that is not in the content folder (not a draft) | |
| W301 | warning | `Lint_disable:` names a code that does not exist | |

Settings (pelicanconf.py), with defaults:

| setting | default | what it does |
|---|---|---|
| `BYLINE_LINT_DISABLE` | `[]` | codes never reported; a prefix such as `"W2"` covers a family |
| `BYLINE_LINT_SUMMARY_MAX` | `160` | E203's limit, in characters |
| `BYLINE_LINT_TITLE_MAX` | `65` | W201's limit, in characters |
| `BYLINE_LINT_BRANDS` | `[]` | more brand names for E103, added to the built-in list |
| `BYLINE_LINT_EXCLUDE` | `[]` | globs (relative to content/) of files not to lint |
| `BYLINE_LINT_KNOWN_PATHS` | `[]` | top-level paths E209 accepts besides slugs, e.g. `["shop"]` |

Per post: ``Lint: off`` skips the file; ``Lint_disable: W201, E101`` skips those codes.
"""

from __future__ import annotations

from .codes import CODES, SAFE_CODES, codes_table
from .config import LintConfig, LintConfigError
from .fixes import apply_fixes, fix_file, fix_site, fix_text
from .index import SiteIndex
from .model import Finding
from .report import exit_code, format_finding, format_findings, format_summary
from .site import build_index, lint_file, lint_site, lint_text, sources

__all__ = [
    "CODES",
    "SAFE_CODES",
    "Finding",
    "LintConfig",
    "LintConfigError",
    "SiteIndex",
    "apply_fixes",
    "build_index",
    "codes_table",
    "exit_code",
    "fix_file",
    "fix_site",
    "fix_text",
    "format_finding",
    "format_findings",
    "format_summary",
    "lint_file",
    "lint_site",
    "lint_text",
    "sources",
]
