"""The virtual card's QR code as drawn for the page (integrations/qr.py, box size 5 at 220 px): zxing reads back
exactly the signed token, and the token it reads verifies."""

from __future__ import annotations

import base64
import io
from datetime import date

import zxingcpp
from PIL import Image

from apec_app.domain import virtual_card as rules
from apec_app.integrations import card_keys
from apec_app.integrations.qr import qr_data_url
from apec_app.services.cards import tokens


def test_the_card_qr_code_reads_back_as_a_token_that_verifies(tmp_path):
    root = tmp_path / "keys"
    claims = rules.Claims(rules.card_number(4321), "OUYANG MINGYUE", "E12345678", date(2031, 11, 25),
                          ("AU", "BN", "CL", "HK", "ID", "JP", "KR", "MY", "MX", "NZ", "PG", "PE", "PH", "RU", "SG",
                           "TW", "TH", "VN"), 1_795_000_000)  # fmt: skip
    token = tokens.sign(claims, root)
    png = base64.b64decode(qr_data_url(token, box_size=5).split(",", 1)[1])
    image = Image.open(io.BytesIO(png)).convert("L").resize((220, 220), Image.NEAREST)
    found = zxingcpp.read_barcodes(image)
    assert [r.text for r in found] == [token]
    assert tokens.verify(found[0].text, card_keys.public_keys(root)).claims == claims
