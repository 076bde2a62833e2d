"""Error codes from services and domain rules → the Chinese text shown at the field or in a toast.

One lookup (`describe`) serves every area's codes: the general ones here, and each area's beside it in this
package (person fields, uploads, the decisions CSV, back-office settings, eligibility rules, the people import).
tests/domain/test_ui_text.py fails when a code raised anywhere has no text.
"""

from __future__ import annotations

from functools import lru_cache

MESSAGES = {
    "required": "此项为必填项",
    "too_long": "内容过长",
    "uscc_format": "统一社会信用代码格式不正确（应为18位数字或大写字母）",
    "uscc_checksum": "统一社会信用代码校验位不正确，请核对",
    "uscc_taken": "该统一社会信用代码已注册，请直接登录或找回密码",
    "uscc_mismatch": "扫码企业的统一社会信用代码与本账号不一致",
    "email_format": "邮箱格式不正确",
    "email_taken": "该邮箱已被注册",
    "mobile_format": "手机号码格式不正确",
    "phone_format": "联系电话格式不正确（手机号码或带区号的固定电话）",
    "username_format": "用户名须以字母开头，4-32位字母、数字或下划线",
    "username_taken": "该用户名已被使用",
    "password_length": "密码长度须为8-64位",
    "password_space": "密码不能包含空格",
    "password_classes": "密码须包含大写字母、小写字母、数字、特殊符号中的至少三种",
    "password_common": "该密码过于常见，容易被猜中，请换一个",
    "password_mismatch": "两次输入的密码不一致",
    "password_same": "新密码不能与原密码相同",
    "old_password_wrong": "原密码不正确",
    "code_format": "验证码为6位数字",
    "code_invalid": "验证码无效，请重新获取",
    "code_expired": "验证码已过期，请重新获取",
    "code_wrong": "验证码错误，还可尝试{remaining}次",
    "code_too_many": "验证码错误次数过多，已失效，请重新获取",
    "code_resend_wait": "发送过于频繁，请{seconds}秒后再试",
    "agreement_required": "请阅读并同意《中国领事用户协议》和《隐私政策》",
    "qr_unknown": "二维码无效",
    "qr_expired": "二维码已过期，请刷新后重新扫码",
    "qr_used": "二维码已使用，请刷新后重新扫码",
    "qr_not_authorized": "尚未完成电子营业执照授权，请扫码授权",
    "identity_mismatch": "企业名称、统一社会信用代码、法定代表人与已注册企业不一致",
    "elicense_identity_mismatch": "电子营业执照的企业名称、法定代表人与已注册企业不一致",
    "elicense_disabled": "电子营业执照扫码服务未启用，请使用账号密码登录或手动输入信息",
    "elicense_assertion_rejected": "电子营业执照平台的授权结果无法验证，请重新扫码",
    "bad_credentials": "账号或密码错误",
    "account_locked": "登录失败次数过多，账号已锁定，请于{until}后再试",
    "agent_not_authorised": "该经办人账号已被取消授权，无法登录，请联系企业管理员",
    "enterprise_not_registered": "该企业尚未注册，请先注册新账号",
    "account_exists": "该企业或邮箱已注册",
    "permission_denied": "无权进行此操作",
    "queue_not_held": "本机构没有该状态的审核队列",
    "step_errors": "请按提示修改标红的内容",
    "rate_limited": "操作过于频繁，请{seconds}秒后再试",
    "not_found": "未找到相关记录",
    "session_expired": "登录已过期，请重新登录",
    "agent_deauthorised": "该经办人账号已被取消授权",
    "role_invalid": "角色不正确",
    "institution_unknown": "机构代码不存在",
    "institution_required": "请选择办理机构（外办）",
    "application_not_editable": "该申请单当前状态不可修改",
    "application_changed": "申请单已被他人处理或更新，请刷新后查看最新状态",
    "transition_refused": "申请单当前状态不允许此操作",
    "review_started": "审核已开始，无法撤回",
    "upload_required": "请上传文件",
    "people_required": "请至少添加1名人员",
    "people_too_many": "每个申请单最多30名人员",
    "id_duplicate_in_group": "同一申请单中身份证号重复",
    "id_in_open_application": "该人员已有办理中的新办/续办申请单",
    "pickup_point_required": "请选择代办点",
    "address_required": "请选择邮寄地址",
    "date_format": "日期格式应为YYYY-MM-DD",
    "date_future": "日期不能晚于今天",
    "integer_required": "请输入不小于0的整数",
    "reason_required": "请填写原因",
    "tracking_required": "请填写快递单号",
    "delivery_mismatch": "该申请单的取卡方式不支持此操作",
    "payment_missing": "未找到待确认的支付凭证",
    "decision_exists": "该人员在该经济体的审核结果已录入",
    "person_not_on_application": "该申请单中没有此护照号码的人员",
    "import_has_errors": "文件中有错误，请修改后重新上传（未导入任何记录）",
    "not_payable": "该申请单当前无需缴费",
    "followup_not_allowed": "该人员当前不能办理此业务",
    "followup_no_economy_approved": "该人员尚无经济体批准，不能提前制卡",
    "followup_card_cancelled": "该人员的卡已注销，不能再办理换补卡或注销",
    "followup_in_progress": "该人员已有办理中的同类业务（提前制卡与仅更换护照、换补卡与注销卡不能同时办理）",
    "passport_unchanged": "新护照号码与原护照号码相同",
    "link_invalid": "链接无效、已使用或已过期，请联系工作人员重新发送",
    "password_already_set": "该企业已设置密码，无需再发送链接",
    "renewal_not_open": "该卡暂不能续办（到期前6个月起可续办；已注销的卡或已在办理新办/续办的人员不能续办）",
}

@lru_cache(maxsize=1)
def _all_messages() -> dict[str, str]:
    """Person-field and upload messages live beside their rules; one lookup serves them all."""
    from apec_app.ui_text.admin import ADMIN_MESSAGES
    from apec_app.ui_text.cards import CARD_MESSAGES
    from apec_app.ui_text.decisions import REVIEW_MESSAGES
    from apec_app.ui_text.eligibility import ELIGIBILITY_MESSAGES
    from apec_app.ui_text.people_import import IMPORT_MESSAGES
    from apec_app.ui_text.person import PERSON_MESSAGES
    from apec_app.ui_text.uploads import UPLOAD_MESSAGES

    return {
        **PERSON_MESSAGES,
        **UPLOAD_MESSAGES,
        **REVIEW_MESSAGES,
        **ADMIN_MESSAGES,
        **ELIGIBILITY_MESSAGES,
        **IMPORT_MESSAGES,
        **CARD_MESSAGES,
        **MESSAGES,
    }


def describe(code: str, **params: object) -> str:
    text = _all_messages().get(code, code)
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text
