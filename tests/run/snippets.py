"""Real RSS items of rss_political_vi and one hostile item, for the explorer and findings tests."""

# (outlet, id, published, title, summary, link) copied from rss_political_keyword_subset.jsonl
REAL_ITEMS = [
    ("Thanh Niên", "0259b1ee", "2025-08-13", "Cán bộ, công chức nghỉ việc sau 1.9 không được hưởng chế độ 178",
     "Các bộ, ngành, địa phương rà soát đối tượng chịu sự tác động của việc sắp xếp tổ chức bộ máy, lập danh sách và "
     "ban hành quyết định nghỉ việc đối với cán bộ, công chức, viên chức, người lao động và lực lượng vũ trang trước "
     "ngày 31.8.", "https://thanhnien.vn/can-bo-cong-chuc-nghi-viec-sau-19-khong-duoc-huong-che-do-178-185250813211448891.htm"),
    ("Thanh Niên", "10f0b042", "2025-08-17", "Tổng Bí thư Tô Lâm: CAND là 'lá chắn thép' bảo vệ Đảng, nhân dân",
     "Theo Tổng Bí thư Tô Lâm, từ những ngày đầu giành chính quyền, khi bộ máy cách mạng còn rất non trẻ, lực lượng "
     "công an đã trở thành 'lá chắn thép' bảo vệ Đảng, bảo vệ chính quyền cách mạng, bảo vệ thành quả của nhân dân.",
     "https://thanhnien.vn/tong-bi-thu-to-lam-cand-la-la-chan-thep-bao-ve-dang-nhan-dan-185250817122456625.htm"),
    ("Thanh Niên", "34bb7ef0", "2025-08-18", "Tổng Bí thư nêu lý do không giảm số ủy viên T.Ư Đảng khóa XIV",
     "Tổng Bí thư Tô Lâm cho biết, vừa qua có ý kiến nói tinh gọn bộ máy, số lượng ủy viên Trung ương Đảng cũng nên "
     "giảm, song Trung ương Đảng quyết định không giảm để tăng cường lãnh đạo ở những địa bàn quan trọng.",
     "https://thanhnien.vn/tong-bi-thu-neu-ly-do-khong-giam-so-uy-vien-tu-dang-khoa-xiv-185250818131236714.htm"),
    ("Thanh Niên", "82cbed0e", "2025-08-23", "Hơn 50.000 người đã nhận tiền chi trả nghỉ việc sau sắp xếp bộ máy",
     "Chiều 23.8, Thủ tướng Phạm Minh Chính đã chủ trì hội nghị đánh giá tình hình sau 2 tháng vận hành chính quyền "
     "địa phương 2 cấp.", "https://thanhnien.vn/hon-50000-nguoi-da-nhan-tien-chi-tra-nghi-viec-sau-sap-xep-bo-may-185250823183528028.htm"),
    ("Tuổi Trẻ", "6410a1d3", "2025-08-22",
     "Ông Nguyễn Văn Được: 'Phường muốn tạo dấu ấn mới thì bộ máy phải chuyên nghiệp, hiệu quả'",
     "Chủ tịch UBND TP.HCM Nguyễn Văn Được phát biểu như vậy tại Đại hội Đảng bộ phường Cầu Ông Lãnh lần thứ I, "
     "nhiệm kỳ 2025-2030 diễn ra chiều 22-8.",
     "https://tuoitre.vn/ong-nguyen-van-duoc-phuong-muon-tao-dau-an-moi-thi-bo-may-phai-chuyen-nghiep-hieu-qua-20250822181450127.htm"),
    ("Tuổi Trẻ", "ef311bb7", "2025-09-12", "Bộ trưởng Nguyễn Kim Sơn: Đại học Việt Nam sẽ thay đổi theo hướng tinh gọn, đa ngành",
     "Bộ trưởng Bộ Giáo dục và Đào tạo Nguyễn Kim Sơn nói về những định hướng phát triển các cơ sở giáo dục đại học "
     "trong thời gian tới tại buổi lễ ở Nha Trang.",
     "https://tuoitre.vn/bo-truong-nguyen-kim-son-dai-hoc-viet-nam-se-thay-doi-theo-huong-tinh-gon-da-nganh-2025091210194911.htm"),
    ("Tuổi Trẻ", "ad5a5dc3", "2025-09-15", "Nghiên cứu phương án sắp xếp đơn vị sự nghiệp, trường học, cơ sở y tế, doanh nghiệp nhà nước",
     "Ban Chỉ đạo Trung ương yêu cầu các cấp ủy, cơ quan tiếp tục thực hiện việc tinh gọn bộ máy và nghiên cứu, đề "
     "xuất thực hiện sắp xếp đơn vị sự nghiệp, trường học, cơ sở y tế, doanh nghiệp nhà nước.",
     "https://tuoitre.vn/nghien-cuu-phuong-an-sap-xep-don-vi-su-nghiep-truong-hoc-co-so-y-te-doanh-nghiep-nha-nuoc-20250914214617762.htm"),
    ("Tuổi Trẻ", "91033564", "2025-09-18", "Chế độ lương hưu, phụ cấp cụ thể với các trường hợp bị ảnh hưởng sau sắp xếp bộ máy",
     "Chính phủ vừa ban hành Nghị quyết số 07 về chính sách, chế độ đối với đối tượng chịu sự tác động do thực hiện "
     "sắp xếp tổ chức bộ máy, đơn vị hành chính theo Kết luận số 183 của Bộ Chính trị, Ban Bí thư.",
     "https://tuoitre.vn/che-do-luong-huu-phu-cap-cu-the-voi-cac-truong-hop-bi-anh-huong-sau-sap-xep-bo-may-20250918164729994.htm"),
]
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_TEXT = ('Tinh gọn bộ máy <img src=x onerror="window.__pwned=1"> </script><script>window.__pwned=2</script>'
                " \u2028 sắp xếp bộ máy <!-- & --> xong.")
HOSTILE_URL = "javascript:window.__pwned=3"
