"""Uploaded documents as thumbnails and links, and the dialog that shows one image large (材料大图)."""

from __future__ import annotations

import reflex as rx

from apec_app.ui_text.uploads import DOCUMENT_PURGED


def document_gallery(documents: rx.Var, on_zoom) -> rx.Component:
    """`documents`: dicts with label, name, url, image ("1" for an image) and purged ("1" when the retention
    period deleted the file: named, with 已按规定删除, no thumbnail or link); `on_zoom(url)` opens the dialog."""

    def item(d) -> rx.Component:
        return rx.vstack(
            rx.cond(
                d["image"] != "",
                rx.el.button(
                    rx.image(src=d["url"], alt=d["label"], width="120px", height="90px", object_fit="cover"),
                    type="button",
                    aria_label="放大查看" + d["label"],
                    on_click=on_zoom(d["url"]),
                    padding="0",
                    border="none",
                    background="none",
                    cursor="zoom-in",
                ),
                rx.fragment(),
            ),
            rx.cond(
                d["purged"] != "",
                rx.text(d["label"] + "：" + d["name"] + "（" + DOCUMENT_PURGED + "）", font_size="12px", color="gray"),
                rx.link(d["label"] + "：" + d["name"], href=d["url"], is_external=True, font_size="12px"),
            ),
            align="center",
        )

    return rx.hstack(rx.foreach(documents, item), wrap="wrap", spacing="4")


def zoom_dialog(url: rx.Var, on_close) -> rx.Component:
    """Open while `url` is not empty."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("材料大图", class_name="sr-only"),
            rx.image(src=url, alt="材料大图", width="100%"),
            rx.button("关闭", on_click=on_close, margin_top="8px"),
            max_width="90vw",
        ),
        open=url != "",
    )
