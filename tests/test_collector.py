"""The collector and a big site: what was read is frozen while pages are written (so the
collector stops walking it again and again), and it is all given back when the build ends,
so a long-running `pelican --autoreload` does not keep dead builds in memory."""

from __future__ import annotations

import gc

from pelican import signals

POST = (
    "Title: Closing the books early\nDate: 2026-08-25 09:00\nAuthor: Priya Nair\n"
    "Category: Money\nSummary: Why the books close early.\n\nThe ledger closes on Friday.\n"
)


def test_the_read_site_is_frozen_while_pages_are_written_and_thawed_after(site):
    written: list[tuple[int, bool]] = []

    def note(path, context=None):
        written.append((gc.get_freeze_count(), gc.isenabled()))

    signals.content_written.connect(note)
    try:
        for _ in range(2):  # a second build in the same process, as autoreload runs it
            site({"books.md": POST, "ledger.md": POST.replace("Closing", "Opening")})
            assert gc.get_freeze_count() == 0, "the build left objects frozen"
            assert gc.isenabled()
    finally:
        signals.content_written.disconnect(note)
    assert len(written) > 10
    # every page was written with the read site frozen and the collector on for the rest
    assert all(frozen > 1000 and enabled for frozen, enabled in written), written[:3]
