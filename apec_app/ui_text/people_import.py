"""Codes of apec_app/domain/people_import.py → Chinese text (one of ui_text's tables behind describe).

The import also returns the person codes, and the shared file_too_large, people_required, people_too_many,
id_duplicate_in_group, too_long and required. For bad_template the error's value is the header or sheet found.
"""

from __future__ import annotations

IMPORT_MESSAGES: dict[str, str] = {
    "bad_template": "文件不是本系统的人员导入模板，或模板表头已被修改，请重新下载模板后填写",
    "xlsx_malformed": "文件不是有效的Excel文件或已损坏，请下载模板填写后上传.xlsx文件（.xls、.csv请先另存为.xlsx）",
    "option_invalid": "填写的内容不在可选范围内，请从下拉列表中选择",
}
