import csv
import io
from datetime import date

import pytest

from apec_app.domain.decisions_csv import (
    MAX_BYTES,
    MAX_ROWS,
    TEMPLATE_HEADER,
    DecisionRow,
    RowError,
    parse_decisions,
    template_csv,
)
from apec_app.domain.economies import APEC_ECONOMIES
from apec_app.ui_text import MESSAGES
from apec_app.ui_text.decisions import REVIEW_MESSAGES
from apec_app.ui_text.person import PERSON_MESSAGES
from apec_app.ui_text.uploads import UPLOAD_MESSAGES

TODAY = date(2025, 6, 15)
HEADER = "申请单号,护照号码,经济体,审核结果,审核日期"


def parse(text: str, encoding: str = "utf-8"):
    return parse_decisions(text.encode(encoding), economies=APEC_ECONOMIES, today=TODAY)


def lines(*rows: str) -> str:
    return "\r\n".join([HEADER, *rows]) + "\r\n"


def codes(result) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.code) for e in result.errors]


GOOD_FILE = lines(
    "APEC20250102000001,E12345678,日本,批准,2025-03-01",
    " apec20250102000001 , e12345678 ,SG, 拒绝 ,2025/3/2",
    "APEC20250102000002,SE1234567,Republic of Korea,approved,2025-03-03",
    "APEC20250102000002,SE1234567,中国台北,REFUSED,2025-06-15",
)
EXPECTED = [
    DecisionRow(2, "APEC20250102000001", "E12345678", "JP", "approved", date(2025, 3, 1)),
    DecisionRow(3, "APEC20250102000001", "E12345678", "SG", "refused", date(2025, 3, 2)),
    DecisionRow(4, "APEC20250102000002", "SE1234567", "KR", "approved", date(2025, 3, 3)),
    DecisionRow(5, "APEC20250102000002", "SE1234567", "TW", "refused", date(2025, 6, 15)),
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_a_good_file_in_each_encoding_excel_writes(encoding):
    result = parse(GOOD_FILE, encoding)
    assert result.errors == []
    assert result.rows == EXPECTED


def test_gbk_bytes_really_are_not_utf8():
    with pytest.raises(UnicodeDecodeError):
        GOOD_FILE.encode("gbk").decode("utf-8")


def test_template_parses_as_one_good_row():
    text = template_csv()
    assert text.splitlines()[0] == HEADER == ",".join(TEMPLATE_HEADER)
    result = parse_decisions(text.encode("utf-8-sig"), economies=APEC_ECONOMIES, today=TODAY)
    assert result.errors == []
    assert [(r.number, r.economy_code, r.decision) for r in result.rows] == [("APEC20221026000029", "JP", "approved")]


def test_blank_lines_are_skipped_but_keep_spreadsheet_line_numbers():
    text = lines("", "APEC20250102000001,E12345678,日本,批准,2025-03-01", ",,,,", "   ", "X,E1,日本,批准,2025-03-01")
    result = parse(text)
    assert [r.line for r in result.rows] == [3]
    assert codes(result) == [(6, "申请单号", "application_number_format")]


def test_a_quoted_cell_across_lines_is_one_spreadsheet_row():
    text = lines(
        'APEC20250102000001,"E12345678",日本,批准,2025-03-01',
        '"APEC2025\n0102000001",E1,日本,批准,2025-03-01',
        "APEC20250102000003,E1,火星,批准,2025-03-01",
    )
    result = parse(text)
    assert codes(result) == [(3, "申请单号", "application_number_format"), (4, "经济体", "economy_unknown")]


def test_trailing_empty_columns_from_excel_are_ignored():
    text = HEADER + ",,\r\nAPEC20250102000001,E12345678,日本,批准,2025-03-01,,\r\n"
    result = parse(text)
    assert result.errors == []
    assert len(result.rows) == 1


@pytest.mark.parametrize(
    ("row", "column", "code", "value"),
    [
        (",E1,日本,批准,2025-03-01", "申请单号", "required", ""),
        ("APEC2025010200001,E1,日本,批准,2025-03-01", "申请单号", "application_number_format", "APEC2025010200001"),
        ("APEC202501020000011,E1,日本,批准,2025-03-01", "申请单号", "application_number_format", "APEC202501020000011"),
        ("ABTC20250102000001,E1,日本,批准,2025-03-01", "申请单号", "application_number_format", "ABTC20250102000001"),
        ("APEC20251302000001,E1,日本,批准,2025-03-01", "申请单号", "application_number_format", "APEC20251302000001"),
        ("APEC20250102000001,,日本,批准,2025-03-01", "护照号码", "required", ""),
        ("APEC20250102000001,E1,,批准,2025-03-01", "经济体", "required", ""),
        ("APEC20250102000001,E1,火星,批准,2025-03-01", "经济体", "economy_unknown", "火星"),
        ("APEC20250102000001,E1,中国,批准,2025-03-01", "经济体", "economy_not_deciding", "中国"),
        ("APEC20250102000001,E1,美国,批准,2025-03-01", "经济体", "economy_not_deciding", "美国"),
        ("APEC20250102000001,E1,CA,批准,2025-03-01", "经济体", "economy_not_deciding", "CA"),
        ("APEC20250102000001,E1,日本,,2025-03-01", "审核结果", "required", ""),
        ("APEC20250102000001,E1,日本,同意,2025-03-01", "审核结果", "decision_invalid", "同意"),
        ("APEC20250102000001,E1,日本,pending,2025-03-01", "审核结果", "decision_invalid", "pending"),
        ("APEC20250102000001,E1,日本,批准", "审核日期", "required", ""),
        ("APEC20250102000001,E1,日本,批准,2025-02-30", "审核日期", "date_invalid", "2025-02-30"),
        ("APEC20250102000001,E1,日本,批准,2025-03/01", "审核日期", "date_invalid", "2025-03/01"),
        ("APEC20250102000001,E1,日本,批准,01/03/2025", "审核日期", "date_invalid", "01/03/2025"),
        ("APEC20250102000001,E1,日本,批准,2025年3月1日", "审核日期", "date_invalid", "2025年3月1日"),
        ("APEC20250102000001,E1,日本,批准,2025-06-16", "审核日期", "date_future", "2025-06-16"),
    ],
)
def test_each_bad_cell_gives_its_code_column_and_line(row, column, code, value):
    good = "APEC20250102000009,E9,日本,批准,2025-03-01"
    result = parse(lines(good, row, good.replace("日本", "SG")))
    assert result.errors == [RowError(3, column, code, value)]
    assert [r.line for r in result.rows] == [2, 4]


def test_every_bad_cell_of_a_row_is_reported():
    result = parse(lines("APEC1,,美国,maybe,tomorrow"))
    assert codes(result) == [
        (2, "申请单号", "application_number_format"),
        (2, "护照号码", "required"),
        (2, "经济体", "economy_not_deciding"),
        (2, "审核结果", "decision_invalid"),
        (2, "审核日期", "date_invalid"),
    ]
    assert result.rows == []


def test_duplicates_are_reported_on_the_later_line_with_the_first_line():
    result = parse(
        lines(
            "APEC20250102000001,E12345678,日本,批准,2025-03-01",
            "APEC20250102000001,E12345678,新加坡,批准,2025-03-01",
            "apec20250102000001,e12345678,JP,拒绝,2025-03-05",
            "APEC20250102000001,E87654321,日本,批准,2025-03-01",
            "APEC20250102000001,E12345678,Japan,批准,2025-03-01",
        )
    )
    assert result.errors == [RowError(4, "", "duplicate_row", "2"), RowError(6, "", "duplicate_row", "2")]
    assert [r.line for r in result.rows] == [2, 3, 5]


def test_a_duplicate_of_an_invalid_row_is_still_a_duplicate():
    result = parse(
        lines(
            "APEC20250102000001,E12345678,日本,maybe,2025-03-01",
            "APEC20250102000001,E12345678,日本,批准,2025-03-01",
        )
    )
    assert codes(result) == [(2, "审核结果", "decision_invalid"), (3, "", "duplicate_row")]
    assert result.rows == []


@pytest.mark.parametrize(
    "header",
    [
        "",
        "申请单号,护照号码,经济体,审核结果",
        "申请单号,护照号码,经济体,审核日期,审核结果",
        "number,passport,economy,result,date",
        "APEC20250102000001,E12345678,日本,批准,2025-03-01",
        HEADER + ",备注",
    ],
)
def test_a_missing_or_wrong_header_is_refused_on_line_1(header):
    text = header + "\r\nAPEC20250102000001,E12345678,日本,批准,2025-03-01\r\n"
    result = parse(text)
    assert codes(result) == [(1, "", "bad_header")]
    assert result.rows == []


def test_an_empty_file_has_no_header():
    result = parse_decisions(b"", economies=APEC_ECONOMIES, today=TODAY)
    assert codes(result) == [(1, "", "bad_header")]


def test_header_cells_may_carry_spaces():
    result = parse(" 申请单号 ,护照号码, 经济体,审核结果 ,审核日期\nAPEC20250102000001,E1,日本,批准,2025-03-01\n")
    assert result.errors == []
    assert len(result.rows) == 1


def test_too_many_rows_refuses_the_whole_file_but_blank_lines_do_not_count():
    row = "APEC20250102000001,E1,日本,批准,2025-03-01"
    at_limit = parse(lines(*[row] * MAX_ROWS, "", ",,,,"))
    assert all(e.code == "duplicate_row" for e in at_limit.errors)
    over = parse(lines(*[row] * (MAX_ROWS + 1)))
    assert over.errors == [RowError(0, "", "too_many_rows", str(MAX_ROWS + 1))]
    assert over.rows == []


def test_files_over_2_mb_are_refused_before_reading():
    data = (HEADER + "\r\n").encode() + b"," * (MAX_BYTES - len(HEADER.encode()) - 1)
    assert len(data) == MAX_BYTES + 1
    assert codes(parse_decisions(data, economies=APEC_ECONOMIES, today=TODAY)) == [(0, "", "file_too_large")]
    assert codes(parse_decisions(data[:-1], economies=APEC_ECONOMIES, today=TODAY)) == []


def test_bytes_that_are_neither_utf8_nor_gb18030_are_refused():
    data = HEADER.encode("utf-8") + b"\r\n\xff\xff\r\n"
    assert codes(parse_decisions(data, economies=APEC_ECONOMIES, today=TODAY)) == [(0, "", "file_encoding")]


def test_a_cell_beyond_the_csv_field_limit_is_malformed():
    data = (HEADER + '\r\n"' + "x" * (csv.field_size_limit() + 1) + '"\r\n').encode()
    assert codes(parse_decisions(data, economies=APEC_ECONOMIES, today=TODAY)) == [(0, "", "file_malformed")]


def test_echoed_values_are_cut_short():
    result = parse(lines("APEC20250102000001,E1," + "火" * 500 + ",批准,2025-03-01"))
    assert result.errors[0].code == "economy_unknown"
    assert len(result.errors[0].value) == 50


def test_the_configured_economies_decide_what_is_known_and_deciding():
    economies = tuple(e for e in APEC_ECONOMIES if e.code != "JP")
    result = parse_decisions(
        lines("APEC20250102000001,E1,日本,批准,2025-03-01").encode(), economies=economies, today=TODAY
    )
    assert codes(result) == [(2, "经济体", "economy_unknown")]


def test_every_code_has_a_chinese_message_and_none_clashes_with_shared_ones():
    emitted = {
        "file_too_large",
        "file_encoding",
        "file_malformed",
        "too_many_rows",
        "bad_header",
        "application_number_format",
        "economy_unknown",
        "economy_not_deciding",
        "decision_invalid",
        "date_invalid",
        "duplicate_row",
    }
    assert set(REVIEW_MESSAGES) == emitted
    assert all(REVIEW_MESSAGES.values())
    assert not set(REVIEW_MESSAGES) & (set(MESSAGES) | set(PERSON_MESSAGES) | set(UPLOAD_MESSAGES))
    assert {"required", "date_future"} <= set(MESSAGES)


def test_template_round_trips_through_the_csv_module():
    rows = list(csv.reader(io.StringIO(template_csv(), newline="")))
    assert rows[0] == list(TEMPLATE_HEADER)
    assert len(rows) == 2
