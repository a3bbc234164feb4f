# What a public form says when it is not taken: a field's fault or the guard's refusal.

form-fault-name = Hãy nhập họ và tên (tối đa 200 ký tự).
form-fault-email = Hãy nhập địa chỉ thư điện tử để nhận phản hồi.
form-fault-email-invalid = Địa chỉ thư điện tử không hợp lệ.
form-fault-phone = Số điện thoại chỉ gồm chữ số (tối đa 30 ký tự).
form-fault-address = Địa chỉ quá dài (tối đa 300 ký tự).
form-fault-subject = Hãy nhập tiêu đề (tối đa 300 ký tự).
form-fault-body = Hãy nhập nội dung (tối đa 10.000 ký tự).
form-fault-topic = Hãy chọn chủ đề.
form-fault-topic-gone = Chủ đề đã chọn không còn; hãy chọn lại.
form-fault-organisation = Tên cơ quan, tổ chức quá dài (tối đa 300 ký tự).
form-fault-comment = Hãy nhập ý kiến góp ý (tối đa 10.000 ký tự).
form-fault-file-again = Hãy chọn lại tệp (hoặc gửi không kèm tệp).
form-fault-file-too-large = Tệp “{ $name }” lớn hơn { $max }. Hãy chọn tệp nhỏ hơn (hoặc gửi không kèm tệp).

# An attachment the file rules refuse: in Vietnamese, the rules' own sentence ($said).
form-file-empty = { $said }
form-file-executable = { $said }
form-file-markup = { $said }
form-file-macro = { $said }
form-file-zip-bomb = { $said }
form-file-too-large = { $said }
form-file-corrupt = { $said }
form-file-protected = { $said }
form-file-image = { $said }
form-file-unsupported = { $said }

form-refusal-no-consent = Bạn cần đồng ý với việc xử lý dữ liệu cá nhân (ô đánh dấu ở cuối biểu mẫu) để gửi.
form-refusal-hidden-field = Biểu mẫu có một ô ẩn đã bị điền (thường do phần mềm tự điền). Hãy để trống ô đó và gửi lại.
form-refusal-no-proof = Chưa có bước xác minh chống thư rác: trình duyệt cần bật JavaScript và chờ ô “Tôi không phải người máy” được đánh dấu rồi gửi lại.
form-refusal-wrong-proof = Bước xác minh chống thư rác không hợp lệ. Hãy chờ ô xác minh được đánh dấu lại rồi gửi.
form-refusal-expired-proof = Bước xác minh chống thư rác đã hết hạn (biểu mẫu để mở quá lâu). Hãy chờ ô xác minh được đánh dấu lại rồi gửi.
form-refusal-spent-proof = Biểu mẫu này đã được gửi một lần. Nếu muốn gửi tiếp, hãy chờ ô xác minh được đánh dấu lại rồi gửi.
form-refusal-too-fast = Biểu mẫu được gửi quá nhanh sau khi mở. Hãy kiểm tra lại nội dung và gửi lại sau { $seconds } giây.
form-refusal-too-many = Địa chỉ mạng của bạn đã gửi nhiều biểu mẫu trong giờ qua. Hãy gửi lại sau khoảng { $minutes } phút.
