"""Textual cues of Vietnamese government portals, as data.

Every wording here was seen on real portals (see the shared portal-patterns catalog) or is a
close variant. Extraction anchors on these words rather than on one guessed set of CSS classes.
"""

import re

# Labels that introduce a publication date, and labels of an update date.
PUBLISHED_LABELS = (
    "ngày đăng bài", "ngày đăng tin", "ngày đăng", "đăng ngày", "đăng lúc", "ngày xuất bản",
    "xuất bản", "thời gian đăng", "ngày phát hành", "ngày ban hành", "ngày viết", "đăng tải",
    "posted on", "posted", "published", "ngày",
)
MODIFIED_LABELS = (
    "lần cập nhật cuối lúc", "lần cập nhật cuối", "cập nhật cuối lúc", "cập nhật cuối", "cập nhật vào ngày", "cập nhật lúc", "cập nhật ngày", "ngày cập nhật", "cập nhật lần cuối",
    "cập nhật", "sửa đổi", "chỉnh sửa", "last updated", "updated", "modified",
)

# Labels of dates that are not the article's (a print view's print date, today's date).
OTHER_DATE_LABELS = ("ngày in", "in ngày", "in lúc", "hôm nay", "today", "ngày truy cập")

# Words that may accompany a date on a meta line without being article text.
WEEKDAYS = (
    "thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu", "thứ bảy", "thứ 2", "thứ 3", "thứ 4",
    "thứ 5", "thứ 6", "thứ 7", "chủ nhật", "chủ nhựt", "cn", "t2", "t3", "t4", "t5", "t6", "t7",
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",  # English pages' "Tue, 18 Aug 2026"
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)
ENGLISH_WEEKDAYS = WEEKDAYS[-7:]

# A view-count label; the number may come after it ("Lượt xem: 6783") or before it ("1K lượt xem").
VIEW_LABELS = (
    "lượt truy cập bài viết", "lượt truy cập bài",  # Joomla's article hits; "lượt truy cập" alone is the site's
    "số lần xem", "số lượt xem", "lượt xem", "lần xem", "lượt đọc", "số lần đọc", "đã xem",
    "lượt view", "view count", "views", "view", "xem", "hits", "visibility", "remove_red_eye", "👁️", "👁",
)
# Site-wide counters: never an article's view count.
SITE_COUNTER_WORDS = (
    "truy cập", "online", "đang xem", "hôm nay", "hôm qua", "tuần này", "tháng này", "tất cả",
    "tổng số", "tổng lượt", "thống kê", "khách", "visitor", "năm nay",
)

# Byline labels, longest first; the name follows the label.
AUTHOR_LABELS = (
    "tác giả bài viết", "tin và ảnh", "bài và ảnh", "tin, ảnh", "tin ảnh", "bài, ảnh", "bài ảnh",
    "tin - ảnh", "bài - ảnh", "tác giả", "người viết", "người đăng", "tin bài", "bài viết",
    "phóng viên", "thực hiện", "biên tập viên", "nhóm pv", "t/h", "tin", "bài", "bt", "pv", "by",
)
SOURCE_LABELS = ("nguồn tin", "nguồn bài", "nguồn")

# Headings that end an article: what follows is comments, related news or site chrome.
TERMINATORS = (
    "các ý kiến của bạn đọc", "ý kiến của bạn đọc", "ý kiến bạn đọc", "gửi ý kiến", "ý kiến của bạn",
    "gửi bình luận", "viết bình luận", "bình luận", "góp ý kiến", "tin liên quan", "bài liên quan",
    "tin cùng chuyên mục", "bài viết liên quan", "tin bài liên quan", "các tin khác", "các bài khác",
    "tin khác", "tin đã đưa", "những tin mới hơn", "những tin cũ hơn", "tin mới hơn", "tin cũ hơn",
    "các tin đã đưa", "xem thêm", "tin tức khác", "bài viết khác", "bài trước", "bài tiếp theo",
    "tin mới", "tin mới nhất", "tin xem nhiều", "tin nổi bật", "đọc nhiều", "liên kết website",
    "thống kê truy cập", "xem tin theo ngày", "chia sẻ bài viết", "các bài viết khác",
    "nội dung liên quan", "tin bài khác", "bài cùng chuyên mục", "có thể bạn quan tâm", "bạn có thể quan tâm",
    "tin đọc nhiều", "bài đọc nhiều", "tin cùng loại", "related", "related articles", "related stories", "related posts", "related news",
    "you may also like", "you might also like", "recommended", "recommended for you",
    "more stories", "more from", "most popular", "most read", "latest news", "leave a reply",
    "leave a comment", "popular posts", "recent posts", "about the author",
    "você pode gostar", "você também pode gostar", "posts relacionados", "artigos relacionados",
    "notícias relacionadas",
)

