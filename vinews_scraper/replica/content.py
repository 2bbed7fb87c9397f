"""Vietnamese government-news phrase banks, and the few functions that fill their templates.

Everything here is data or a pure function of a ``random.Random``: the portal model decides the
structure of an article, this module only writes its words.
"""

from __future__ import annotations

import random
import re
import unicodedata
from datetime import date

SITE_NAME = "Huyện Vị Thủy (bản sao)"
UNIT_NAME = "ỦY BAN NHÂN DÂN HUYỆN VỊ THỦY (BẢN SAO)"
FOOTER_LINES = (
    "Địa chỉ: Khu vực 4, thị trấn Nàng Mau, huyện Vị Thủy, tỉnh Hậu Giang (bản sao thử nghiệm)",
    "Điện thoại: 0293.3571.000 - Fax: 0293.3571.001",
    "Email: vithuy-replica@example.invalid",
    "Giấy phép số 00/GP-TTĐT (trang thử nghiệm, không phải cổng thông tin thật)",
)

PLACES = (
    "xã Vị Thắng", "xã Vị Thanh", "xã Vị Trung", "xã Vị Thủy", "xã Vị Bình", "xã Vị Đông",
    "xã Vĩnh Thuận Tây", "xã Vĩnh Trung", "xã Vĩnh Tường", "thị trấn Nàng Mau",
)
HAMLETS = ("ấp 1", "ấp 3", "ấp 7", "ấp 9A", "ấp Vĩnh Hiếu", "ấp Ba Ngàn", "ấp Tân Phú", "ấp Đông An")
OFFICIALS = (  # fictional people
    ("Trần Văn Hậu", "Bí thư Huyện ủy"), ("Nguyễn Thị Mỹ Xuyên", "Phó Bí thư Thường trực Huyện ủy"),
    ("Lê Hoàng Phúc", "Chủ tịch UBND huyện"), ("Phạm Minh Tuấn", "Phó Chủ tịch UBND huyện"),
    ("Võ Thanh Bình", "Chủ tịch Ủy ban MTTQ Việt Nam huyện"), ("Huỳnh Kim Thoa", "Trưởng Ban Tuyên giáo Huyện ủy"),
)
VILLAGERS = ("Nguyễn Văn Tám", "Trần Văn Út", "Lê Văn Hai", "Võ Văn Sáu", "Đặng Văn Bảy")
SEASONS = ("Đông Xuân", "Hè Thu", "Thu Đông")

