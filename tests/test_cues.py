"""Date, view-count and byline cues on wordings copied from real portals (portal-patterns.md)."""

import pytest

from vinews_scraper.extraction.article import is_furniture, is_terminator
from vinews_scraper.extraction.dom import is_path_line
from vinews_scraper.extraction.bylines import (
    inline_author,
    is_office,
    labelled_author,
    labelled_source,
    looks_like_name,
)
from vinews_scraper.extraction.dates import find_dates, parse_machine_date
from vinews_scraper.extraction.views import find_view_count


@pytest.mark.parametrize("text, value, raw, label", [
    ("[ Cập nhật vào ngày (22/01/2021) ] - [ Số lần xem: 679 ]", "2021-01-22", "22/01/2021", "modified"),
    ("Ngày 01-08-2022", "2022-08-01", "01-08-2022", "published"),
    ("02/07/2024", "2024-07-02", "02/07/2024", None),
    ("Ngày đăng: 06/01/2021 - Lượt xem: 99", "2021-01-06", "06/01/2021", "published"),
    ("Ngày 22/02/2024 22:48:48", "2024-02-22T22:48:48+07:00", "22/02/2024 22:48:48", "published"),
    ("Đăng ngày 25-11-2022 09:07", "2022-11-25T09:07:00+07:00", "25-11-2022 09:07", "published"),
    ("15:35 22/02/2024", "2024-02-22T15:35:00+07:00", "15:35 22/02/2024", None),
    ("16:20, Thứ Hai, 2-10-2023 363 0", "2023-10-02T16:20:00+07:00", "16:20, Thứ Hai, 2-10-2023", None),
    ("Thứ năm - 20/06/2024 02:41", "2024-06-20T02:41:00+07:00", "Thứ năm - 20/06/2024 02:41", None),
    ("Thứ Hai, ngày 25 tháng 3 năm 2019 - 13:38", "2019-03-25T13:38:00+07:00",
     "Thứ Hai, ngày 25 tháng 3 năm 2019 - 13:38", None),
    ("Thứ Ba, 30/12/2025, 01:00 (GMT+7)", "2025-12-30T01:00:00+07:00", "Thứ Ba, 30/12/2025, 01:00 (GMT+7)", None),
    ("Cập nhật: 05/10/2022 17:48", "2022-10-05T17:48:00+07:00", "05/10/2022 17:48", "modified"),
    ("2024-01-21 09:26:00.0", "2024-01-21T09:26:00+07:00", "2024-01-21 09:26:00.0", None),
    ("18/07/2023 01:37:00 AM", "2023-07-18T01:37:00+07:00", "18/07/2023 01:37:00 AM", None),
    ("Ngày đăng: 22/01/2021 02:35 PM", "2021-01-22T14:35:00+07:00", "22/01/2021 02:35 PM", "published"),
    ("Ngày đăng: 22/01/2021 12:10 AM", "2021-01-22T00:10:00+07:00", "22/01/2021 12:10 AM", "published"),
    ("10h30 ngày 5/3/2024", "2024-03-05T10:30:00+07:00", "10h30 ngày 5/3/2024", None),
    ("Đăng ngày 5 Tháng 3, 2026", "2026-03-05", "5 Tháng 3, 2026", "published"),
    ("T4, 08/04/2026 - 07:45", "2026-04-08T07:45:00+07:00", "T4, 08/04/2026 - 07:45", None),
    # the portals' English pages
    ("Friday, November 13, 2026, 4:45 PM", "2026-11-13T16:45:00+07:00", "Friday, November 13, 2026, 4:45 PM", None),
    # a count printed right after the clock's marker, the two spans without a space between them
    ("October 3, 2025, 2:30 PM1,234 views", "2025-10-03T14:30:00+07:00", "October 3, 2025, 2:30 PM", None),
    ("Friday, 17 Jul 2026 7:05 PM", "2026-07-17T19:05:00+07:00", "Friday, 17 Jul 2026 7:05 PM", None),
    ("Tue, 18 Aug 2026 - 2:30 PM (GMT+7)", "2026-08-18T14:30:00+07:00", "Tue, 18 Aug 2026 - 2:30 PM (GMT+7)", None),
    ("Posted on Sept. 8th, 2026", "2026-09-08", "Sept. 8th, 2026", "published"),
    # the ends of a span of days ("từ ngày … đến ngày …") are not labelled publish dates
    ("tạm ngừng tiếp nhận hồ sơ từ ngày 02/11/2026", "2026-11-02", "02/11/2026", None),
    # an hour before "ngày", and an announcement's signing line (a place and a comma)
    ("Thời gian: 8 giờ ngày 15/4/2025", "2025-04-15", "15/4/2025", None),
    ("Đồng Phú, ngày 28 tháng 5 năm 2025", "2025-05-28", "28 tháng 5 năm 2025", None),
    ("từ ngày 02/11/2026 đến ngày 06/11/2026", "2026-11-02", "02/11/2026", None),
    # nor is the day of an event's morning or afternoon
    ("Thời gian: buổi sáng ngày 12/6/2025 và buổi sáng ngày 26/6/2025", "2025-06-12", "12/6/2025", None),
    ("chiều ngày 3/4/2026, tại hội trường", "2026-04-03", "3/4/2026", None),
])
def test_dates_are_day_first_and_keep_only_printed_times(text, value, raw, label):
    hit = find_dates(text)[0]
    assert (hit.value, hit.raw, hit.label) == (value, raw, label)


