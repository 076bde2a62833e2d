"""The address form (地址管理 and 取卡方式's 【选择地址】): 省/市/区 as a cascade, 详细地址, 收件人, 联系电话.

For a state with AddressRegionMixin: `region` holds what is chosen, and the lists of the next level are looked up
in the browser from a table sent once with the page (GB/T 2260, apec_app/domain/regions.py).
"""

from __future__ import annotations

import reflex as rx

from apec_app.components.fields import form_row, text_input
from apec_app.domain import regions

_CITIES = {p: regions.address_cities(p) for p in regions.provinces()}
_DISTRICTS = {f"{p}/{c}": ds for p, cs in regions.address_tree().items() for c, ds in cs.items() if ds}
SELECT_STYLE = {
    "width": "100%",
    "height": "44px",
    "padding": "0 8px",
    "border": "1px solid #c0c4cc",
    "border_radius": "6px",
    "background": "white",
    "font_size": "15px",
}


def _options(values) -> rx.Component:
    return rx.foreach(values, lambda o: rx.el.option(o, value=o))


def _select(id: str, name: str, label: str, options, value, on_change, error) -> rx.Component:
    return form_row(
        label,
        rx.el.select(
            rx.el.option(f"请选择{label}", value=""),
            options,
            id=id,
            name=name,
            aria_label=label,
            value=value,
            on_change=on_change,
            aria_invalid=rx.cond(error != "", "true", "false"),
            **SELECT_STYLE,
        ),
        error,
        html_for=id,
    )


def address_fields(S, prefix: str, errors, values) -> rx.Component:  # noqa: N803 - the state class
    """The fields of one address form; `errors` and `values` are the state's dicts for it (field → text)."""
    region = S.region
    province, city = region.get("province", ""), region.get("city", "")
    cities = rx.Var.create(_CITIES).to(dict).get(province, []).to(list[str])
    districts = rx.Var.create(_DISTRICTS).to(dict).get(province + "/" + city, []).to(list[str])
    return rx.vstack(
        _select(
            f"{prefix}-province",
            "province",
            "省",
            [rx.el.option(p, value=p) for p in regions.provinces()],
            province,
            lambda v: S.set_region("province", v),
            errors.get("province", ""),
        ),
        _select(
            f"{prefix}-city",
            "city",
            "市",
            _options(cities),
            city,
            lambda v: S.set_region("city", v),
            errors.get("city", ""),
        ),
        _select(
            f"{prefix}-district",
            "district",
            "区",
            _options(districts),
            region.get("district", ""),
            lambda v: S.set_region("district", v),
            errors.get("district", ""),
        ),
        text_input(
            f"{prefix}-detail",
            "详细地址",
            errors.get("detail", ""),
            name="detail",
            default_value=values.get("detail", ""),
            placeholder="请输入详细地址，如街道、门牌号",
        ),
        text_input(
            f"{prefix}-recipient",
            "收件人",
            errors.get("recipient", ""),
            name="recipient",
            default_value=values.get("recipient", ""),
        ),
        text_input(
            f"{prefix}-phone",
            "联系电话",
            errors.get("phone", ""),
            name="phone",
            default_value=values.get("phone", ""),
            hint="手机号码或固定电话（如025-12345678）",
        ),
        rx.checkbox("设为默认地址", name="is_default", size="3"),
        spacing="3",
        width="100%",
    )
