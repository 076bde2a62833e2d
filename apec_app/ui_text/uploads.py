"""Upload error codes from domain.uploads → Chinese text; describe_upload_error fills in the slot's own limits."""

from __future__ import annotations

from apec_app.domain.uploads import UploadRule

# Defaults for the usual person document (jpg/jpeg, < 5 MB); use describe_upload_error when the rule is known.
UPLOAD_MESSAGES: dict[str, str] = {
    "upload_empty": "文件为空",
    "upload_too_large": "文件大小需小于5M",
    "upload_type": "仅支持jpg、jpeg格式",
    "upload_corrupt": "文件已损坏或不完整，请重新上传",
    "upload_dimensions": "图片长宽不符合要求",
    "upload_pixels": "图片像素过多，请缩小后重新上传",
    "upload_unsafe": "文件包含不安全的内容，请重新导出后上传",
}

# A document whose file the retention period deleted (services/operations/retention.py): the row stays.
DOCUMENT_PURGED = "已按规定删除"
DOCUMENT_PURGED_PAGE = "该材料已按规定删除：申请办结后已超过保存期限"

_KIND_LABELS = {"jpeg": "jpg、jpeg", "png": "png", "pdf": "pdf"}
_MIB = 1024 * 1024


def describe_upload_error(code: str, rule: UploadRule) -> str:
    """The message for `code`, naming the types, size limit or pixel bounds of this particular rule."""
    if code == "upload_type":
        labels = [label for kind, label in _KIND_LABELS.items() if kind in rule.kinds]
        return f"仅支持{'、'.join(labels)}格式"
    if code == "upload_too_large":
        return f"文件大小需小于{rule.max_bytes / _MIB:g}M"
    if code == "upload_dimensions":
        return _dimensions_message(rule)
    return UPLOAD_MESSAGES[code]


def _dimensions_message(rule: UploadRule) -> str:
    low, high = rule.min_size, rule.max_size
    if low and high:
        return f"图片长宽需在{low[0]}*{low[1]}-{high[0]}*{high[1]}像素之间"
    if low:
        return f"图片长宽需不小于{low[0]}*{low[1]}像素"
    if high:
        return f"图片长宽需不大于{high[0]}*{high[1]}像素"
    return UPLOAD_MESSAGES["upload_dimensions"]