def test_publish_and_update_dates_on_one_line_are_told_apart():
    hits = find_dates("Ngày đăng: 22/01/2021 14:35 - Cập nhật: 23/01/2021 08:00")
    assert [(h.value, h.label) for h in hits] == [
        ("2021-01-22T14:35:00+07:00", "published"), ("2021-01-23T08:00:00+07:00", "modified")]


def test_impossible_dates_and_ranges_are_not_dates():
    assert find_dates("31/02/2021") == []
    assert find_dates("Số 12/2021/NQ-HĐND") == []
    assert [h.value for h in find_dates("(từ ngày 20/01 -19/02/2017)01/03/2017 15:02:43")] == [
        "2017-03-01T15:02:43+07:00"]


def test_machine_dates_convert_to_vietnam_time():
    assert parse_machine_date("2021-01-22T03:00:00Z") == "2021-01-22T10:00:00+07:00"
    assert parse_machine_date("2021-01-22") == "2021-01-22"
    assert parse_machine_date("Fri, 22 Jan 2021 10:00:00 +0700") == "2021-01-22T10:00:00+07:00"
    assert parse_machine_date("không phải ngày") is None


@pytest.mark.parametrize("value, expected", [
    ("22 Jan 2021 10:05 GMT", "2021-01-22T10:05:00+07:00"),  # RFC 2822 without a weekday
    ("January 22, 2021, 07:47 PM", "2021-01-22T19:47:00+07:00"),  # not RFC 2822: the PM counts
    ("2021-01-22 09:30:00", "2021-01-22T09:30:00+07:00"),
    ("January 22, 2021", "2021-01-22"),
])
def test_machine_dates_in_other_formats_keep_their_clock(value, expected):
    assert parse_machine_date(value) == expected


@pytest.mark.parametrize("text, count", [
    ("[ Cập nhật vào ngày (22/01/2021) ] - [ Số lần xem: 679 ]", 679),
    ("Lượt xem: 6783", 6783),
    ("  • Lượt xem: 5547 lượt xem", 5547),
    ("1K lượt xem", 1000),
    ("1,5K lượt xem", 1500),
    ("Số lần xem: 1.234", 1234),
    ("Lượt xem: 1,234", 1234),
    ("Lượt xem: 0", 0),
    ("Tổng lượt truy cập: 1.234.567", None),
    ("Lượt truy cập: 5", None),
    ("Đang online: 9", None),
    ("Đang xem: 12", None),
    ("Tất cả: 993.006", None),
    ("Hội nghị xem xét 12 đề án", None),
    ("View count: 2,051", 2051),
    ("0 Views", 0),
    ("2314 lượt đọcIn bài", 2314),  # the next span's text glued to the label
])
def test_view_counts_as_displayed_and_site_counters_ignored(text, count):
    found = find_view_count(text)
    assert (found[0] if found else None) == count


@pytest.mark.parametrize("text, name", [
    ("Tin, ảnh: Minh Thư", "Minh Thư"),
    ("Tin và ảnh: Ngọc Hân", "Ngọc Hân"),
    ("Bài, ảnh: Lê Hoa", "Lê Hoa"),
    ("Tác giả: Phan Ngọc Trí", "Phan Ngọc Trí"),
    ("Tác giả bài viết: Kim Lan - Quốc Nam", "Kim Lan - Quốc Nam"),
    ("T/h: Hồng Nhung", "Hồng Nhung"),
    ("Tin bài: Võ Thị Dun", "Võ Thị Dun"),
    ("Bt: Như Ý", "Như Ý"),
    ("Thực hiện: Đào Thanh", "Đào Thanh"),
    ("Tin, ảnh: VHXH", "VHXH"),
    ("Tin: tổ chức hội nghị sơ kết", None),
    # another labelled field after the name on the same line
    ("Tác giả: Ban Biên tập Chia sẻ: Facebook Zalo", "Ban Biên tập"),
    ("Tác giả: Nguyễn Văn An Nguồn: Báo Hậu Giang", "Nguyễn Văn An"),
])
def test_byline_labels_are_removed(text, name):
    assert labelled_author(text) == name


def test_source_lines_and_inline_authors():
    assert labelled_source("Nguồn: Báo Hậu Giang") == "Báo Hậu Giang"
    assert labelled_source("Nguồn tin: HND TX Điện Bàn") == "HND TX Điện Bàn"
    assert labelled_source("Năng Nguyễn") is None
    assert inline_author("Ngày đăng bài: 22/05/2018 | Tác giả: Chánh văn phòng")[0] == "Chánh văn phòng"
    # spans printed without a space between them: the label after a date, the next field after the name
    assert inline_author("16:20, Thứ Ba, 8-4-2025Tác giả: Lê Hồng NhungLượt xem: 985")[0] == "Lê Hồng Nhung"
    assert inline_author("12/06/2026 08:05Tác giả: Lâm Quốc Khánh2.418 lượt xem")[0] == "Lâm Quốc Khánh"


