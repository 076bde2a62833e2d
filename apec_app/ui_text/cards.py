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
    "unknown": "未找到此卡 Unknown card",
}
# Text colours of the standing on white (each at least 4.5:1, WCAG AA).
STANDING_COLORS = {"valid": "#1e7b45", "expired": "#9a4d00", "cancelled": "#b3141b", "replaced": "#b3141b"}
DEFAULT_STANDING_COLOR = "#4a4d52"

SEX_LABELS = {"男": "男 M", "女": "女 F"}
NATIONALITY_LABELS = {"CHN": "中国 CHN"}


def standing_label(standing: str) -> str:
    return STANDING_LABELS.get(standing, standing)
