"""The pre-checks' comparisons on known data (domain/prechecks.py): each names the field and both values."""

from __future__ import annotations

from datetime import date

from apec_app.domain import prechecks as rules
from apec_app.domain.mrz import parse_td3
from tests.factories import new_id_number
from tests.ocr_samples import mrz_lines

TODAY = date(2026, 11, 26)
HOLDER = {"surname": "ZHANG", "given_names": "XIAOMING", "number": "E12345678", "nationality": "CHN",
          "birth_date": date(1990, 5, 17), "sex": "M", "expiry_date": date(2034, 3, 1),
          "personal_number": ""}  # fmt: skip


def mrz(**changes):
    return parse_td3("\n".join(mrz_lines(HOLDER | changes)), TODAY)


def typed(**changes) -> rules.TypedPassport:
    values = {"pinyin": "ZHANG XIAOMING", "passport_number": "E12345678", "birth_date": date(1990, 5, 17),
              "sex": "男", "expiry_date": date(2034, 3, 1)} | changes  # fmt: skip
    return rules.TypedPassport(**values)


def test_an_mrz_that_agrees_with_every_typed_field_passes():
    assert rules.compare_mrz(typed(), mrz()).status == rules.PASS
    # spaces and case of the pinyin do not count
    assert rules.compare_mrz(typed(pinyin="zhang xiao ming"), mrz()).status == rules.PASS


def test_each_disagreeing_field_is_named_with_both_values():
    check = rules.compare_mrz(
        typed(pinyin="ZHANG XIAOMIN", birth_date=date(1990, 5, 18), sex="女", expiry_date=date(2034, 3, 2)), mrz()
    )
    assert check.status == rules.FAIL
    assert check.reason.split("；") == [
        "姓名拼音不一致：填写为 ZHANG XIAOMIN，机读区为 ZHANG XIAOMING",
        "出生日期不一致：填写为 1990-05-18，机读区为 1990-05-17",
        "性别不一致：填写为 女，机读区为 男",
        "失效日期不一致：填写为 2034-03-02，机读区为 2034-03-01",
    ]


def test_a_long_name_cut_by_the_mrz_agrees_with_its_full_spelling():
    long_given = "XIAOMINGXIAOMINGXIAOMINGXIAOMINGXIAO"  # with the surname more than the MRZ's 39 characters
    line1 = "P<CHN" + f"ZHANG<<{long_given}"[:39]  # as printed: cut at the field's end
    reading = parse_td3(f"{line1}\n{mrz_lines(HOLDER)[1]}", TODAY)
    assert rules.compare_mrz(typed(pinyin=f"ZHANG {long_given}"), reading).status == rules.PASS
    assert rules.compare_mrz(typed(pinyin="ZHANG XIAOMING"), reading).status == rules.FAIL  # shorter than the cut


def test_no_page_fails_and_no_mrz_found_is_a_warning():
    no_page = rules.compare_mrz(typed(), None, page_uploaded=False)
    assert no_page == rules.Check(rules.MRZ, rules.FAIL, "未上传护照资料页")
    assert rules.compare_mrz(typed(), None).status == rules.WARN


def test_a_check_digit_that_failed_makes_an_agreeing_reading_a_warning():
    lines = mrz_lines(HOLDER)
    broken = lines[1][:9] + ("0" if lines[1][9] != "0" else "1") + lines[1][10:]  # the number's check digit
    reading = parse_td3(f"{lines[0]}\n{broken}", TODAY)
    assert "number" in reading.failed_checks
    check = rules.compare_mrz(typed(), reading)
    assert check.status == rules.WARN and "校验位未通过" in check.reason