@pytest.mark.parametrize("text, name_like, office", [
    ("Năng Nguyễn", True, False),
    ("Huỳnh Điệp (TX)", True, False),
    ("Lê Thị Xuân Trang - Phòng NN&PTNT", True, False),
    ("BBT", True, True),
    ("Trung tâm VHTT&TT Hữu Lũng", False, True),
    ("Bệnh viện Phổi tỉnh", False, True), ("Trường THCS Vị Thắng", True, True), ("Thư viện thành phố Ngã Bảy", False, True),
    ("Khen thưởng cho các tập thể, cá nhân", False, False),
    ("Tại hội nghị, đã khen thưởng cho 18 tập thể.", False, False),
    # a name and a unit longer than a name line, in brackets or after a dash
    ("Trần Minh Khoa (Trung tâm Văn hóa - Thể thao và Truyền thông thị xã Điện Bàn)", True, False),
    ("Phan Thị Thu Hà - Trung tâm Văn hóa, Thông tin và Thể thao huyện Nam Đàn", True, False),
    ("Phan Thị Thu Hà - Người dân các xã trong huyện Nam Đàn tham gia lễ hội rất đông vui", False, False),
    # units named in English on the portals' English pages
    ("Department of Culture, Sports and Tourism", False, True),
    ("Phu Quoc City Culture, Sports and Broadcasting Centre", False, True),
    ("The festival opens at the Centre", False, False),
    ("Print Back", True, False),
    # a label and its value: an official document's filing note, a credit line
    ("- Lưu: VT.", False, False), ("Contributing: Kristine Phillips", False, False),
])
def test_bare_bylines(text, name_like, office):
    assert (looks_like_name(text), is_office(text)) == (name_like, office)


@pytest.mark.parametrize("text, furniture", [
    ("27 Kb", True), ("(1,2 MB)", True), ("Dung lượng: 412 KB", True), ("18 KB", True),
    ("In bài", True), ("Lượt xem:", True),
    # rows of tool links, but a path of navigation links is a breadcrumb
    ("In Email", True), ("In bài viết Đóng", True), ("In bài viết | Đóng cửa sổ", True), ("Print | Share | Zalo", True),
    ("Trang chủ / Tin tức", False), ("In bài viết về Đóng Tàu", False), ("Print Back", True),
    ("27 hộ", False), ("Kế hoạch số 12/KH-UBND", False), ("Năm 2026 huyện có 12 MB trạm phát sóng", False),
    # a text-to-speech player's and a table of contents' headings, with or without their icon
    ("Nghe bài viết", True), ("🎧 Nghe bài viết", True), ("✉ Gửi email", True), ("Mục lục bài viết", True),
    ("Nghe bài viết của đồng chí Bí thư, cán bộ xã rất phấn khởi", False),
    # copyright lines of a footer or under a photo
    ("© Cổng thông tin điện tử tỉnh Hậu Giang", True), ("Copyright 2019 Hawaii News Now. All rights reserved.", True),
    ("Bản quyền thuộc UBND huyện Đô Lương", True), ("Bản quyền tác giả được bảo hộ theo luật định", False),
    # an ad slot's label, a slideshow's fallback text, a skip link
    ("Quảng cáo", True), ("Advert", True), ("Read More", True), ("Trình chiếu này cần JavaScript.", True),
    ("Chuyển đến phần điều hướng", True), ("Quảng cáo sản phẩm OCOP của huyện trên sàn thương mại điện tử", False),
])
def test_page_furniture_lines(text, furniture):
    """Print links, bare labels and an attachment list's file sizes are never article text."""
    assert is_furniture(text) is furniture


@pytest.mark.parametrize("text, path", [
    ("Trang chủ / Tin tức / Văn hóa", True), ("Trang chủ » Tin tức", True), ("Home›News", True),
    ("Trang chủ > Kinh tế > Nông nghiệp", True),
    # a row of menu links between bars is not a path
    ("Trang chủ | Đoàn thể | Thông báo | Văn bản", False), ("Trang chủ | Giới thiệu", False),
])
def test_one_line_breadcrumbs(text, path):
    assert is_path_line(text, 150) is path


@pytest.mark.parametrize("text, ends", [
    ("Tin liên quan", True), ("Các ý kiến của bạn đọc", True),
    ("Cơ quan chủ quản: Ủy ban nhân dân tỉnh Hậu Giang. Địa chỉ: số 02 đường Điện Biên Phủ, phường V, thành phố Vị Thanh.", True),
    ("Chịu trách nhiệm chính: Chánh Văn phòng UBND huyện", True),
    ("Cơ quan chủ quản của dự án là Sở Nông nghiệp và Môi trường.", False),
])
def test_lines_that_end_the_article(text, ends):
    assert is_terminator(text) is ends
