"""APEC经济体审核情况: each person's decisions by the 18 deciding economies, readable for 30 people.

Per person a summary (已批准 n · 已拒绝 m · 待审核 k), then one cell per economy: 批准, 拒绝 and 待审核 differ by
colour *and* icon (✓, ✕, a clock) and carry their word for screen readers; dates and names stay on one line.
On a wide screen a matrix (the names' column stays put while it scrolls sideways); on a phone one card per
person, its economies as a wrapping list. The applicant's detail page and the reviewer's application page both
draw it from `matrix_lines` (services/review/matrix.py's rows, made compact: a cell is one string, its kind's
letter and its date: "a2026-11-01", "r2026-11-01", "p").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from apec_app.components.fields import MUTED
from apec_app.ui_text import DECISION_LABELS, decision_summary
from apec_app.ui_text.labels import PENDING_DECISION

APPROVED, REFUSED, PENDING = "a", "r", "p"
_KIND = {"approved": APPROVED, "refused": REFUSED}
# kind → (word, icon, text colour, background): each pair at least 4.5:1.
LOOK = {
    APPROVED: (DECISION_LABELS["approved"], "circle_check", "#17612e", "#e6f4ea"),
    REFUSED: (DECISION_LABELS["refused"], "circle_x", "#a3211b", "#fdecea"),
    PENDING: (PENDING_DECISION, "clock", "#55595e", "#f1f2f4"),
}
# Below this Radix breakpoint (sm, 768 px) the matrix becomes cards.
WIDE = ["none", "none", "block"]
NARROW = ["block", "block", "none"]


@dataclass
class MatrixLine:
    """One person: name, summary, and a cell per economy: its kind's letter, then the date ("p" while pending)."""

    name: str = ""
    summary: str = ""
    cells: list[str] = field(default_factory=list)


def _cell(cell) -> str:
    return _KIND.get(cell[0], PENDING) + cell[1].isoformat() if cell else PENDING


def matrix_lines(rows) -> list[MatrixLine]:
    """From services/review/matrix.PersonDecisions rows (name, decisions in the economies' order, counts)."""
    return [
        MatrixLine(
            row.name,
            decision_summary(row.approved, row.refused, row.pending),
            [_cell(cell) for cell in row.decisions.values()],
        )
        for row in rows
    ]


def _by_kind(kind: rx.Var, pick) -> rx.Var | rx.Component:
    return rx.match(
        kind, *[(k, pick(k, *look)) for k, look in LOOK.items() if k != PENDING], pick(PENDING, *LOOK[PENDING])
    )


def _icon(kind: rx.Var) -> rx.Component:
    return _by_kind(
        kind,
        lambda k, word, icon, colour, bg: rx.icon(icon, size=14, color=colour, aria_hidden="true", flex_shrink="0"),
    )


def _word(kind: rx.Var) -> rx.Var:
    return rx.match(kind, (APPROVED, LOOK[APPROVED][0]), (REFUSED, LOOK[REFUSED][0]), LOOK[PENDING][0])


def _colour(kind: rx.Var, index: int) -> rx.Var:
    return rx.match(kind, (APPROVED, LOOK[APPROVED][index]), (REFUSED, LOOK[REFUSED][index]), LOOK[PENDING][index])


def _mark(cell: rx.Var, economy: rx.Var | None = None) -> rx.Component:
    """Icon, then the economy's name (cards only), the word (visually hidden where a date follows) and the date."""
    kind, day = cell[0], cell[1:]
    return rx.el.span(
        _icon(kind),
        rx.el.span(economy, font_weight="600") if economy is not None else rx.fragment(),
        rx.cond(day != "", rx.el.span(_word(kind), class_name="sr-only"), rx.el.span(_word(kind))),
        rx.cond(day != "", rx.el.span(day, font_variant_numeric="tabular-nums"), rx.fragment()),
        data_decision=kind,
        display="inline-flex",
        align_items="center",
        gap="4px",
        white_space="nowrap",
        color=_colour(kind, 2),
        background=_colour(kind, 3),
        border_radius="4px",
        padding="2px 6px",
        font_size="12px",
        line_height="18px",
    )


