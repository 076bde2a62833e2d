"""Page frame: header with sign-in state, footer, and the idle-expiry warning for signed-in pages."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from apec_app.components.fields import RED
from apec_app.components.scoped import scoped
from apec_app.states.session import SessionState


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.box(
                rx.text("中国领事服务网", font_weight="700", font_size="18px", color="white"),
                rx.text("CS.MFA.GOV.CN", font_size="11px", color="white", letter_spacing="1px"),
            ),
            rx.divider(orientation="vertical", size="2", color_scheme="gray"),
            rx.text("APEC商务旅行卡", font_size="16px", color="white"),
            align="center",
            spacing="3",
        ),
        href="/",
        underline="none",
    )


def user_menu() -> rx.Component:
    return rx.hstack(
        rx.link("用户中心", href="/user", color="white", underline="none"),
        rx.link(
            rx.hstack(
                rx.text("消息中心", color="white"),
                rx.cond(
                    SessionState.unread > 0,
                    rx.badge(SessionState.unread, color_scheme="amber", variant="solid", aria_label="未读消息数"),
                    rx.fragment(),
                ),
                spacing="1",
                align="center",
            ),
            href="/messages",
            underline="none",
        ),
        # Not modal: a modal menu hides the whole page with aria-hidden while it is open.
        rx.menu.root(
            rx.menu.trigger(
                # Named by its text: "账户菜单" (visually hidden) and the account's name.
                rx.button(
                    rx.el.span("账户菜单", class_name="sr-only"),
                    rx.avatar(
                        fallback=SessionState.display_name[:1],
                        size="1",
                        radius="full",
                        color_scheme="gray",
                        variant="solid",
                        aria_hidden="true",
                    ),
                    rx.text(
                        SessionState.display_name,
                        color="white",
                        # On a phone the initial stands for the name: the header stays within the screen.
                        display=["none", "none", "block"],
                        max_width="260px",
                        overflow="hidden",
                        text_overflow="ellipsis",
                        white_space="nowrap",
                    ),
                    variant="ghost",
                    style={"cursor": "pointer"},
                ),
            ),
            rx.menu.content(
                rx.menu.item("账号设置", on_select=rx.redirect("/account/settings")),
                rx.menu.item("地址管理", on_select=rx.redirect("/user/addresses")),
                rx.menu.separator(),
                rx.menu.item("退出", on_select=SessionState.sign_out),
            ),
            modal=False,
        ),
        spacing=rx.breakpoints(initial="3", sm="5"),
        align="center",
    )


def staff_menu() -> rx.Component:
    return rx.hstack(
        rx.link("审核工作台", href="/staff", color="white"),
        rx.cond(
            SessionState.staff_role == "admin",
            rx.hstack(
                rx.link("后台设置", href="/admin/settings", color="white"),
                rx.link("企业账号开通", href="/admin/enterprises", color="white"),
                rx.link("审计日志", href="/admin/audit", color="white"),
                spacing="4",
            ),
            rx.fragment(),
        ),
        rx.button(
            "退出",
            on_click=SessionState.sign_out,
            variant="outline",
            color_scheme="gray",
            style={"color": "white"},
        ),
        spacing="4",
        align="center",
    )


def officer_menu() -> rx.Component:
    """An APEC economy's officer on one of our public pages: back to its (English) portal, or sign out."""
    return rx.hstack(
        rx.link("Pre-clearance portal", href="/economy", color="white"),
        rx.button(
            "Sign out", on_click=SessionState.sign_out, variant="outline", color_scheme="gray", style={"color": "white"}
        ),
        spacing="4",
        align="center",
        lang="en",
    )


def sign_in_link() -> rx.Component:
    return rx.link(
        "登录",
        href="/login",
        color="white",
        underline="none",
        padding="6px 16px",
        border="1px solid white",
        border_radius="6px",
    )


def header_placeholder() -> rx.Component:
    """Until the tab knows who is signed in: neither 【登录】 nor a name (no signed-in user is ever offered the
    sign-in form, not even for the first frame of a reload)."""
    return rx.box(width="120px", height="32px", role="status", aria_busy="true", aria_label="正在确认登录状态")


