"""Boilerplate removal on real lines from the seeds, and the rule file's validation."""
import pytest

from tests.conftest import seed_text
from corpuslib.documents.boilerplate import RuleFileError, load_rules, strip_boilerplate
from corpuslib.text.normalize import normalize_text

BODY = "Đây là một đoạn văn bình thường của bài báo, kết thúc bằng dấu chấm."


@pytest.mark.parametrize(
    "line, reason",
    [
        ("bna_toàn cạnh .ảnh thanh lê.jpg", "image_file"),
        ("bna_ a bay. anh thanh le.jpg", "image_file"),
        ("会议现场。图片:Thanh Le", "credit"),
        ("主持研讨会的同志们。摄影:Thanh Le", "credit"),
        ("乂安省政治学校副校长杨青平同志就基层干部培训发展工作进行探讨。片段:银行——丁选", "credit"),
        ("Đồng chí Phạm Minh Chính - Trưởng ban Tổ chức Trung ương phát biểu. Ảnh: Vietnamnet", "credit"),
        ("Các đại biểu tham gia hội nghị tại điểm cầu Nghệ An. Ảnh: Thành Duy", "credit"),
        ("Trưởng ban Tổ chức Trung ương: Nghệ An làm tốt công tác xây dựng vị trí việc làm ảnh 1", "image_alt"),
        ("Các đại biểu tham dự hội nghị", "caption"),
        ("Đồng chí Hoàng Văn Nghiệm, Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu kết luận tại hội nghị", "caption"),
        ("Делегаты конференции. Фото: ВНА", "credit"),
    ],
)
def test_line_is_removed_with_reason(line, reason):
    kept, removed = strip_boilerplate([BODY, line, BODY + " Hai."])
    assert line not in kept
    assert {"line": line, "reason": reason} in removed


@pytest.mark.parametrize(
    "footer_lines",
    [
        ["Источник", "Комментарий (0)"],  # seed 001
        ["分享你的观点", "供电内容管理系统- 产品"],  # seed 000
        ["特色义安报纸", "最新的", "乂安省委常务委员会向省机关集团公务员和公职人员强调了三组任务和解决方案。", "供电内容管理系统- 产品"],
        ["Tin mới"],  # seed 003
    ],
)
def test_footer_and_everything_after_it_goes(footer_lines):
    body = [f"{BODY} {i}" for i in range(6)]
    kept, removed = strip_boilerplate(body + footer_lines)
    assert kept == body
    assert [r["line"] for r in removed] == footer_lines
    assert {r["reason"] for r in removed} == {"footer"}


def test_footer_word_early_in_the_article_is_not_a_footer():
    lines = ["Tin mới", BODY, BODY + " 2", BODY + " 3", BODY + " 4", BODY + " 5", BODY + " 6", BODY + " 7", BODY + " 8", BODY + " 9"]
    kept, _ = strip_boilerplate(lines)
    assert kept[0] == "Tin mới"


def test_subheadings_are_kept():
    lines = [BODY, "人事工作是“关键中的关键”", BODY + " 2", "建立一支满足任务要求的员工队伍", BODY + " 3"]
    kept, removed = strip_boilerplate(lines)
    assert kept == lines and removed == []


def test_placeholder_before_headline_is_junk():
    kept, removed = strip_boilerplate(["mask", "", "Trưởng ban Tổ chức Trung ương: Nghệ An làm tốt", BODY])
    assert kept[0].startswith("Trưởng ban")
    assert removed == [{"line": "mask", "reason": "junk"}]


