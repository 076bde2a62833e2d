"""Codes of apec_app/domain/person.py → the Chinese text shown at the field (one of ui_text's tables behind describe).

The person rules also return the shared codes required, too_long, date_future and integer_required."""

from __future__ import annotations

PERSON_MESSAGES: dict[str, str] = {
    "pinyin_format": "姓名拼音只能包含大写字母，姓与名之间用一个空格分隔（如ZHANG PING）",
    "id_format": "身份证号应为18位，前17位为数字，最后一位为数字或X",
    "id_checksum": "身份证号校验位不正确，请核对",
    "id_birth_invalid": "身份证号中的出生日期无效",
    "id_birth_mismatch": "身份证号中的出生日期与出生日期不一致",
    "id_sex_mismatch": "身份证号中的性别与性别不一致",
    "id_region_unknown": "身份证号前6位地区代码未能识别，请核对（如为已撤销地区的代码可忽略）",
    "passport_format": "护照号码格式不正确",
    "passport_format_ordinary": "护照号码格式不正确（普通护照为E加8位数字，或E加1位字母（I、O除外）加7位数字）",
    "passport_format_service": "护照号码格式不正确（公务护照为SE加7位数字，或S加8位数字）",
    "passport_format_public_ordinary": "护照号码格式不正确（公务普通护照为PE加7位数字）",
    "passport_format_diplomatic": "护照号码格式不正确（外交护照为DE加7位数字，或D加8位数字）",
    "passport_expiry_before_issue": "失效日期应晚于签发日期",
    "passport_expired": "护照已失效，请使用有效护照",
    "passport_expires_soon": "护照有效期不足6个月，请更换护照后再申请",
    "passport_shorter_than_card": "护照有效期不足5年，APEC商务旅行卡的有效期将截至护照失效日期",
    "birth_date_too_early": "出生日期不能早于1900年1月1日",
    "months_employed_range": "连续工作时间应小于1200个月",
    "number_format": "请输入不小于0的数字，最多保留两位小数",
    "percentage_range": "请输入0到100之间的数值",
}