# Tool links of several words that stand in a row with others ("In bài viết | Đóng cửa sổ"); a
# row of these and one-word furniture lines is furniture. Navigation ("Trang chủ", "Tin tức") is
# not among them: a row of those is a breadcrumb.
TOOL_LINKS = (
    "in bài", "in bài viết", "bản in", "in trang", "gửi email", "gửi bài viết", "gửi cho bạn bè",
    "quay lại", "trở về", "trở lại", "về đầu trang", "lên đầu trang", "đầu trang", "chia sẻ",
    "lưu bài", "lưu tin", "đóng cửa sổ", "tải về", "tải xuống", "nghe đọc bài", "đọc bài", "cỡ chữ",
    "nghe bài viết", "nghe đọc bài viết", "nghe bài", "mục lục", "mục lục bài viết",
    "liên kết cố định", "permalink",
)

# Links of a page's top bar to the site's own account, contact, map and language pages: a date
# printed on one line with them is today's, in the header ("Thứ Năm, 26/11/2026 | Liên hệ | Đăng nhập").
SITE_LINKS = frozenset((
    "đăng nhập", "đăng ký", "đăng xuất", "liên hệ", "sơ đồ site", "sơ đồ trang", "sơ đồ cổng", "sơ đồ website",
    "english", "tiếng anh", "tiếng việt", "rss", "login", "log in", "sign in", "sitemap", "site map", "contact",
    "contact us",
))

# A control that shows the rest of the article, collapsed below it ("Xem tiếp »").
CONTINUE_READING = frozenset(("xem tiếp", "đọc tiếp", "xem toàn văn", "xem đầy đủ", "xem toàn bộ", "continue reading"))

# Short lines of page furniture inside or around an article.
CHROME_LINES = TOOL_LINKS + (
    "chia sẻ:", "share", "tweet", "facebook", "zalo", "email", "print", "back", "đóng", "xem tiếp",
    "đọc thêm", "đính kèm", "file đính kèm", "tệp đính kèm", "tài liệu đính kèm",
    "xem chi tiết trong file đính kèm", "chi tiết thông báo tại đây", "a- a a+", "a a a",
    "tăng tương phản", "giảm tương phản", "font size",
    "skip to main content", "skip to content", "skip navigation", "bỏ qua điều hướng",
    "bỏ qua nội dung", "chuyển đến nội dung", "chuyển đến nội dung chính", "đến nội dung chính",
    "chuyển đến phần điều hướng", "chuyển đến điều hướng", "chuyển đến phần nội dung", "skip to navigation",
    "truy cập nội dung luôn", "đánh giá", "bình chọn", "like", "thích",
    "trang chủ", "chi tiết", "chi tiết tin", "chi tiết tin tức", "chi tiết bài viết", "xem chi tiết",
    "nội dung", "tin tức", "tin bài", "advertisement", "advert", "quảng cáo", "sponsored", "read more", "share this",
    "this slideshow requires javascript", "trình chiếu này cần javascript",  # WordPress Jetpack's fallback text
    "share this article", "replay", "just watched", "thẻ", "tags", "tag", "từ khóa", "từ khoá",
    "dung lượng", "kích thước", "tên tệp", "tên file",  # an attachment table's header cells
)
# Labels of a category line ("Chuyên mục: Chính trị").
CATEGORY_LABELS = ("chuyên mục", "danh mục", "chủ đề", "lĩnh vực", "thể loại", "category")

