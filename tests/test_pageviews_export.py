"""Export files the user drops in: CSV and JSON in the common shapes, bad rows reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from byline.pageviews import PageviewSourceError, read_export

FIXTURES = Path(__file__).parent / "fixtures" / "pageviews"


def test_plausible_style_csv_prefers_pageviews_over_visitors():
    result = read_export(FIXTURES / "export-plausible.csv")
    assert result.views == {
        "/cash-flow-is-a-calendar/": 964,
        "/raise-your-prices-early/": 1581,  # query string dropped, rows merged
        "https://thecounter.example.com/stop-boosting-posts/": 1342,
        "/about/": 702,
    }
    assert result.rows == 5 and result.problems == []


def test_spreadsheet_csv_with_bom_semicolons_separators_and_bad_rows():
    path = FIXTURES / "export-ga.csv"
    result = read_export(path)
    assert result.views == {
        "/late-payers-are-a-process-problem/": 1893,
        "/say-no-to-friday-deadlines/index.html": 1107,
        "/hire-for-the-second-year/": 781,
    }
    assert result.bad_rows == 2
    assert result.problems == [
        f"{path} line 4: 'Total' is not a page path or URL",
        f"{path} line 5: count 'seven' is not a whole number >= 0",
    ]


def test_json_list_of_objects_with_mixed_key_names():
    path = FIXTURES / "export-list.json"
    result = read_export(path)
    assert result.views == {
        "/cash-flow-is-a-calendar/": 1000,
        "https://thecounter.example.com/hire-for-the-second-year/": 781,
    }
    assert result.problems == [
        f"{path} item 4: count -4 is not a whole number >= 0",
        f"{path} item 5: expected an object, found str",
    ]


def test_json_map_and_wrapped_shapes(tmp_path):
    assert read_export(FIXTURES / "export-map.json").views == {
        "/cash-flow-is-a-calendar/": 964,
        "/raise-your-prices-early/": 377,
        "/about/": 12,
    }
    wrapped = tmp_path / "export.json"
    wrapped.write_text('{"results": [{"Path": "/a/", "Visitors": 3}]}', encoding="utf-8")
    assert read_export(wrapped).views == {"/a/": 3}
    snapshot_like = tmp_path / "snap.json"
    snapshot_like.write_text('{"source": "x", "views": {"/b/": 2}}', encoding="utf-8")
    assert read_export(snapshot_like).views == {"/b/": 2}


def test_json_export_with_a_csv_name_is_still_read(tmp_path):
    path = tmp_path / "pageviews-export.csv"
    shutil.copy(FIXTURES / "export-map.json", path)
    assert read_export(path).views["/about/"] == 12


def test_tab_separated_and_case_insensitive_headers(tmp_path):
    path = tmp_path / "export.tsv"
    path.write_text("URL\tCOUNT\n/a/\t4\n/b/\t1_000\n", encoding="utf-8")
    assert read_export(path).views == {"/a/": 4, "/b/": 1000}


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "is empty"),
        ("title,hits\n/a/,1\n", "needs a path column"),
        ("path,views\nTotal,4\n", "has no usable rows .*line 2: 'Total'"),
        ('{"a": ', "not valid JSON \\(line 1"),
        ("42", "needs a path column"),
        ("[1, 2]", "has no usable rows .*item 1: expected an object"),
    ],
)
def test_unusable_exports_are_errors(tmp_path, text, message):
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PageviewSourceError, match=message):
        read_export(path)


def test_missing_and_undecodable_files(tmp_path):
    with pytest.raises(PageviewSourceError, match="not found.*BYLINE_PAGEVIEWS_FILE"):
        read_export(tmp_path / "nope.csv")
    path = tmp_path / "latin1.csv"
    path.write_bytes("path,views\n/caf\xe9/,1\n".encode("latin-1"))
    with pytest.raises(PageviewSourceError, match="UTF-8"):
        read_export(path)


def test_a_broken_url_in_an_export_is_a_bad_row_not_a_crash(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("path,views\nhttp://[shop/sale/,3\n/about/,2\n", encoding="utf-8")
    result = read_export(path)
    assert result.views == {"/about/": 2}
    assert result.problems == [f"{path} line 2: 'http://[shop/sale/' is not a page path or URL"]