BEATS = {
    "Tin tức - Sự kiện": {
        "units": ("UBND huyện", "Thường trực HĐND huyện", "Ủy ban MTTQ Việt Nam huyện",
                  "Văn phòng HĐND và UBND huyện"),
        "topics": ("công tác cải cách hành chính", "công tác chuyển đổi số", "công tác tiếp công dân",
                   "công tác phòng, chống thiên tai", "công tác phổ biến, giáo dục pháp luật",
                   "công tác thực hành tiết kiệm, chống lãng phí"),
        "titles": (
            "{Unit} tổng kết {topic} năm {year}",
            "{Unit} triển khai {topic} năm {year}",
            "Sơ kết {topic} 6 tháng đầu năm {year} tại {place}",
            "Đoàn công tác của tỉnh kiểm tra {topic} tại {place}",
            "Tiếp xúc cử tri trước kỳ họp cuối năm {year} tại {place}",
            "{Place} tổ chức hội nghị triển khai {topic} năm {year}",
        ),
    },
    "Kinh tế": {
        "units": ("Phòng Nông nghiệp và Phát triển nông thôn huyện", "Hội Nông dân huyện",
                  "Trạm Khuyến nông huyện", "Phòng Tài chính - Kế hoạch huyện"),
        "topics": ("mô hình trồng khóm", "mô hình trồng mít Thái", "mô hình trồng chanh không hạt",
                   "mô hình nuôi cá thát lát", "mô hình nuôi lươn không bùn",
                   "mô hình sản xuất lúa chất lượng cao", "mô hình trồng rau màu an toàn"),
        "titles": (
            "Nông dân {place} thu hoạch lúa vụ {season} năm {year}",
            "{Place} nhân rộng {topic}",
            "Hội thảo chuyển giao kỹ thuật về {topic} cho nông dân {place}",
            "Đẩy nhanh tiến độ giải ngân vốn đầu tư công năm {year} tại {place}",
            "Khánh thành cầu giao thông nông thôn tại {hamlet}, {place}",
            "{Place} có thêm sản phẩm đạt chuẩn OCOP năm {year}",
            "Hiệu quả từ {topic} ở {place}",
        ),
    },
    "Văn hóa - Xã hội": {
        "units": ("Phòng Văn hóa và Thông tin huyện", "Phòng Lao động - Thương binh và Xã hội huyện",
                  "Trung tâm Văn hóa - Thông tin và Thể thao huyện", "Hội Liên hiệp Phụ nữ huyện",
                  "Huyện đoàn Vị Thủy"),
        "topics": ("phong trào “Toàn dân đoàn kết xây dựng đời sống văn hóa”", "công tác giảm nghèo bền vững",
                   "công tác chăm sóc, giáo dục trẻ em", "phong trào thể dục thể thao quần chúng",
                   "công tác đền ơn đáp nghĩa", "chương trình xây dựng nông thôn mới"),
        "titles": (
            "Trao {gifts} phần quà cho hộ nghèo, hộ cận nghèo {place}",
            "{Place} ra mắt mô hình “{model}”",
            "Khai mạc giải bóng đá thanh niên {place} năm {year}",
            "Bàn giao nhà Đại đoàn kết cho hộ khó khăn tại {hamlet}, {place}",
            "{Unit} tổng kết {topic} năm {year}",
            "Ngày hội văn hóa, thể thao {place} năm {year}",
        ),
    },
    "Quốc phòng - An ninh": {
        "units": ("Ban Chỉ huy Quân sự huyện", "Công an huyện Vị Thủy", "Hội đồng Nghĩa vụ quân sự huyện",
                  "Ban Chỉ đạo phòng, chống tội phạm huyện"),
        "topics": ("công tác tuyển chọn và gọi công dân nhập ngũ", "công tác huấn luyện dân quân tự vệ",
                   "phong trào toàn dân bảo vệ an ninh Tổ quốc", "công tác phòng cháy, chữa cháy",
                   "công tác bảo đảm trật tự an toàn giao thông"),
        "titles": (
            "Lễ giao nhận quân năm {year} tại {place}",
            "Diễn tập chiến đấu phòng thủ {place} năm {year}",
            "{Unit} ra quân thực hiện {topic} năm {year}",
            "Khai mạc huấn luyện dân quân năm thứ nhất tại {place} năm {year}",
            "{Place} ra mắt mô hình “{security_model}”",
            "Tổng kết {topic} năm {year} tại {place}",
        ),
    },
    "Xây dựng Đảng": {
        "units": ("Huyện ủy Vị Thủy", "Ban Tuyên giáo Huyện ủy", "Ủy ban Kiểm tra Huyện ủy",
                  "Ban Tổ chức Huyện ủy", "Ban Dân vận Huyện ủy"),
        "topics": ("công tác kiểm tra, giám sát", "công tác tuyên giáo", "công tác phát triển đảng viên",
                   "việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "công tác dân vận"),
        "titles": (
            "Trao Huy hiệu {badge} năm tuổi Đảng cho đảng viên {place}",
            "Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ {ordinal}",
            "Quán triệt nghị quyết của Đảng cho cán bộ, đảng viên {place} năm {year}",
            "Kết nạp đảng viên mới tại Chi bộ {hamlet}, {place}",
            "{Unit} sơ kết {topic} 6 tháng đầu năm {year}",
            "Tập trung triển khai {topic} năm {year} tại {place}",
        ),
    },
}
MODELS = ("Tuyến đường hoa", "Dân vận khéo", "Phụ nữ tiết kiệm", "Thắp sáng đường quê",
          "Tổ tự quản vệ sinh môi trường")
SECURITY_MODELS = ("Camera an ninh", "Tổ liên gia an toàn phòng cháy, chữa cháy",
                   "Tự quản về an ninh trật tự", "Khu dân cư không tội phạm")

# Paragraph groups in the order an article uses them; each paragraph picks one template.
PARAGRAPHS = (
    ("Vừa qua, {unit} tổ chức hội nghị đánh giá kết quả thực hiện {topic} năm {prev} và triển khai "
     "phương hướng, nhiệm vụ năm {year}. Hội nghị được tổ chức theo hình thức trực tiếp, kết nối "
     "trực tuyến đến các xã, thị trấn.",
     "Ngày {day}/{month}, {unit} phối hợp với {place} tổ chức buổi làm việc về {topic}. Đây là hoạt "
     "động thiết thực nhằm đánh giá đúng thực trạng và đề ra giải pháp phù hợp với tình hình địa phương.",
     "Thực hiện kế hoạch năm {year}, {unit} đã chủ động triển khai {topic} trên địa bàn {place}. "
     "Qua đó, nhận thức của cán bộ, đảng viên và nhân dân được nâng lên rõ rệt."),
    ("Đồng chí {person}, {position} dự và chỉ đạo hội nghị. Cùng dự có đại diện lãnh đạo các ban, "
     "ngành, đoàn thể huyện và lãnh đạo {place}.",
     "Tham dự có đồng chí {person}, {position}; đại diện Thường trực HĐND, UBND, Ủy ban MTTQ Việt Nam "
     "huyện cùng đông đảo cán bộ, đảng viên và nhân dân trên địa bàn."),
    ("Theo báo cáo, trong năm {prev}, {unit} đã tập trung lãnh đạo, chỉ đạo thực hiện đạt và vượt "
     "{met}/{targets} chỉ tiêu đề ra. {Topic} được triển khai đồng bộ, mang lại hiệu quả thiết thực, góp "
     "phần nâng cao đời sống vật chất và tinh thần của nhân dân.",
     "Kết quả, toàn huyện đã vận động được hơn {money} triệu đồng để thực hiện các công trình an sinh "
     "xã hội; có {pct}% hộ dân được tuyên truyền, phổ biến các chủ trương của Đảng, chính sách, pháp "
     "luật của Nhà nước."),
    ("Tại {place}, đoàn đã khảo sát thực tế ở {hamlet}, ghi nhận nhiều cách làm hay, sáng tạo. Nhiều "
     "hộ dân mạnh dạn đầu tư, áp dụng khoa học kỹ thuật vào sản xuất, thu nhập bình quân đạt khoảng "
     "{income} triệu đồng/người/năm.",
     "Ông {villager}, ngụ {hamlet}, {place} chia sẻ: “Nhờ được hỗ trợ vốn và hướng dẫn kỹ thuật, gia "
     "đình tôi có thu nhập ổn định hơn trước”. Hiện nay, nhiều hộ dân trong ấp đã học tập và làm theo."),
    ("Tuy nhiên, {topic} vẫn còn một số hạn chế như: công tác phối hợp giữa các ngành có lúc chưa chặt "
     "chẽ; một số chỉ tiêu đạt thấp so với kế hoạch; nguồn lực đầu tư còn hạn chế.",
     "Bên cạnh những kết quả đạt được, hội nghị cũng thẳng thắn chỉ ra những tồn tại, hạn chế và "
     "nguyên nhân, đồng thời đề ra giải pháp khắc phục trong thời gian tới."),
    ("Phát biểu chỉ đạo, đồng chí {person}, {position} đề nghị các ngành, các cấp tiếp tục quán triệt "
     "sâu sắc các chủ trương của Đảng, chính sách, pháp luật của Nhà nước; tăng cường công tác kiểm "
     "tra, giám sát, kịp thời tháo gỡ khó khăn, vướng mắc ở cơ sở.",
     "Đồng chí {person} nhấn mạnh, năm {year} là năm có ý nghĩa quan trọng, vì vậy cần tập trung thực "
     "hiện tốt {topic}, phấn đấu hoàn thành thắng lợi các chỉ tiêu, nhiệm vụ đã đề ra."),
    ("Dịp này, {unit} đã khen thưởng cho {groups} tập thể, {people} cá nhân có thành tích xuất sắc "
     "trong thực hiện {topic}.",
     "Nhân dịp này, Ban Tổ chức đã trao {gifts} phần quà, mỗi phần trị giá {gift_value} đồng cho các "
     "hộ gia đình có hoàn cảnh khó khăn."),
    ("Được biết, trong năm {year}, {unit} phấn đấu thực hiện đạt và vượt các chỉ tiêu, nhiệm vụ được "
     "giao, góp phần vào sự phát triển kinh tế - xã hội của địa phương.",
     "Hội nghị đã thống nhất các giải pháp trọng tâm, phấn đấu hoàn thành xuất sắc nhiệm vụ năm {year}."),
)

CAPTIONS = (
    "Quang cảnh hội nghị",
    "Đồng chí {person}, {position} phát biểu chỉ đạo",
    "Khen thưởng cho các tập thể, cá nhân",
    "Các đại biểu tham quan mô hình tại {place}",
    "Lãnh đạo huyện trao quà cho các hộ gia đình",
    "Đoàn công tác khảo sát thực tế tại {hamlet}, {place}",
    "Đại biểu chụp ảnh lưu niệm",
    "Người dân {place} hưởng ứng tích cực",
)

ATTACHMENTS = (
    ("Kế hoạch số {number}/KH-UBND", "ke-hoach-so-{number}-kh-ubnd", "pdf"),
    ("Quyết định số {number}/QĐ-UBND", "quyet-dinh-so-{number}-qd-ubnd", "pdf"),
    ("Thông báo số {number}/TB-UBND", "thong-bao-so-{number}-tb-ubnd", "pdf"),
    ("Công văn số {number}/UBND-VP", "cong-van-so-{number}-ubnd-vp", "docx"),
    ("Mẫu đơn đăng ký tham gia năm {year}", "mau-don-dang-ky-{year}", "docx"),
    ("Danh sách hộ được hỗ trợ năm {year}", "danh-sach-ho-duoc-ho-tro-{year}", "xlsx"),
)
ATTACHMENT_LABELS = ("Tải về: ", "Xem chi tiết trong file đính kèm: ", "Tài liệu đính kèm: ", "Đính kèm: ")

REPORTERS = ("Năng Nguyễn", "Minh Thư", "Thanh Tâm", "Ngọc Hân", "Hoàng Vũ", "Kim Ngân", "Trúc Linh",
             "Phương Thảo", "Quốc Huy", "Bảo Trân", "Hữu Phước", "Mỹ Duyên")
REPORTER_UNITS = ("Phòng Văn hóa và Thông tin", "Trung tâm Văn hóa - Thông tin và Thể thao huyện",
                  "Phòng NN&PTNT", "Văn phòng Huyện ủy")
BYLINE_LABELS = ("Tin, ảnh: ", "Tác giả: ", "Bài, ảnh: ", "T/h: ", "Tin: ", "Bài và ảnh: ")
OFFICES = ("Văn phòng HĐND-UBND huyện", "BBT")
SOURCES = ("Báo Hậu Giang", "Cổng Thông tin điện tử tỉnh Hậu Giang", "Đài Phát thanh và Truyền hình Hậu Giang")
SOURCE_LABELS = ("Nguồn: ", "Nguồn tin: ")

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def capitalize(text: str) -> str:
    """Upper-case only the first letter (``str.capitalize`` would lower the rest)."""
    return text[:1].upper() + text[1:]


def thousands(number: int) -> str:
    """``1234567`` as Vietnamese portals print it: ``1.234.567``."""
    return f"{number:,}".replace(",", ".")


def roman(number: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        count, number = divmod(number, value)
        out += letters * count
    return out


def ascii_fold(text: str) -> str:
    """Vietnamese text without diacritics (``đ`` becomes ``d``)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def slugify(text: str) -> str:
    """Lower-case ASCII URL slug: ``Kinh tế`` → ``kinh-te``."""
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def liferay_slug(text: str) -> str:
    """The Hậu Giang Liferay slug: case kept, diacritics stripped and ``Đ``/``đ`` dropped outright
    (``Đoàn đại biểu`` → ``oan-ai-bieu``), as the real portals do."""
    text = text.replace("đ", "").replace("Đ", "")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_fold(text)).strip("-")


def article_slots(rng: random.Random, category: str, day: date) -> dict:
    """The facts one article is written from: who, where, what, and its numbers."""
    beat = BEATS[category]
    person, position = rng.choice(OFFICIALS)
    met = rng.randint(15, 24)
    slots = {
        "unit": rng.choice(beat["units"]), "topic": rng.choice(beat["topics"]), "place": rng.choice(PLACES),
        "hamlet": rng.choice(HAMLETS), "person": person, "position": position,
        "villager": rng.choice(VILLAGERS), "season": rng.choice(SEASONS), "model": rng.choice(MODELS),
        "security_model": rng.choice(SECURITY_MODELS), "badge": rng.choice((30, 40, 45, 50, 55, 60)),
        "ordinal": roman(rng.randint(2, 30)), "year": day.year, "prev": day.year - 1,
        "day": f"{max(day.day - rng.randint(1, 3), 1):02d}", "month": f"{day.month:02d}",
        "met": met, "targets": met + rng.randint(0, 3), "money": thousands(rng.randint(150, 4800)),
        "pct": rng.randint(85, 99), "income": rng.randint(45, 90), "groups": rng.randint(5, 30),
        "people": rng.randint(10, 60), "gifts": rng.randint(50, 300),
        "gift_value": rng.choice(("300.000", "500.000", "1.000.000")),
    }
    slots.update(Unit=capitalize(slots["unit"]), Topic=capitalize(slots["topic"]), Place=capitalize(slots["place"]))
    return slots


def title(rng: random.Random, category: str, slots: dict) -> str:
    return rng.choice(BEATS[category]["titles"]).format(**slots)


def paragraphs(rng: random.Random, slots: dict, count: int) -> list[str]:
    """``count`` paragraphs (3–8): the lead, then other groups in their natural order."""
    later = sorted(rng.sample(range(1, len(PARAGRAPHS)), count - 1))
    return [rng.choice(PARAGRAPHS[group]).format(**slots) for group in [0, *later]]


def captions(rng: random.Random, slots: dict, count: int) -> list[str]:
    return [template.format(**slots) for template in rng.sample(CAPTIONS, count)]


def image_names(rng: random.Random, day: date, title_text: str, count: int) -> list[str]:
    """File names in one of the styles the portals use: ``21.1a.jpg``, ``IMG_2035.jpg``, slug-based."""
    style = rng.randrange(3)
    if style == 0:
        return [f"{day.day}.{day.month}{'abc'[i]}.jpg" for i in range(count)]
    if style == 1:
        first = rng.randint(1000, 9900)
        return [f"IMG_{first + 3 * i}.jpg" for i in range(count)]
    stem = "-".join(slugify(title_text).split("-")[:4])
    return [f"{stem}-{i + 1}.jpg" for i in range(count)]


def attachments(rng: random.Random, year: int, count: int) -> list[tuple[str, str, str]]:
    """``count`` documents as (title, file name, extension)."""
    picked = rng.sample(ATTACHMENTS, count)
    out = []
    for title_template, stem_template, extension in picked:
        values = {"number": rng.randint(10, 2999), "year": year}
        out.append((title_template.format(**values), f"{stem_template.format(**values)}.{extension}", extension))
    return out