def legend() -> rx.Component:
    return rx.hstack(
        *[
            rx.el.span(
                rx.icon(icon, size=14, color=colour, aria_hidden="true"),
                word,
                display="inline-flex",
                align_items="center",
                gap="4px",
                color=colour,
                background=bg,
                border_radius="4px",
                padding="2px 8px",
                font_size="12px",
                white_space="nowrap",
            )
            for word, icon, colour, bg in LOOK.values()
        ],
        spacing="2",
        wrap="wrap",
        aria_label="图例",
        role="note",
    )


_STICKY = {"position": "sticky", "left": "0", "background": "white", "z_index": "1"}
_CELL = {"padding": "6px 8px", "border_bottom": "1px solid #ebeef5", "text_align": "left", "vertical_align": "middle"}


def _person_heading(line: rx.Var) -> rx.Component:
    return rx.el.th(
        rx.el.div(line.name, font_weight="600", white_space="nowrap"),
        rx.el.div(line.summary, font_size="12px", color=MUTED, font_weight="400", white_space="nowrap"),
        scope="row",
        data_person=line.name,
        style={**_CELL, **_STICKY, "box_shadow": "1px 0 0 #ebeef5"},
    )


def _table(economies: rx.Var, lines: rx.Var, label: str) -> rx.Component:
    return rx.box(
        rx.el.table(
            rx.el.caption(label, class_name="sr-only"),
            rx.el.thead(
                rx.el.tr(
                    rx.el.th(
                        "申请人", scope="col", style={**_CELL, **_STICKY, "z_index": "2", "white_space": "nowrap"}
                    ),
                    rx.foreach(
                        economies,
                        lambda e: rx.el.th(
                            e, scope="col", style={**_CELL, "white_space": "nowrap", "font_weight": "600"}
                        ),
                    ),
                )
            ),
            rx.el.tbody(
                rx.foreach(
                    lines,
                    lambda line: rx.el.tr(
                        _person_heading(line),
                        rx.foreach(line.cells, lambda cell: rx.el.td(_mark(cell), style=_CELL)),
                    ),
                )
            ),
            style={"border_collapse": "separate", "border_spacing": "0", "font_size": "13px", "width": "max-content"},
        ),
        # Scrolls sideways on its own; focusable so that keyboard users can scroll it too.
        role="region",
        aria_label=label,
        tab_index=0,
        overflow_x="auto",
        width="100%",
        display=WIDE,
        data_testid="economy-matrix",
    )


def _cards(economies: rx.Var, lines: rx.Var, open_all: rx.Var) -> rx.Component:
    def card(line: rx.Var) -> rx.Component:
        return rx.el.details(
            rx.el.summary(
                rx.el.span(line.name, font_weight="600", white_space="nowrap"),
                rx.el.span(line.summary, font_size="12px", color=MUTED, white_space="nowrap"),
                display="flex",
                flex_wrap="wrap",
                align_items="center",
                column_gap="12px",
                min_height="44px",
                padding="6px 0",
                cursor="pointer",
            ),
            rx.el.div(
                rx.foreach(line.cells, lambda cell, i: _mark(cell, economies[i])),
                display="flex",
                flex_wrap="wrap",
                gap="6px",
                padding="4px 0 10px",
            ),
            open=open_all,
            data_person=line.name,
            border_bottom="1px solid #ebeef5",
        )

    return rx.box(rx.foreach(lines, card), display=NARROW, width="100%")


def economy_matrix(economies: rx.Var, lines: rx.Var, label: str = "APEC经济体审核情况") -> rx.Component:
    """`economies`: the deciding economies' names; `lines`: MatrixLine rows (matrix_lines)."""
    return rx.vstack(
        legend(),
        _table(economies, lines, label),
        _cards(economies, lines, lines.length() <= 3),
        spacing="3",
        width="100%",
    )
