from apec_app.domain.paging import page_count


def test_rows_fill_pages_and_an_empty_list_still_has_one():
    assert [page_count(total, 10) for total in (0, 1, 10, 11, 20, 21)] == [1, 1, 1, 2, 2, 3]
