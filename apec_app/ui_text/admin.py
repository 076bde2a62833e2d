"""Codes of apec_app/services/admin_settings.py → Chinese text (one of ui_text's tables behind describe).

The settings also return the shared codes required, too_long, phone_format, not_found, permission_denied,
institution_unknown and the staff codes of services/staff.py; example-image uploads return the upload_* codes
(describe them with ui_text.uploads.describe_upload_error and admin_settings.EXAMPLE_RULE).
"""

from __future__ import annotations

ADMIN_MESSAGES: dict[str, str] = {
    "fee_format": "请输入金额（元），如720或720.00，最多保留两位小数",
    "fee_too_large": "金额不能超过¥100,000.00",
    "fee_not_charged": "该业务类型不收取费用",
    "bank_account_format": "银行账号只能包含数字，可用空格或短横线分隔",
    "delivery_required": "请至少允许一种取卡方式（自取或邮寄）",
    "pickup_points_missing": "允许自取前请先添加至少一个代办点",
    "pickup_point_last": "该机构允许自取，至少需保留一个代办点；如需删除，请先取消自取",
    "business_type_unknown": "业务类型不正确",
    "channel_unknown": "适用渠道不正确",
    "accepted_types_invalid": "可接受格式只能是jpg、jpeg、png、pdf，多个格式以逗号分隔",
    "staff_self_deactivate": "不能停用当前登录的管理员账号",
}
