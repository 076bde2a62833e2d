"""The visual zone of generated Chinese data pages, read for real (tesseract with the chi_sim model) and checked.

Each printed field is read right on most pages and never wrong; a page whose printed fields contradict its MRZ
(drawn by tests/ocr_samples.py with `printed=`) has exactly those fields left unread.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from apec_app.integrations import ocr_engine
from apec_app.integrations.ocr import read_passport
from apec_app.integrations.passport_visual import LANG
from apec_app.services.passport_ocr import VISUAL_KEYS, propose
from tests.ocr_samples import VISUAL_KEYS as FIELDS
from tests.ocr_samples import make_passport_image

SEEDS = range(4000, 4016)
CLEAN = 4005  # a page on which every printed field is read right (the contradictions are drawn on it)


@pytest.fixture(scope="module", autouse=True)
def _chinese_model():
    assert ocr_engine.has_language(LANG), "the Chinese OCR model is missing: apt-get install tesseract-ocr-chi-sim"


@pytest.fixture(scope="module")
def readings():
    out = []
    for seed in SEEDS:
        image, expected = make_passport_image(seed)
        out.append((read_passport(image), expected))
    return out


@pytest.mark.parametrize("field", FIELDS)
def test_each_printed_field_is_read_right_on_most_pages_and_never_wrong(readings, field):
    values = [(outcome.visual.as_strings()[field], expected[field]) for outcome, expected in readings]
    wrong = [(got, want) for got, want in values if got and got != want]
    assert wrong == []
    assert sum(got == want for got, want in values) >= 0.6 * len(values), values


def test_unread_fields_are_exactly_the_empty_ones(readings):
    for outcome, _ in readings:
        values = outcome.visual.as_strings()
        assert outcome.visual.unread == {key for key in FIELDS if not values[key]}


def _read(**printed):
    image, expected = make_passport_image(CLEAN, printed=printed)
    outcome = read_passport(image)
    assert outcome.result.valid  # the MRZ is the holder's, whatever the page prints
    return outcome.visual, expected


def test_the_clean_page_reads_in_full():
    visual, expected = _read()
    assert visual.unread == frozenset() and visual.as_strings() == {key: expected[key] for key in FIELDS}


def test_a_surname_whose_pinyin_is_not_the_mrz_s_is_left_empty():
    _, expected = _read()
    other = "李" if expected["surname_cn"] != "李" else "王"
    visual, _ = _read(surname_cn=other, surname="LI" if other == "李" else "WANG")
    assert visual.surname_cn == "" and visual.unread == {"surname_cn"}


def test_given_names_whose_pinyin_is_not_the_mrz_s_are_left_empty():
    visual, expected = _read(given_names_cn="国强", given_names="GUOQIANG")
    assert expected["given_names_cn"] != "国强"
    assert visual.given_names_cn == "" and visual.unread == {"given_names_cn"}


def test_an_issue_date_that_does_not_fit_the_expiry_is_left_empty_and_its_place_with_it():
    _, expected = _read()
    shifted = date.fromisoformat(expected["issue_date"]) + timedelta(days=3)
    visual, _ = _read(issue_date=shifted)
    assert visual.issue_date is None and visual.unread == {"issue_date", "issue_place"}


def test_an_unknown_place_of_issue_is_left_empty():
    visual, _ = _read(issue_place="HUOXING", issue_place_cn="火星")
    assert visual.issue_place == "" and visual.unread == {"issue_place"}


def test_an_unknown_authority_is_left_empty():
    visual, _ = _read(issuing_authority="国家安全部", issuing_authority_en="Ministry of State Security")
    assert visual.issuing_authority == "" and visual.unread == {"issuing_authority"}


def test_the_proposal_carries_the_read_fields_and_marks_the_unread_ones():
    image, expected = make_passport_image(
        CLEAN, printed={"issuing_authority": "国家安全部", "issuing_authority_en": "Ministry of State Security"}
    )
    proposal = propose(read_passport(image))
    assert proposal.fields["surname"] == proposal.surname_cn == expected["surname_cn"]
    assert proposal.fields["given_name"] == proposal.given_names_cn == expected["given_names_cn"]
    assert proposal.fields["issue_date"] == proposal.issue_date == expected["issue_date"] and proposal.issue_date_read
    assert proposal.fields["issue_place"] == expected["issue_place"]
    assert proposal.unread == {"issuing_authority"} and proposal.fields["issuing_authority"] == ""
    assert "未能识别" in proposal.note and "签发机关" in proposal.note and "推算" not in proposal.note
    assert set(VISUAL_KEYS) <= set(proposal.fields)


def test_without_a_printed_issue_date_the_proposal_infers_one_and_says_so():
    _, expected = _read()
    image, _ = make_passport_image(
        CLEAN, printed={"issue_date": date.fromisoformat(expected["issue_date"]) - timedelta(days=40)}
    )
    proposal = propose(read_passport(image))
    assert not proposal.issue_date_read and proposal.issue_date == ""
    assert proposal.fields["issue_date"] == expected["issue_date"]  # inferred from the expiry date
    assert "推算" in proposal.note and "issue_date" not in proposal.unread and "issue_place" in proposal.unread