# Words that start an office/unit byline ("Văn phòng HĐND-UBND huyện", "BBT").
OFFICE_WORDS = (
    "văn phòng", "phòng", "bộ phận", "trạm", "ban", "trung tâm", "ubnd", "ủy ban", "uỷ ban", "hđnd", "hội", "đoàn",
    "huyện ủy", "huyện uỷ", "thành ủy", "tỉnh ủy", "đảng ủy", "bbt", "ban biên tập", "cổng thông tin",
    "trang thông tin", "đài", "báo", "công an", "chi cục", "sở", "mttq", "ủy ban mttq", "bệnh viện", "trường",
    "chi nhánh", "thư viện", "bảo tàng", "nhà văn hóa",
)

# Class/id fragments of page regions that are not the article.
# Words (between -, _, digits and spaces) of class/id names of page regions that are not the
# article: "sidebar-right", "box_tinlienquan", "footer2", "binh-luan".
CHROME_CLASS_WORDS = frozenset((
    "nav", "navbar", "menu", "sidebar", "aside", "footer", "banner", "breadcrumb", "breadcrumbs",
    "related", "other", "tinkhac", "lienquan", "comment", "comments", "binhluan", "share", "social",
    "counter", "thongke", "visitor", "online", "widget", "advert", "ads", "quangcao", "poll", "search",
    "banners", "cta",  # an ad zone's banners, a call to action ("support us")
    "login", "marquee", "slider", "carousel", "copyright", "toolbar", "tag", "tags", "rating", "ratings",
    "vote", "stars",
    "pagination", "paging", "topbar",
    "currentdate",  # today's date in the page header
    "sitename", "sitetitle", "sitedescription", "slogan", "tagline", "branding",  # the site's name in its header
    "logo", "tendonvi",  # the logo and the unit's name beside it ("egov-logo", "ten-don-vi")
    "tts", "toc",  # a text-to-speech player ("tts-smartvoice", "fptai-tts"), a table of contents ("toc-box")
    "skip", "skiplink", "skiplinks",  # "Chuyển đến phần điều hướng", for keyboards and screen readers
))
# Parts of class/id names, inside a word too, of today's date in the page header ("today-date",
# "tvToday", "ngay-hom-nay", "ngayhomnay").
CHROME_CLASS_FRAGMENTS = ("today", "homnay")
# Words of class/id names of the article's own region; one in another token of the same element
# outweighs a chrome word ("l-sidebar-fixed l-article-body-segment" is the article column).
CONTENT_CLASS_WORDS = frozenset((
    "article", "content", "entry", "story", "body", "main", "detail", "details", "noidung",
    "chitiet", "baiviet",
))
# Whole class/id tokens that mark the page header (but "header-title" is an article title).
CHROME_HEADER_TOKENS = frozenset((
    "header", "site-header", "main-header", "top-header", "header-top", "header-bottom",
    "header-wrap", "header-wrapper", "top-bar",
))
CHROME_TAGS = frozenset(("nav", "footer", "aside", "form"))
# ARIA landmark roles, and jQuery Mobile's data-role values, of regions that are not the article.
CHROME_ROLES = frozenset(("banner", "navigation", "contentinfo", "complementary", "search",
                          "header", "footer", "panel", "navbar"))
# Class/id words of regions that come after the article: skipping one ends the article's text.
END_OF_ARTICLE_WORDS = frozenset(("comment", "comments", "binhluan", "ykien"))
# Words of a comment form (a form elsewhere, such as a newsletter box, does not end the article).
COMMENT_FORM_WORDS = ("ý kiến", "bình luận", "góp ý", "phản hồi", "comment", "reply")

CAPTION_CLASS = re.compile(
    r"(?i)caption|chu-?thich|chuthich|image-?desc|img-?desc|photo-?desc|desc-?img|"
    r"figcaption|pcaption|image_caption|expnote|note-?image|anh-?mo-?ta"
)
TITLE_CLASS = re.compile(r"(?i)title|tieu-?de|tieude|headline|heading|news-?name")
# Headings of boxes and modules, not of the article ("ModuleTitle", "box-title", "portlet-title").
BOX_TITLE_CLASS = re.compile(r"(?i)module|box|khung|portlet|block|widget|site|comment|cat|menu|side|"
                             r"footer|group|list|other|related|lienquan|khac|chuyen-?muc|danh-?muc")
CATEGORY_CLASS = re.compile(r"(?i)breadcrumb|duong-?dan|duongdan|cat-?links|category|chuyen-?muc")

DOCUMENT_EXTENSIONS = (
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf",
    ".zip", ".rar", ".7z", ".txt", ".csv",
)
