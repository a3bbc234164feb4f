# Shared pieces: pagination, attachments, the visit counter.
pager-prev = Trước
pager-next = Sau
attachments = Tệp đính kèm
attachment-view = Xem trên trình duyệt
attachment-scanned = tệp ảnh quét, không tìm kiếm được nội dung
stats-title = Thống kê truy cập
stats-online = Đang truy cập
stats-today = Hôm nay
stats-week = Trong tuần
stats-month = Tháng hiện tại
stats-total = Tổng lượt truy cập
