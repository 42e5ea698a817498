"""Work out every safe repair before anything is reported, so the report and ``--fix`` agree.

One repair can uncover the next: "Doesn?t that matter”" only reads as a question once
"Doesn?t" is "Doesn't", and the mojibake "â€?" only becomes a stray "”" once decoded. If
the report showed only what the first look finds, ``--fix`` would change text the report
never mentioned. So the linter repairs a copy in stages (characters first, then question
marks, which need the words of the sentence to read right), lints the copy again after each
round, and maps every repair back to the file as written.

The findings that come out are the ones ``invoke lint`` prints, and their fixes are the
only edits ``--fix`` makes; repairs that touch the same characters are merged into one
edit that every finding involved carries, so applying them once gives the final text.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import replace

from .model import Finding

MAX_ROUNDS = 12

# E102 reads whole sentences, so it waits for every character repair (E101, E104-E108);
# those go together, with the apostrophe style of the post as written.
_LATER = frozenset({"E102"})

Span = tuple[int, int]  # [start, end) in the text as written


def line_offsets(text: str) -> list[int]:
    """Offset of each line's first character; lines end at "\\n" as findings count them."""
    offsets = [0]
    for line in text.split("\n")[:-1]:
        offsets.append(offsets[-1] + len(line) + 1)
    return offsets


def finding_span(finding: Finding, text: str, offsets: list[int]) -> Span | None:
    """The characters of ``text`` a fixable finding would replace, or None if it changes none."""
    if not finding.fixable or not 1 <= finding.line <= len(offsets):
        return None
    start = offsets[finding.line - 1] + finding.column - 1
    end = start + finding.length
    if start < 0 or end > len(text) or text[start:end] == finding.fix:
        return None  # e.g. E108: the character is right, only the file's encoding changes
    return start, end


def _stage(code: str) -> int:
    return 1 if code in _LATER else 0


def _pick(findings: list[Finding], text: str) -> list[tuple[int, int, Finding]]:
    """The edits of the earliest stage that has any, left to right, none overlapping."""
    offsets = line_offsets(text)
    edits = []
    for finding in findings:
        span = finding_span(finding, text, offsets)
        if span is not None:
            edits.append((*span, finding))
    if not edits:
        return []
    stage = min(_stage(finding.code) for _, _, finding in edits)
    chosen: list[tuple[int, int, Finding]] = []
    end_of_last = 0
    for start, end, finding in sorted(
        (edit for edit in edits if _stage(edit[2].code) == stage),
        key=lambda edit: (edit[0], edit[1], edit[2].code),
    ):
        if start >= end_of_last:  # an overlapping one comes back in the next round if real
            chosen.append((start, end, finding))
            end_of_last = end
    return chosen


def settle(
    text: str, findings: list[Finding], relint: Callable[[str], list[Finding]]
) -> list[Finding]:
    """``findings`` with the safe repairs replaced by every repair ``--fix`` will make.

    ``text`` is the post as the findings count it (no BOM); ``relint`` lints a repaired copy
    with the same settings. Findings that change nothing stay exactly as they were.
    """
    chosen = _pick(findings, text)
    if not chosen:  # nothing to repair (most posts): no character map to build
        return list(findings)
    offsets = line_offsets(text)
    kept = [finding for finding in findings if finding_span(finding, text, offsets) is None]
    current = text
    origin: list[Span] = [(index, index + 1) for index in range(len(text))]
    applied: list[tuple[int, int, Finding]] = []
    for _ in range(MAX_ROUNDS):
        if not chosen:
            break
        pieces: list[str] = []
        new_origin: list[Span] = []
        position = 0
        for start, end, finding in chosen:
            pieces.append(current[position:start])
            new_origin.extend(origin[position:start])
            span = (origin[start][0], origin[end - 1][1])
            applied.append((*span, finding))
            pieces.append(finding.fix or "")
            new_origin.extend([span] * len(finding.fix or ""))
            position = end
        pieces.append(current[position:])
        new_origin.extend(origin[position:])
        current, origin = "".join(pieces), new_origin
        chosen = _pick(relint(current), current)
    return kept + _as_written(text, current, origin, applied)


def _as_written(
    text: str, final: str, origin: list[Span], applied: list[tuple[int, int, Finding]]
) -> list[Finding]:
    """Each applied repair as a finding on the file as written, overlapping ones merged."""
    clusters: list[list[int]] = []
    for start, end, _ in sorted(applied, key=lambda item: (item[0], item[1])):
        if clusters and start < clusters[-1][1]:
            clusters[-1][1] = max(clusters[-1][1], end)
        else:
            clusters.append([start, end])
    starts = [start for start, _ in clusters]
    # Repairs keep the order of the text, so the origins' starts never go down: the
    # characters that came from one cluster are one slice of the final text.
    lows = [low for low, _ in origin]
    replacement = [
        final[bisect_left(lows, low) : bisect_left(lows, high)] for low, high in clusters
    ]
    offsets = line_offsets(text)
    found = []
    for start, _, finding in applied:
        index = bisect_right(starts, start) - 1
        low, high = clusters[index]
        line = bisect_right(offsets, low) - 1
        found.append(
            replace(
                finding,
                line=line + 1,
                column=low - offsets[line] + 1,
                fix=replacement[index],
                length=high - low,
            )
        )
    return found
