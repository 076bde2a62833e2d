"""Codes of apec_app/domain/decisions_csv.py → Chinese text (one of ui_text's tables behind describe).

The import also returns the shared codes required and date_future. For duplicate_row the error's value is the line
of the first occurrence; for too_many_rows it is the number of data rows found.
"""

from __future__ import annotations

REVIEW_MESSAGES: dict[str, str] = {
    "file_too_large": "文件大小不能超过2M，请分批导入",
    "file_encoding": "文件编码无法识别，请用Excel另存为“CSV UTF-8（逗号分隔）”后重新上传",
    "file_malformed": "文件不是有效的CSV格式，请使用模板填写后重新上传",
    "too_many_rows": "每个文件最多5000条记录，请分批导入",
    "bad_header": "表头不正确，请下载模板并保持第一行为：申请单号,护照号码,经济体,审核结果,审核日期",
    "application_number_format": "申请单号格式不正确（应为APEC加14位数字，如APEC20221026000029）",
    "economy_unknown": "经济体名称无法识别，请填写中文名称（如日本）或代码（如JP）",
    "economy_not_deciding": "该经济体不参与对中国申请人的预审（中国为本经济体，美国、加拿大为过渡成员）",
    "decision_invalid": "审核结果只能填写“批准”或“拒绝”",
    "date_invalid": "审核日期无效，格式应为YYYY-MM-DD（如2022-12-01）",
    "duplicate_row": "同一文件中重复的记录（申请单号、护照号码、经济体相同）",
}
