//! Renders admin pages in the back office's frame, and the confirmations shown after a
//! redirect (chosen from a fixed list by key, so nothing a URL says is echoed).

use super::session::Admin;
use crate::error::Result;
use axum::response::Html;
use cong_domain::auth::Action;
use cong_render::views::admin::{AdminLayout, AdminPage, NavItem};
use serde::Serialize;

const NAV: &[(&str, &str, Option<Action>)] = &[
    ("Tổng quan", "/quan-tri", None),
    ("Bài viết", "/quan-tri/bai-viet", None),
    ("Văn bản", "/quan-tri/van-ban", Some(Action::CreateDocument)),
    (
        "Chuyên mục",
        "/quan-tri/chuyen-muc",
        Some(Action::ManageSections),
    ),
    ("Trang tĩnh", "/quan-tri/trang", Some(Action::ManagePages)),
    (
        "Giao diện",
        "/quan-tri/giao-dien",
        Some(Action::ArrangeSite),
    ),
    ("Thư viện ảnh", "/quan-tri/anh", Some(Action::UploadMedia)),
    ("Video", "/quan-tri/video", Some(Action::UploadMedia)),
    ("Tệp đính kèm", "/quan-tri/tep", Some(Action::UploadFile)),
    (
        "Thùng rác",
        "/quan-tri/thung-rac",
        Some(Action::RestoreFromTrash),
    ),
    (
        "Người dùng",
        "/quan-tri/nguoi-dung",
        Some(Action::ManageUsers),
    ),
    ("Hỏi đáp", "/quan-tri/hoi-dap", None),
    (
        "Lịch công tác",
        "/quan-tri/lich-cong-tac",
        Some(Action::ManageSchedule),
    ),
    ("Góp ý", "/quan-tri/gop-y", Some(Action::HandleFeedback)),
    (
        "Cơ cấu tổ chức",
        "/quan-tri/to-chuc",
        Some(Action::ManageOrganisation),
    ),
    ("Thống kê", "/quan-tri/thong-ke", Some(Action::Publish)),
    ("Nhật ký", "/quan-tri/nhat-ky", Some(Action::ViewAudit)),
    ("Thư gửi", "/quan-tri/thu-gui", Some(Action::ViewAudit)),
    ("Cài đặt", "/quan-tri/cai-dat", Some(Action::ManageSettings)),
    (
        "Dữ liệu cá nhân",
        "/quan-tri/du-lieu-ca-nhan",
        Some(Action::ManagePersonalData),
    ),
    (
        "Trang thành phần",
        "/quan-tri/trang-thanh-phan",
        Some(Action::ManageSites),
    ),
    ("Tài khoản", "/quan-tri/tai-khoan", None),
];

/// The messages a redirect may ask for with `?ok=KEY`.
fn flash(key: &str) -> Option<&'static str> {
    Some(match key {
        "luu" => "Đã lưu.",
        "tao" => "Đã tạo.",
        "gui" => "Đã gửi bài chờ duyệt.",
        "tralai" => "Đã trả lại bài cho phóng viên.",
        "xuatban" => "Đã xuất bản.",
        "henngay" => "Đã hẹn giờ xuất bản.",
        "go" => "Đã gỡ bài xuống.",
        "khoiphuc" => "Đã khôi phục phiên bản.",
        "matkhau" => "Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất.",
        "2fa" => "Đã bật xác thực hai lớp.",
        "2fa-tat" => "Đã tắt xác thực hai lớp.",
        "taive" => "Đã tải ảnh lên.",
        "taivideo" => "Đã tải video lên.",
        "xoa" => "Đã xoá.",
        "pending" => "Đã gửi văn bản chờ duyệt.",
        "published" => "Đã đăng văn bản.",
        "unpublished" => "Đã gỡ văn bản.",
        "draft" => "Đã trả văn bản về bản nháp.",
        "thungrac" => "Đã chuyển vào thùng rác. Biên tập viên có thể khôi phục ở Thùng rác.",
        "rachoi" => "Đã lấy ra khỏi thùng rác (bài viết, văn bản thành bản nháp).",
        "lich-chep" => "Đã sao chép lịch lặp lại của tuần trước (bản nháp).",
        "lich-congbo" => "Đã công bố lịch công tác của tuần.",
        "lich-hoan" => "Đã ghi việc là hoãn; lịch công khai ghi “Điều chỉnh”.",
        "lich-huy" => "Đã ghi việc là hủy; lịch công khai ghi “Điều chỉnh”.",
        _ => return None,
    })
}

impl Admin {
    /// The frame for a page titled `title`; `current` is the menu entry it belongs to.
    pub async fn frame(&self, title: &str, current: &str) -> Result<AdminLayout> {
        let site = self.app.content.site(self.site.id).await?;
        let role = self.role();
        let nav = NAV
            .iter()
            .filter(|(_, _, need)| need.is_none_or(|a| self.may(a)))
            .map(|(label, url, _)| NavItem {
                label,
                url,
                current: *url == current,
            })
            .collect();
        let ok = self.query.as_deref().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "ok")
                .and_then(|(_, v)| flash(&v))
        });
        Ok(AdminLayout {
            site_name: match site.get("site.name") {
                "" => "Cổng thông tin điện tử".to_owned(),
                n => n.to_owned(),
            },
            site_url: self.site.address.clone(),
            sites: super::switch::choices(&self.app, self.user(), self.site.id),
            user_name: self.user().name().to_owned(),
            role_label: role.label(),
            csrf: self.session.csrf_token.clone(),
            nav,
            title: title.to_owned(),
            flash: ok.map(str::to_owned),
            errors: Vec::new(),
        })
    }

    /// Renders `template` with the frame and `page`.
    pub async fn render<T: Serialize>(
        &self,
        template: &str,
        title: &str,
        current: &str,
        errors: Vec<String>,
        page: T,
    ) -> Result<Html<String>> {
        let mut admin = self.frame(title, current).await?;
        admin.errors = errors;
        Ok(Html(
            self.app
                .renderer
                .render(template, &AdminPage { admin, page })?,
        ))
    }
}
