"""The virtual card's and the /verify page's words (docs/rules.md §8): Chinese, with English beside what a
border officer of another economy reads."""

from __future__ import annotations

CARD_MESSAGES = {
    "token_malformed": "不是有效的APEC商务旅行卡二维码内容 / Not an ABTC code",
    "token_unknown_key": "签名密钥未知或已停用，无法核验 / Signed by an unknown or retired key",
    "token_bad_signature": "签名无效，内容可能被篡改 / Invalid signature: the content was altered",
    "card_link_invalid": "链接无效或已过期，请使用最新邮件中的链接",
    "card_code_needed": "请输入发送到您邮箱的验证码",
}

# What /verify concludes, and how the holder's page names the card's standing.
STANDING_LABELS = {
    "valid": "有效 Valid",
    "expired": "已过期 Expired",
    "cancelled": "已注销 Cancelled",
    "replaced": "已换发 Replaced",
    "not_issued": "尚未发卡 Not issued",
    "outdated": "二维码已过时 Outdated code: ask the holder to reopen the virtual card",
    "unknown": "未找到此卡 Unknown card",
}
# Text colours of the standing on white (each at least 4.5:1, WCAG AA).
STANDING_COLORS = {
    "valid": "#1e7b45",
    "expired": "#9a4d00",
    "cancelled": "#b3141b",
    "replaced": "#b3141b",
    "outdated": "#9a4d00",
}
DEFAULT_STANDING_COLOR = "#4a4d52"

SEX_LABELS = {"男": "男 M", "女": "女 F"}
NATIONALITY_LABELS = {"CHN": "中国 CHN"}


def standing_label(standing: str) -> str:
    return STANDING_LABELS.get(standing, standing)


# /verify/offline (apec_app/api/verify_page.py): the page's words, and what its script says.
OFFLINE_PAGE_TEXT = {
    "title": "APEC商务旅行卡离线核验 ABTC offline verification",
    "intro": "页面已载入核验公钥：断网时仍可核验签名；联网时再向服务器确认卡是否已注销或换发。"
    "The public keys are in this page: the signature is checked without a network; online, the server then "
    "confirms the card was not cancelled or replaced.",
    "field": "二维码内容 QR content",
    "button": "核验 Verify",
    "result": "核验结果 Result",
    "card_number": "卡号 Card number",
    "valid_until": "有效期至 Valid until",
    "name": "姓名 Name",
    "passport": "护照号码 Passport number",
    "economies": "已获预先批准的经济体 Pre-cleared economies",
    "keys": "公钥 Public keys:",
    "malformed": CARD_MESSAGES["token_malformed"],
    "unknown_key": CARD_MESSAGES["token_unknown_key"],
    "bad_signature": CARD_MESSAGES["token_bad_signature"],
    "no_webcrypto": "此浏览器不支持 Ed25519 核验，请使用在线核验页 /verify "
    "/ This browser cannot check Ed25519: use /verify",
    "checking": "签名有效，正在向服务器确认… Signature valid; asking the server…",
    "confirmed": "签名有效，服务器已确认卡状态 Signature valid; standing confirmed by the server",
    "offline": "签名有效（离线），未能向服务器确认是否已注销或换发 Signature valid (offline); cancellation not checked",
}