def test_inline_credit_and_glued_widget():
    line = "Lưu bài viết thành công Bạn có thể xem lại bài viết đã lưu ở trangTin bài đã lưu Ông Hoàng Văn Nghiệm được bầu (Ảnh: Bảo Ngân)."
    kept, removed = strip_boilerplate([line])
    assert kept == ["Ông Hoàng Văn Nghiệm được bầu."]
    assert [r["reason"] for r in removed] == ["widget", "inline_credit"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_removed_line_comes_from_the_input(prefix):
    lines = normalize_text(seed_text(prefix)).split("\n")
    kept, removed = strip_boilerplate(lines)
    pool = set(lines)
    assert all(r["line"] in pool for r in removed)
    assert len(kept) + len(removed) == sum(1 for ln in lines if ln.strip())


def test_malformed_rule_file_names_file_and_line(tmp_path):
    bad = tmp_path / "rules.csv"
    bad.write_text("kind,scope,lang,pattern,note\nimage_file,line,*,\\.jpg$,ok\ncredit,line,*,(unclosed,bad\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"rules\.csv:3: bad pattern"):
        load_rules(bad)
    bad.write_text("kind,scope,lang,pattern,note\nx,sideways,*,a,\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r":2: unknown scope 'sideways'"):
        load_rules(bad)


# An outlet's credits to itself (rules made from the outlet table's self_names): real RSS summaries
# (rss_political_vi) and VNTC leads; (line, credit removed, what stays).
@pytest.mark.parametrize(
    "line, credit, kept",
    [
        ("Tuổi Trẻ Online trân trọng giới thiệu toàn văn phát biểu của Tổng Bí thư Tô Lâm tại phiên bế mạc Hội nghị "
         "Trung ương 13 khóa XIII.", "Tuổi Trẻ Online trân trọng giới thiệu",
         "toàn văn phát biểu của Tổng Bí thư Tô Lâm tại phiên bế mạc Hội nghị Trung ương 13 khóa XIII."),
        ("Tuổi Trẻ Online trân trọng giới thiệu đến bạn đọc bài viết của Tổng Bí thư, Chủ tịch nước Tô Lâm nhân dịp kỷ "
         "niệm 101 năm Ngày Báo chí cách mạng Việt Nam 21-6.", "Tuổi Trẻ Online trân trọng giới thiệu đến bạn đọc",
         "bài viết của Tổng Bí thư, Chủ tịch nước Tô Lâm nhân dịp kỷ niệm 101 năm Ngày Báo chí cách mạng Việt Nam 21-6."),
        ("Tuổi Trẻ Online đăng toàn văn bài phát biểu của Tổng Bí thư Tô Lâm tại lễ diễu binh, diễu hành kỷ niệm 80 năm "
         "Cách mạng Tháng Tám và Quốc khánh 2-9.", "Tuổi Trẻ Online đăng",
         "toàn văn bài phát biểu của Tổng Bí thư Tô Lâm tại lễ diễu binh, diễu hành kỷ niệm 80 năm Cách mạng Tháng Tám "
         "và Quốc khánh 2-9."),
        ("Báo điện tử Tuổi Trẻ trân trọng giới thiệu thư của Tổng Bí thư, Chủ tịch nước Tô Lâm nhân dịp kỷ niệm 79 năm "
         "Ngày Thương binh - Liệt sĩ.", "Báo điện tử Tuổi Trẻ trân trọng giới thiệu",
         "thư của Tổng Bí thư, Chủ tịch nước Tô Lâm nhân dịp kỷ niệm 79 năm Ngày Thương binh - Liệt sĩ."),
        ("TTO giới thiệu toàn văn bài phát biểu của Tổng Bí thư tại Hội nghị toàn quốc tổng kết công tác tuyên giáo và "
         "dân vận năm 2025.", "TTO giới thiệu",
         "toàn văn bài phát biểu của Tổng Bí thư tại Hội nghị toàn quốc tổng kết công tác tuyên giáo và dân vận năm 2025."),
        ("Sau 5 ngày làm việc, Đại hội bế mạc. Báo Thanh Niên xin trân trọng giới thiệu toàn văn Nghị quyết.",
         "Báo Thanh Niên xin trân trọng giới thiệu", "Sau 5 ngày làm việc, Đại hội bế mạc. toàn văn Nghị quyết."),
        ("Thanh Niên trân trọng giới thiệu toàn văn bài viết của Thủ tướng Phạm Minh Chính.",
         "Thanh Niên trân trọng giới thiệu", "toàn văn bài viết của Thủ tướng Phạm Minh Chính."),
        ("VnExpress giới thiệu nội dung Thông báo hội nghị lần thứ hai Ban Chấp hành Trung ương Đảng khóa 14.",
         "VnExpress giới thiệu", "nội dung Thông báo hội nghị lần thứ hai Ban Chấp hành Trung ương Đảng khóa 14."),
        ("Bão Kalmaegi đổ bộ đất liền… là các thông tin bạn đọc có thể đón xem trên Báo Thanh Niên số ra ngày 16.10.2025.",
         "bạn đọc có thể đón xem trên Báo Thanh Niên số ra ngày 16.10.2025",
         "Bão Kalmaegi đổ bộ đất liền… là các thông tin."),
        # VNTC: Người Lao Động's code after the headline words
        ("Tổng giám đốc tự nhận hình thức kỷ luật “phê bình nghiêm khắc” (NLĐ)- Thủ tướng Chính phủ Phan Văn Khải "
         "vừa chỉ đạo.", "(NLĐ)",
         "Tổng giám đốc tự nhận hình thức kỷ luật “phê bình nghiêm khắc”- Thủ tướng Chính phủ Phan Văn Khải vừa chỉ đạo."),
    ],
)
def test_an_outlets_credit_to_itself_is_boilerplate(line, credit, kept):
    body, removed = strip_boilerplate([line, BODY])
    assert body == [kept, BODY]
    assert {"line": credit, "reason": "self_credit"} in removed


@pytest.mark.parametrize(
    "line",
    [
        # the same words in running text: youth, a union, a reporter's interlocutor (RSS, VNTC)
        "Đoàn Thanh Niên giới thiệu các thanh niên ưu tú để Đảng xem xét kết nạp.",
        "Chương trình thanh niên tình nguyện hè giới thiệu nhiều mô hình hay.",
        "Trao đổi với Tuổi Trẻ, TS Nguyễn Sĩ Dũng - nguyên Phó chủ nhiệm Văn phòng Quốc hội cho biết.",
        "Diễn đàn Ý dân gửi Đảng trên Tuổi Trẻ nhật báo và Tuổi Trẻ Online từ ngày 19-10 đến nay đã đăng gần 100 bài viết.",
        "Bí thư Tỉnh đoàn giới thiệu Đội thanh niên xung kích tham gia xây dựng nông thôn mới.",
        "Ông Bình cho biết Tuổi Trẻ là thời gian đẹp nhất, nhiều thanh niên giới thiệu việc làm cho nhau.",
    ],
)
def test_the_same_words_in_running_text_stay(line):
    body, removed = strip_boilerplate([line, BODY])
    assert body == [line, BODY] and not [r for r in removed if r["reason"] == "self_credit"]


def test_every_outlet_with_self_names_gets_rules():
    from corpuslib.documents.boilerplate import self_reference_rules
    from corpuslib.documents.metadata import load_outlets

    named = [o for o in load_outlets() if o.self_names]
    rules = self_reference_rules()
    assert named and {r.note for r in rules} == {f"{o.outlet} credits itself (outlet table self_names)" for o in named}
    for o in named:
        first = o.self_names.split("|")[0].replace("\\", "")
        body, removed = strip_boilerplate([f"{first} trân trọng giới thiệu toàn văn bài phát biểu.", BODY])
        assert body[0] == "toàn văn bài phát biểu." and removed[0]["reason"] == "self_credit"
# --- a dateline is a date and little else; a headline looks like one (issue 14.3, 14.4) -------------

from corpuslib.documents.boilerplate import is_dateline, looks_like_title  # noqa: E402
from corpuslib.text.dates import parse_dateline  # noqa: E402


@pytest.mark.parametrize(
    "line, dateline",
    [
        # page headers of the seeds and the crawls: datelines
        ("Thứ ba, 23/04/2019", True),                                   # seed 004
        ("青乐 - 十二月 12, 2023 12:44", True),                          # seed 000
        ("清维 DNUM_AGZAGZCACD 09:26", True),                            # seed 002 (obfuscated)
        ("Thứ Hai, 02/02/2026 - 14:30 (GMT+7)", True),
        ("26-04-2006 00:54:42 GMT +7", True),                            # VNTC
        ("HÀ NỘI, 20/1/2026", True),
        # one-sentence RSS items that open with (or hold) a date: news (RSS year, rows 1380, 1528, 1948, 629, 770)
        ("Sáng 20.1.2026, Đại hội đại biểu toàn quốc lần thứ XIV của Đảng sẽ khai mạc trọng thể tại Hà Nội.", False),
        ('Ngày 25/1/2026, Tổng Bí thư Tô Lâm có bài viết "Tiến lên toàn thắng ắt về ta". VnExpress giới thiệu nội dung bài viết.', False),
        ("VnExpress giới thiệu phát biểu bế mạc Hội nghị Trung ương 2 khóa 14 của Tổng Bí thư Tô Lâm, chiều 25/3/2026.", False),
        ("Phiên khai mạc Đại hội đại biểu Đảng bộ TP.HCM nhiệm kỳ 2025 - 2030 diễn ra vào sáng 14.10.2025.", False),
        ("Đại hội XIV của Đảng dự kiến diễn ra trong thời gian 7 ngày, từ 19.1.2026 - 25.1.2026.", False),
    ],
)
def test_a_dateline_is_a_date_and_little_else(line, dateline):
    parsed = parse_dateline(line)
    assert parsed is not None  # every line holds a full date ...
    assert is_dateline(line, parsed.span) is dateline  # ... but only some are datelines


@pytest.mark.parametrize(
    "line, title",
    [
        # headlines: seeds, crawl and RSS title columns, VNTC headline lines
        ("Trưởng ban Tổ chức Trung ương: Nghệ An làm tốt công tác xây dựng vị trí việc làm", True),   # seed 003
        ("Tỉnh ủy Lạng Sơn tổng kết Nghị quyết Trung ương 3 khóa VIII về chiến lược cán bộ", True),    # seed 004
        ("建设与政治系统组织机构相适应的干部队伍", True),                                              # seed 000
        ("乂安省委常务委员会向省机关集团公务员和公职人员强调了三组任务和解决方案。", True),                # seed 002
        ("Xóa tệ nạn bằng chiến thuật chốt chặn!", True),                                            # VNTC
        ("Tôi sẵn sàng vào Đảng trở lại, nếu...", True),                                             # VNTC
        ("Tiến lên! Toàn thắng ắt về ta!", True),                                                     # RSS
        ("Tổng Bí thư, Chủ tịch nước Tô Lâm được trao Giải thưởng Hòa bình Quốc tế Lev N. Tolstoy", True),  # RSS
        ("iDepo giúp sắp xếp trước dòng tiền cho kế hoạch cá nhân", True),                            # crawl
        ("‘AI là ai?’ - game show Việt về trí tuệ nhân tạo hút tỷ lượt xem", True),                   # crawl
        # body paragraphs VNTC used to lose as titles
        ("Đồng chí Trần Đức Lương, Ủy viên Bộ Chính trị, Chủ tịch nước đã đến dự và phát biểu chỉ đạo đại hội.", False),
        ("Ông Nguyễn Việt Tiến nhấn mạnh như vậy trong hai giờ tiếp xúc với báo chí ngày 28-3.", False),
        (". Phóng viên: Bộ trưởng có thể nói cụ thể hơn?", False),
        ("Tuy nhiên, một số đơn vị xây dựng quy chế dân chủ cơ sở còn chung chung", False),
        ("Sinh ra tại mảnh đất giàu truyền thống cách mạng Hà Tĩnh, đồng chí Hà Huy Tập là một trong những nhà "
         "lãnh đạo tiền bối và lý luận xuất sắc của Đảng ta.", False),
        ("Trước đó, tối 28/1(tức 30 Tết), Chủ tịch Quốc hội Nguyễn Văn An đã đến chúc Tết Đài tiếng nói Việt Nam "
         "và Tổng Công ty điện lực Việt Nam (EVN).", False),
        ("16 декабря в Ханое Центральный организационный комитет провел национальную конференцию для обзора "
         "работы по партийному строительству в 2024 году и определения задач на 2025 год.", False),  # seed 001
    ],
)
def test_a_headline_looks_like_one(line, title):
    assert looks_like_title(line) is title


def test_the_rss_video_promos_are_boilerplate():
    for line in ["Kính mời quý vị theo dõi bản tin 'Xem nhanh 12h' ngày 3.12.2025 của Báo Thanh Niên với nhiều thông tin đáng chú ý.",
                 "Kính mời quý vị theo dõi bản tin ‘Xem nhanh 12h’ ngày 19.1.2026 của Báo Thanh Niên với nhiều thông tin đáng chú ý."]:
        kept, removed = strip_boilerplate([line])
        assert kept == [] and removed == [{"line": line, "reason": "promo"}]
    # a prayer quoted in a 24h article is text
    prayer = "kính mời Ngài Đông Trù Tư Mệnh Táo Phủ Thần Quân giáng lâm trước án, thụ hưởng lễ vật."
    assert strip_boilerplate([prayer])[0] == [prayer]


@pytest.mark.parametrize("line", [  # VNTC, after the HTML references are decoded
    ">> Báo chí quốc tế nói về Đại hội X",
    ">> Trách nhiệm cá nhân người đứng đầu >> “Người đứng đầu phải có quyền bổ nhiệm, cách chức...”",
])
def test_related_article_links_are_boilerplate(line):
    kept, removed = strip_boilerplate([BODY, line, BODY + " Hai."])
    assert line not in kept and {"line": line, "reason": "related"} in removed
    # a quoted ">>" inside a sentence is text
    inside = "Ông nói: chúng ta phải >> tiến lên, như dự thảo đã nêu."
    assert strip_boilerplate([BODY, inside])[0] == [BODY, inside]