def test_id_number_against_birth_date_and_sex():
    number = new_id_number(date(1990, 5, 17), male=True)
    assert rules.check_id_number(number, date(1990, 5, 17), "男").status == rules.PASS
    check = rules.check_id_number(number, date(1990, 5, 16), "女")
    assert check.status == rules.FAIL
    assert check.reason == (
        "出生日期不一致：填写为 1990-05-16，身份证号中为 1990-05-17；性别不一致：填写为 女，身份证号中为 男"
    )
    wrong_check = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert rules.check_id_number(wrong_check, date(1990, 5, 17), "男").reason.endswith("的校验码不正确")
    assert rules.check_id_number("12345", None, "男").status == rules.FAIL


def test_passport_validity_six_months_and_the_cards_term():
    assert rules.check_passport_validity(date(2027, 5, 25), TODAY).status == rules.FAIL  # 6 months less a day
    assert rules.check_passport_validity(date(2026, 11, 26), TODAY).reason == "护照已于 2026-11-26 失效"
    ends_before_card = rules.check_passport_validity(date(2030, 1, 1), TODAY)
    assert ends_before_card.status == rules.WARN
    assert "2031-11-25" in ends_before_card.reason  # a card made today: 5 years less a day
    assert rules.check_passport_validity(date(2031, 11, 25), TODAY).status == rules.PASS
    assert rules.check_passport_validity(None, TODAY).status == rules.FAIL


def test_photo_dimensions_and_face_rules():
    centred = [(100, 120, 150, 150)]
    assert rules.check_photo((350, 450), centred).status == rules.PASS
    assert rules.check_photo((49, 60), centred).reason == "照片尺寸为 49×60 像素，应在 50×50 至 600×800 像素之间"
    assert rules.check_photo(None, None).reason == "未上传照片"
    assert rules.check_photo((350, 450), []).reason == "照片中未检测到人脸"
    assert rules.check_photo((350, 450), centred * 2).status == rules.FAIL
    assert rules.check_photo((350, 450), [(150, 200, 60, 60)]).reason.startswith("人脸过小")
    off = rules.check_photo((350, 450), [(0, 120, 150, 150)])
    assert (off.status, off.reason) == (rules.WARN, "人脸未居中（偏左），请核对照片是否符合要求")


def test_signature_dimensions():
    assert rules.check_signature((600, 300)).status == rules.PASS
    assert rules.check_signature((600, 301)).reason == "签名尺寸为 600×301 像素，应在 50×50 至 600×300 像素之间"
    assert rules.check_signature(None).status == rules.FAIL


def test_duplicates_name_the_other_application_and_whose_it_is():
    check = rules.check_duplicates(
        [rules.OtherApplication("APEC20261101000001", "护照号码", False),
         rules.OtherApplication("APEC20261101000002", "身份证号", True)]  # fmt: skip
    )
    assert check.reason == (
        "护照号码与其他企业的在办申请单 APEC20261101000001 相同；身份证号与本企业的在办申请单 APEC20261101000002 相同"
    )
    assert rules.check_duplicates([]).status == rules.PASS


def test_earlier_cards_still_valid_warn_and_ended_ones_inform():
    valid = rules.EarlierCard("APEC1", "mailed", date(2027, 1, 1))
    expired = rules.EarlierCard("APEC2", "picked_up", date(2025, 1, 1))
    cancelled = rules.EarlierCard("APEC3", "cancelled", date(2028, 1, 1))
    assert rules.check_earlier_cards([valid, cancelled], TODAY).status == rules.WARN
    ended = rules.check_earlier_cards([expired, cancelled], TODAY)
    assert ended.status == rules.PASS
    assert "APEC2 所制的卡已过期" in ended.reason and "APEC3 所制的卡已注销" in ended.reason


def test_missed_rules_fail_in_their_own_words_and_the_worst_status_wins():
    check = rules.check_eligibility(["员工人数不少于500人（当前为120人）"])
    assert (check.status, check.reason) == (rules.FAIL, "未满足申办条件：员工人数不少于500人（当前为120人）")
    assert rules.worst([rules.check_eligibility([]), check]) == rules.FAIL
    assert rules.worst([rules.check_signature((300, 100)), rules.compare_mrz(typed(), None)]) == rules.WARN
