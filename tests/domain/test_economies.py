import pytest

from apec_app.domain.economies import (
    APEC_ECONOMIES,
    DECISIONS,
    HOME,
    Economy,
    all_decided,
    approved_codes,
    deciding_economies,
    find_economy,
    median_days,
    percentile_days,
)


def test_all_21_members_with_unique_codes_names_and_order():
    assert len(APEC_ECONOMIES) == 21
    for field in ("code", "name_zh", "name_en", "sort"):
        assert len({getattr(e, field) for e in APEC_ECONOMIES}) == 21
    assert HOME == "CN"
    assert find_economy("TW").name_zh == "中国台北"
    assert find_economy("TW").name_en == "Chinese Taipei"


def test_only_united_states_and_canada_are_transitional():
    assert {e.code for e in APEC_ECONOMIES if e.transitional} == {"US", "CA"}


def test_eighteen_economies_decide_for_a_chinese_applicant_in_display_order():
    deciding = deciding_economies()
    codes = [e.code for e in deciding]
    assert len(codes) == 18
    assert not {"CN", "US", "CA"} & set(codes)
    assert [e.sort for e in deciding] == sorted(e.sort for e in deciding)


def test_deciding_economies_follow_the_configured_list_and_home():
    economies = (
        Economy("JP", "日本", "Japan", False, 2),
        Economy("AU", "澳大利亚", "Australia", False, 1),
        Economy("US", "美国", "United States", True, 3),
    )
    assert [e.code for e in deciding_economies(economies, home="AU")] == ["JP"]
    assert [e.code for e in deciding_economies(economies, home="CN")] == ["AU", "JP"]


@pytest.mark.parametrize(
    "text",
    ["JP", "jp", " Jp ", "日本", " 日本\u3000", "Japan", "JAPAN", "  japan "],
)
def test_find_economy_by_code_chinese_or_english_name(text):
    assert find_economy(text, APEC_ECONOMIES).code == "JP"


def test_find_economy_with_multi_word_names():
    assert find_economy("hong kong,  china").code == "HK"
    assert find_economy("中国香港").code == "HK"
    assert find_economy("中国").code == "CN"
    assert find_economy("viet nam").code == "VN"


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "日", "J", "香港特区"])
def test_find_economy_returns_none_for_unknown_text(text):
    assert find_economy(text) is None


def test_all_decided_needs_an_approval_or_refusal_from_each_deciding_economy():
    deciding = [e.code for e in deciding_economies()]
    decisions = {code: "approved" for code in deciding[:-1]}
    assert not all_decided(decisions, deciding)
    decisions[deciding[-1]] = "pending"
    assert not all_decided(decisions, deciding)
    decisions[deciding[-1]] = "refused"
    assert all_decided(decisions, deciding)
    assert set(DECISIONS) == {"approved", "refused"}


def test_all_decided_ignores_economies_that_do_not_decide():
    assert all_decided({"JP": "approved", "SG": "refused"}, ["JP", "SG"])
    assert not all_decided({"JP": "approved", "US": "refused"}, ["JP", "SG"])


def test_approved_codes_in_display_order_only_for_deciding_economies():
    decisions = {"VN": "approved", "AU": "approved", "JP": "refused", "SG": "approved", "US": "approved"}
    assert approved_codes(decisions, ["SG", "VN", "JP", "AU"]) == ["AU", "SG", "VN"]
    assert approved_codes({}, ["AU"]) == []


def test_median_days_on_odd_and_even_samples():
    assert median_days([30, 10, 20]) == 20
    assert median_days([40, 10, 30, 20]) == 25
    assert median_days([7]) == 7
    assert median_days([]) is None


def test_percentile_days_interpolates_between_ranks():
    samples = [15, 20, 35, 40, 50]
    assert percentile_days(samples, 0) == 15
    assert percentile_days(samples, 100) == 50
    assert percentile_days(samples, 40) == pytest.approx(29.0)
    assert percentile_days(samples, 90) == pytest.approx(46.0)
    assert percentile_days([1, 2], 75) == pytest.approx(1.75)
    assert percentile_days([], 90) is None


@pytest.mark.parametrize("p", [-1, 100.5])
def test_percentile_out_of_range_is_a_programming_error(p):
    with pytest.raises(ValueError):
        percentile_days([1, 2, 3], p)
