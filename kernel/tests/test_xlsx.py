"""The one Excel writer: streamed, never a formula from data, never a character
that would make openpyxl refuse a row, columns named right past Z."""

import datetime as dt
import io
import tracemalloc
import zoneinfo

import pytest
from openpyxl import load_workbook

from kernel.xlsx import XlsxWriter, clean_text, sheet_title, workbook_bytes, write_workbook, xlsx_response


def _sheet(content: bytes, index: int = 0):
    return load_workbook(io.BytesIO(content)).worksheets[index]


def _one_cell(value):
    return _sheet(workbook_bytes(title="t", headers=["h"], widths=[10], rows=[[value]]))["A2"]


# --- Formula injection (OWASP): = + - @, tab, carriage return; also after leading spaces -------
@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x","点此")',
        "=1+1",
        "+86 138 0013 8000",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\tplain after a tab",
        "\r=1+1",
        "\rplain after a carriage return",
        " =1+1",
        "   +1",
        "\u3000-1",  # after an ideographic space
        "\n@cmd",
    ],
)
def test_text_a_spreadsheet_would_take_for_a_formula_is_written_as_text(text):
    written = _one_cell(text)
    assert written.value == text  # unchanged, not prefixed with a visible apostrophe
    assert written.data_type == "s" and written.quotePrefix  # text, and stays text when edited


@pytest.mark.parametrize("text", ["张三", "a=b", "1-2", "user@example.gov.cn", "", "  leading spaces"])
def test_ordinary_text_is_written_as_it_is(text):
    written = _one_cell(text)
    assert (written.value or "") == text and not written.quotePrefix


def test_numbers_stay_numbers():
    assert _one_cell(-3).value == -3 and _one_cell(-3).data_type == "n"


# --- Characters openpyxl refuses -------------------------------------------------------------
def test_control_characters_never_stop_an_export():
    # Word writes a manual line break as \v; \x1b and \x00 come from pasted terminal output.
    assert _one_cell("张\v三").value == "张\n三"
    assert _one_cell("a\x1bb\x00c\x07").value == "abc"
    assert _one_cell("\x0b=1+1").value == "\n=1+1" and _one_cell("\x0b=1+1").quotePrefix


def test_clean_text_keeps_tabs_and_line_breaks():
    assert clean_text("第一行\n第二行\t完") == "第一行\n第二行\t完"
    assert clean_text("页\f尾") == "页\n尾"


# --- Layout --------------------------------------------------------------------------------
def test_headers_bold_frozen_and_widths_past_column_z():
    headers = [f"列{i}" for i in range(1, 31)]
    widths = list(range(5, 35))
    sheet = _sheet(workbook_bytes(title="台账", headers=headers, widths=widths, rows=[list(range(30))]))
    assert [c.value for c in sheet[1]] == headers and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["Z"].width == 30
    assert sheet.column_dimensions["AA"].width == 31 and sheet.column_dimensions["AD"].width == 34


def test_dates_and_times_have_formats_and_times_are_local(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    utc = dt.datetime(2025, 10, 31, 16, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    sheet = _sheet(workbook_bytes(title="t", headers=["d", "t"], widths=[], rows=[[dt.date(2025, 11, 1), utc]]))
    assert sheet["A2"].number_format == "yyyy-mm-dd" and sheet["A2"].value.isoformat() == "2025-11-01T00:00:00"
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm" and sheet["B2"].value.isoformat() == "2025-11-01T00:30:00"


def test_sheet_titles_drop_what_excel_forbids():
    assert sheet_title("2025/10 [投诉]: 台账?*") == "202510 投诉 台账"
    assert sheet_title("") == "Sheet" and len(sheet_title("长" * 40)) == 31


def test_several_sheets_rows_with_a_height_and_a_sheet_without_header():
    writer = XlsxWriter()
    first = writer.sheet("一", headers=["a"], widths=[10], freeze="B2")
    assert first.append(["x"], height=50) == 2
    about = writer.sheet("关于", widths=[36, 60], freeze=None)
    about.append(["导出时间", "2025-10-31 10:00"])
    book = load_workbook(io.BytesIO(writer.getvalue()))
    assert book.sheetnames == ["一", "关于"]
    assert book["一"].freeze_panes == "B2" and book["一"].row_dimensions[2].height == 50
    assert book["关于"]["A1"].value == "导出时间" and book["关于"].freeze_panes is None


def test_the_download_is_named_for_today(settings):
    response = xlsx_response(b"PK", "complaints")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith('attachment; filename="complaints-20')


# --- Streaming -------------------------------------------------------------------------------
def _peak_mb(n_rows: int, tmp_path) -> float:
    row = ["TS-2025-0000001", dt.date(2025, 10, 1), "窗口工作人员态度恶劣，多次推诿不予办理。", "=1", 3, None]

    def rows():
        for _ in range(n_rows):
            yield list(row)

    tracemalloc.start()
    try:
        written = write_workbook(tmp_path / f"{n_rows}.xlsx", title="t", headers=list("abcdef"), widths=[], rows=rows())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == n_rows
    return peak / 1024 / 1024


def test_memory_does_not_grow_with_the_rows(tmp_path):
    small, large = _peak_mb(500, tmp_path), _peak_mb(10_000, tmp_path)
    print(f"peak for 500 rows: {small:.2f} MB; for 10,000: {large:.2f} MB")
    assert large < small + 2, (small, large)  # twenty times the rows, the same memory
