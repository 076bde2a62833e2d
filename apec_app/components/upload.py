"""A file drop zone that keyboard and screen-reader users can operate."""

from __future__ import annotations

import reflex as rx

from apec_app.domain import uploads

BUTTON_RESET = {
    "display": "inline-flex",
    "align_items": "center",
    "gap": "8px",
    "padding": "0",
    "border": "none",
    "background": "none",
    "color": "inherit",
    "font": "inherit",
    "text_align": "left",
    "cursor": "pointer",
}


def upload_zone(
    text: str,
    *,
    label: rx.Var | str,
    icon: bool = False,
    font_size: str = "14px",
    max_bytes: int = uploads.MAX_BYTES,
    on_rejected=None,
    **props,
) -> rx.Component:
    """rx.upload (click or drop anywhere on the zone) whose text is a real button named "<label>：<text>" (the label
    visually hidden): Tab reaches it and Enter or Space opens the file picker, its click reaching the zone.

    The zone itself stays out of the tab order (no_keyboard: react-dropzone would make the zone a focusable
    role="presentation" div), and the dropzone's own file input, only the mechanism behind the button, is hidden
    from assistive technology (unlabelled it would be a second, nameless control).

    A file over `max_bytes` or of a type not accepted is refused in the browser, with a Chinese message instead
    of the dropzone's English one (the server refuses it too: apec_app/api/upload_guard.py); `on_rejected`, an
    event handler, says so at the field instead of the toast."""
    upload = rx.upload(
        rx.el.button(
            rx.el.span(label, "：", class_name="sr-only"),
            rx.icon("upload", size=16, aria_hidden="true") if icon else rx.fragment(),
            rx.text(text, as_="span", font_size=font_size),
            type="button",
            style=BUTTON_RESET,
            class_name="upload-button",  # 44 px tall on a phone (assets/app.css)
        ),
        no_keyboard=True,
        max_size=max_bytes,
        on_drop_rejected=on_rejected
        if on_rejected is not None
        else rx.toast.error(f"未上传：文件格式不支持或大小超过{max_bytes / (1024 * 1024):g}M"),
        **props,
    )
    file_input = upload.children[0].children[0]
    file_input.custom_attrs["aria-hidden"] = "true"
    return upload
