"""Uploaded documents as thumbnails and links, and the dialog that shows one image large (材料大图)."""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import MUTED
from apec_app.ui_text.uploads import DOCUMENT_PURGED

ZOOM_MIN, ZOOM_MAX = 25, 400  # 缩小 / 放大 of 材料大图, percent of the image's own size


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
            document_line(d),
            align="center",
            max_width="200px",
        )

    return rx.hstack(rx.foreach(documents, item), wrap="wrap", spacing="4")


def document_line(d) -> rx.Component:
    """The document's kind and file name: a link, or for a purged file the name with 已按规定删除."""
    return rx.cond(
        d["purged"] != "",
        rx.text(d["label"] + "：" + d["name"] + "（" + DOCUMENT_PURGED + "）", font_size="12px", color=MUTED),
        rx.link(d["label"] + "：" + d["name"], href=d["url"], is_external=True, font_size="12px",
                overflow_wrap="anywhere"),
    )  # fmt: skip


def person_documents(documents: rx.Var, on_zoom) -> rx.Component:
    """One person's documents beside their data: the passport page large enough to read its machine-readable
    zone (at most its own size; a click opens it in 材料大图), the others as thumbnails. `documents`: as for
    document_gallery, with "kind" (passport_page, photo, …)."""

    def large(d) -> rx.Component:
        return rx.vstack(
            rx.cond(
                d["image"] != "",
                rx.fragment(
                    rx.image(src=d["url"], alt=d["label"], width="100%", max_width="640px", height="auto",
                             loading="lazy", cursor="zoom-in", on_click=on_zoom(d["url"]),
                             border="1px solid #ebeef5", border_radius="4px"),  # fmt: skip
                    rx.button("放大查看", aria_label="放大查看" + d["label"], on_click=on_zoom(d["url"]),
                              variant="soft", size="2", min_height=["44px", "44px", "32px"]),  # fmt: skip
                ),
                rx.fragment(),
            ),
            document_line(d),
            spacing="1",
            align="start",
            width="100%",
        )

    def thumbnail(d) -> rx.Component:
        return rx.vstack(
            rx.cond(
                d["image"] != "",
                rx.el.button(
                    rx.image(src=d["url"], alt=d["label"], width="120px", height="90px", object_fit="contain",
                             loading="lazy", background="#f5f7fa"),  # fmt: skip
                    type="button",
                    aria_label="放大查看" + d["label"],
                    on_click=on_zoom(d["url"]),
                    padding="0",
                    border="1px solid #ebeef5",
                    border_radius="4px",
                    background="none",
                    cursor="zoom-in",
                ),
                rx.fragment(),
            ),
            document_line(d),
            spacing="1",
            align="start",
            width="140px",
        )

    return rx.vstack(
        rx.foreach(documents, lambda d: rx.cond(d["kind"] == "passport_page", large(d), rx.fragment())),
        rx.flex(
            rx.foreach(documents, lambda d: rx.cond(d["kind"] == "passport_page", rx.fragment(), thumbnail(d))),
            wrap="wrap",
            gap="12px",
        ),
        rx.cond(documents.length() == 0, rx.text("未上传材料", color=MUTED, font_size="13px"), rx.fragment()),
        spacing="3",
        width="100%",
    )


def zoom_dialog(url: rx.Var, on_close, *, scale: rx.Var | None = None, on_zoom_in=None, on_zoom_out=None,
                on_reset=None, on_fit=None) -> rx.Component:  # fmt: skip
    """Open while `url` is not empty. With `scale` (percent of the image's own size, 0: as wide as the dialog) and
    its events the image is shown at that size in a scrolling frame, with 放大 / 缩小 / 原始大小 / 适合窗口;
    without, fitted to the dialog."""
    if scale is None:
        body = rx.image(src=url, alt="材料大图", width="100%")
        tools: rx.Component = rx.fragment()
    else:
        fit = scale == 0
        body = rx.box(
            # CSS zoom scales the image's own size and the frame's scrolling with it.
            rx.image(src=url, alt="材料大图", max_width=rx.cond(fit, "100%", "none"),
                     width=rx.cond(fit, "100%", "auto"), height="auto",
                     style={"zoom": rx.cond(fit, 1, scale / 100)}),  # fmt: skip
            overflow="auto",
            max_height="72vh",
            width="100%",
            background="#f5f7fa",
            tab_index=0,
            aria_label="材料大图（可滚动）",
            role="region",
        )
        tools = rx.hstack(
            rx.button("放大", on_click=on_zoom_in, variant="outline", disabled=scale >= ZOOM_MAX),
            rx.button("缩小", on_click=on_zoom_out, variant="outline", disabled=(scale <= ZOOM_MIN) & ~fit),
            rx.button("原始大小", on_click=on_reset, variant="outline"),
            rx.button("适合窗口", on_click=on_fit, variant="outline") if on_fit is not None else rx.fragment(),
            rx.text(rx.cond(fit, "适合窗口", scale.to_string() + "%"), color=MUTED, font_size="13px",
                    aria_live="polite"),  # fmt: skip
            spacing="2",
            align="center",
            wrap="wrap",
            margin_bottom="8px",
        )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("材料大图", class_name="sr-only"),
            tools,
            body,
            rx.button("关闭", on_click=on_close, margin_top="8px"),
            max_width="min(1400px, 95vw)",
            width="auto",
        ),
        open=url != "",
    )
