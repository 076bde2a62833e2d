"""The pre-clearance portal of an APEC economy's officer (/economy), in English: the people waiting for the
officer's economy with only what pre-clearance needs, approved or refused one by one or in bulk."""

from __future__ import annotations

import reflex as rx

from apec_app.components.layout import IdleWarningText, idle_warning
from apec_app.components.scoped import loading, scoped
from apec_app.states.economy_portal import EconomyPortalState as S
from apec_app.states.session import SessionState

NAVY = "#1f3a5f"
# Soft buttons in high contrast: the theme's soft red on pink falls short of WCAG's 4.5:1 for their text.
SOFT = {"variant": "soft", "high_contrast": True}
COLUMNS = ("Select", "Photo", "Name", "Sex", "Date of birth", "Nationality", "Passport", "Passport expiry",
           "Waiting since", "Decision")  # fmt: skip


def header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.vstack(
                rx.text("APEC Business Travel Card", font_weight="700", font_size="18px", color="white"),
                rx.text("Pre-clearance portal", font_size="12px", color="white"),
                spacing="0",
            ),
            rx.spacer(),
            rx.cond(
                SessionState.signed_in,
                rx.hstack(
                    rx.text(SessionState.display_name, color="white"),
                    rx.button(
                        "Sign out",
                        on_click=SessionState.sign_out,
                        variant="outline",
                        color_scheme="gray",
                        style={"color": "white"},
                    ),
                    spacing="4",
                    align="center",
                ),
                rx.fragment(),
            ),
            max_width="1200px",
            margin="0 auto",
            padding="12px 24px",
            align="center",
        ),
        background=NAVY,
    )


def photo_cell(row: dict) -> rx.Component:
    return rx.cond(
        row["photo"] != "",
        rx.image(src=row["photo"], alt="Photo of " + row["name"], width="60px", height="80px", object_fit="cover"),
        rx.text("No photo", color="#6b6e72", font_size="12px"),
    )


def person_row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=S.selected.contains(row["id"]),
                on_change=lambda checked: S.toggle(row["id"], checked),
                aria_label="Select " + row["name"],
            )
        ),
        rx.table.cell(photo_cell(row)),
        rx.table.cell(rx.vstack(rx.text(row["name"], font_weight="600"), rx.text(row["name_zh"], font_size="12px"),
                                spacing="0")),  # fmt: skip
        rx.table.cell(row["sex"]),
        rx.table.cell(row["birth_date"]),
        rx.table.cell(row["nationality"]),
        rx.table.cell(row["passport_number"]),
        rx.table.cell(row["passport_expiry"]),
        rx.table.cell(row["waiting_since"]),
        rx.table.cell(
            rx.hstack(
                rx.button("Approve", size="1", aria_label="Approve " + row["name"],
                          on_click=S.decide_one(row["id"], "approved")),  # fmt: skip
                rx.button("Refuse", size="1", color_scheme="red", **SOFT, aria_label="Refuse " + row["name"],
                          on_click=S.decide_one(row["id"], "refused")),  # fmt: skip
                spacing="2",
            )
        ),
    )


def search_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.el.label("Find by name", html_for="search", font_weight="600"),
            rx.input(id="search", name="search", placeholder="e.g. ZHANG WEI", width="240px"),
            rx.button("Search", type="submit", **SOFT),
            align="center",
            spacing="3",
        ),
        on_submit=S.find,
        reset_on_submit=False,
    )


def toolbar() -> rx.Component:
    return rx.hstack(
        rx.el.label("Date of decision", html_for="decided-on", font_weight="600"),
        rx.input(id="decided-on", type="date", value=S.decided_on, on_change=S.set_decided_on, width="170px"),
        rx.spacer(),
        rx.text(S.selected.length().to_string() + " selected", color="#6b6e72"),
        rx.button("Approve selected", on_click=S.decide_selected("approved"), disabled=S.selected.length() == 0),
        rx.button("Refuse selected", color_scheme="red", **SOFT, on_click=S.decide_selected("refused"),
                  disabled=S.selected.length() == 0),  # fmt: skip
        width="100%",
        align="center",
        spacing="3",
    )


def problems() -> rx.Component:
    return rx.cond(
        S.problems.length() > 0,
        rx.callout.root(
            rx.callout.text("Not recorded:"),
            rx.foreach(S.problems, lambda p: rx.callout.text(p)),
            color="red",
            role="alert",
            width="100%",
        ),
        rx.fragment(),
    )


def queue_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                rx.table.column_header_cell(
                    rx.checkbox(checked=S.all_selected, on_change=S.toggle_all, aria_label="Select all on this page")
                ),
                *[rx.table.column_header_cell(c) for c in COLUMNS[1:]],
            )
        ),
        rx.table.body(rx.foreach(S.rows, person_row)),
        width="100%",
        aria_label="People waiting for your decision",
    )


def content() -> rx.Component:
    return rx.vstack(
        rx.heading("Pre-clearance queue — " + S.economy_name, size="6"),
        rx.text(
            "The people submitted to your economy and waiting for its decision. Approve or refuse them one by one, "
            "or select several and decide them together, with the date of your decision.",
            color="#4a4d52",
        ),
        rx.cond(
            S.deciding,
            rx.vstack(
                search_form(),
                rx.text(S.total.to_string() + " waiting", font_weight="600"),
                toolbar(),
                problems(),
                rx.cond(S.rows.length() > 0, queue_table(), rx.text("Nobody is waiting for your decision.")),
                rx.hstack(
                    rx.button("Previous", **SOFT, on_click=S.go_page(S.page - 1), disabled=S.page <= 1),
                    rx.text("Page " + S.page.to_string() + " of " + S.pages.to_string()),
                    rx.button("Next", **SOFT, on_click=S.go_page(S.page + 1), disabled=S.page >= S.pages),
                    align="center",
                    spacing="3",
                ),
                width="100%",
                spacing="3",
            ),
            rx.text("Your economy takes no pre-clearance decisions on these applicants."),
        ),
        width="100%",
        spacing="3",
    )


# The idle warning of every signed-in page (components/layout.py), in English.
IDLE_WARNING_EN = IdleWarningText(
    "You will be signed out soon",
    "You have been inactive for a while; you will be signed out within 2 minutes.",
    "Stay signed in",
    "Sign out",
    lang="en",
    high_contrast=True,
)


def economy_portal_page() -> rx.Component:
    return rx.el.div(
        header(),
        rx.el.main(
            rx.box(
                scoped(S, content(), loading("Loading…")),
                background="white",
                border_radius="8px",
                padding="28px 32px",
            ),
            max_width="1200px",
            margin="24px auto",
            padding="0 16px",
            min_height="60vh",
        ),
        idle_warning(IDLE_WARNING_EN),
        lang="en",
        background="#f5f7fa",
        min_height="100vh",
    )