def header_actions() -> rx.Component:
    return rx.cond(
        ~SessionState.session_known,
        header_placeholder(),
        rx.cond(
            SessionState.signed_in & (SessionState.principal_kind == "economy"),
            officer_menu(),
            rx.cond(
                SessionState.signed_in & (SessionState.principal_kind != "staff"),
                user_menu(),
                rx.cond(SessionState.signed_in, staff_menu(), sign_in_link()),
            ),
        ),
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            brand(),
            rx.spacer(),
            header_actions(),
            max_width="1200px",
            margin="0 auto",
            padding=["10px 12px", "10px 12px", "12px 24px"],
            align="center",
            wrap="wrap",
        ),
        background=RED,
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.hstack(
            rx.text("关于我们"),
            rx.text("|"),
            rx.text("中国领事"),
            rx.text("|"),
            rx.text("服务条款"),
            spacing="2",
            justify="center",
            font_size="13px",
        ),
        rx.text("中华人民共和国外交部 版权所有", font_size="12px", text_align="center", margin_top="4px"),
        padding="18px",
        color="#606266",
        background="#eef0f4",
        margin_top="40px",
    )


@dataclass(frozen=True)
class IdleWarningText:
    """The idle warning's words, in the page's language (`lang`: set on the dialog when not the page's own)."""

    title: str
    description: str
    stay: str
    sign_out: str
    lang: str | None = None
    high_contrast: bool = False  # the 【退出】 button's text darker, where the page's palette needs it


IDLE_WARNING_ZH = IdleWarningText(
    "即将退出登录", "您已较长时间未操作，系统将在2分钟内自动退出登录。已填写的草稿会自动保存。", "保持登录", "退出"
)


def idle_warning(text: IdleWarningText = IDLE_WARNING_ZH) -> rx.Component:
    """Two minutes before the idle expiry: a dialog with a button to stay signed in."""
    lang = {"lang": text.lang} if text.lang else {}
    return rx.fragment(
        rx.moment(interval=30_000, on_change=SessionState.check_idle, display="none"),
        rx.alert_dialog.root(
            rx.alert_dialog.content(
                rx.alert_dialog.title(text.title),
                rx.alert_dialog.description(text.description),
                rx.hstack(
                    rx.alert_dialog.action(rx.button(text.stay, on_click=SessionState.stay_signed_in)),
                    rx.alert_dialog.cancel(
                        rx.button(
                            text.sign_out,
                            variant="soft",
                            color_scheme="gray",
                            high_contrast=text.high_contrast,
                            on_click=SessionState.sign_out,
                        )
                    ),
                    spacing="3",
                    justify="end",
                    margin_top="16px",
                ),
                **lang,
            ),
            open=SessionState.idle_warning,
        ),
    )


def page_frame(
    *children: rx.Component, signed_in_page: bool = False, width: str = "1000px", scope=None
) -> rx.Component:
    """The page: header, main, footer. With `scope` (the page's state), the main part shows only that state's
    record for this very path, and a loading state until it has arrived (components/scoped.py)."""
    main = [scoped(scope, rx.fragment(*children))] if scope is not None else list(children)
    return rx.box(
        header(),
        rx.el.main(
            *main,
            max_width=width,
            margin="24px auto",
            padding="0 16px",
            min_height="60vh",
        ),
        footer(),
        idle_warning() if signed_in_page else rx.fragment(),
        background="#f5f7fa",
        min_height="100vh",
    )


def card(*children: rx.Component, **props) -> rx.Component:
    return rx.box(
        *children,
        background="white",
        border_radius="8px",
        padding="28px 32px",
        box_shadow="0 1px 4px rgba(0,0,0,.06)",
        class_name="card",
        **props,
    )


def steps(labels: list[str], current: rx.Var) -> rx.Component:
    """A step indicator (● 电子营业执照扫码 ● 企业信息 ● 账户信息)."""
    items = []
    for i, label in enumerate(labels, start=1):
        items.append(
            rx.hstack(
                rx.box(
                    str(i),
                    width="26px",
                    height="26px",
                    border_radius="50%",
                    text_align="center",
                    line_height="26px",
                    color="white",
                    font_size="13px",
                    background=rx.cond(current >= i, RED, "#c0c4cc"),
                ),
                rx.text(
                    label,
                    font_weight=rx.cond(current == i, "700", "400"),
                    aria_current=rx.cond(current == i, "step", "false"),
                ),
                spacing="2",
                align="center",
            )
        )
        if i < len(labels):
            items.append(rx.box(height="1px", width="60px", background="#dcdfe6"))
    return rx.hstack(*items, align="center", justify="center", spacing="3", margin_bottom="24px", wrap="wrap")
