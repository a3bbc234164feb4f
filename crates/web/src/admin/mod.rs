//! The back office (quản trị): login, the editorial workflow, sections, pages, media, users,
//! the audit log, settings. Every route is listed once in [`routes!`] below, which builds the
//! router and the list the CSRF test walks.

mod account;
mod arrange;
mod article_list;
mod article_workflow;
mod articles;
mod attachments;
mod audit;
mod consultations;
mod dashboard;
mod document_import;
mod document_lists;
mod documents;
mod download;
mod feedback;
pub mod form;
mod frame;
mod list_filter;
mod login;
mod mail_log;
mod media;
mod media_pick;
mod organisation;
mod organisation_people;
mod pages;
mod preview;
mod privacy;
mod questions;
mod reset;
mod revisions;
mod schedule;
mod sections;
pub mod session;
mod settings;
mod sites;
mod stats;
mod switch;
mod topics;
mod trash;
mod upload;
mod users;
mod videos;

use crate::app::SharedApp;

/// The public route a preview link opens.
pub async fn open_preview(
    ctx: crate::extract::PageContext,
    token: axum::extract::Path<String>,
) -> crate::error::Result<axum::response::Response> {
    preview::open(ctx, token).await
}
use axum::Router;

macro_rules! routes {
    ($( $method:ident $path:literal => $handler:path ;)*) => {
        /// Every back-office route as (method, path): what the CSRF test walks.
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        /// The back-office routes.
        pub fn router() -> Router<SharedApp> {
            Router::new() $(.route($path, axum::routing::$method($handler)))*
        }
    };
}

routes! {
    get  "/dang-nhap" => login::form;
    post "/dang-nhap" => login::submit;
    get  "/dang-nhap/xac-thuc" => login::second_factor_form;
    post "/dang-nhap/xac-thuc" => login::second_factor_submit;
    post "/dang-xuat" => login::logout;
    get  "/quen-mat-khau" => reset::ask_form;
    post "/quen-mat-khau" => reset::ask;
    get  "/dat-lai-mat-khau" => reset::new_form;
    post "/dat-lai-mat-khau" => reset::set;

    get  "/quan-tri" => dashboard::dashboard;
    post "/quan-tri/chon-trang" => switch::choose;
    get  "/quan-tri/bai-viet" => article_list::list;
    get  "/quan-tri/bai-viet/moi" => articles::new_form;
    post "/quan-tri/bai-viet/moi" => articles::create;
    get  "/quan-tri/bai-viet/{id}" => articles::edit_form;
    post "/quan-tri/bai-viet/{id}" => articles::save;
    post "/quan-tri/bai-viet/{id}/gui-duyet" => article_workflow::submit;
    post "/quan-tri/bai-viet/{id}/tra-lai" => article_workflow::return_to_author;
    post "/quan-tri/bai-viet/{id}/xuat-ban" => article_workflow::publish;
    post "/quan-tri/bai-viet/{id}/go-xuong" => article_workflow::unpublish;
    post "/quan-tri/bai-viet/{id}/chia-se" => article_workflow::share;
    post "/quan-tri/bai-viet/{id}/xoa" => trash::article;
    post "/quan-tri/bai-viet/{id}/lien-ket-xem-truoc" => preview::link;
    post "/quan-tri/bai-viet/xem-truoc" => preview::draft;
    post "/quan-tri/bai-viet/{id}/tep" => attachments::article;
    get  "/quan-tri/bai-viet/{id}/phien-ban" => revisions::revisions;
    get  "/quan-tri/bai-viet/{id}/phien-ban/{rev}" => revisions::revision;
    post "/quan-tri/bai-viet/{id}/phien-ban/{rev}/khoi-phuc" => revisions::restore;

    get  "/quan-tri/van-ban" => documents::list;
    get  "/quan-tri/van-ban/moi" => documents::new_form;
    post "/quan-tri/van-ban/moi" => documents::create;
    get  "/quan-tri/van-ban/chon" => document_lists::pick;
    get  "/quan-tri/van-ban/nhap" => document_import::form;
    post "/quan-tri/van-ban/nhap" => document_import::import;
    get  "/quan-tri/van-ban/danh-muc" => document_lists::lists;
    post "/quan-tri/van-ban/danh-muc" => document_lists::edit_lists;
    get  "/quan-tri/van-ban/{id}" => documents::edit_form;
    post "/quan-tri/van-ban/{id}" => documents::save;
    post "/quan-tri/van-ban/{id}/trang-thai" => documents::set_status;
    post "/quan-tri/van-ban/{id}/xoa" => trash::document;
    get  "/quan-tri/van-ban/{id}/lay-y-kien" => consultations::show;
    post "/quan-tri/van-ban/{id}/lay-y-kien" => consultations::save;
    post "/quan-tri/y-kien-du-thao/{id}" => consultations::moderate;

    get  "/quan-tri/chuyen-muc" => sections::list;
    post "/quan-tri/chuyen-muc" => sections::create;
    post "/quan-tri/chuyen-muc/{id}" => sections::update;

    get  "/quan-tri/trang" => pages::list;
    get  "/quan-tri/trang/moi" => pages::new_form;
    post "/quan-tri/trang/moi" => pages::create;
    get  "/quan-tri/trang/{id}" => pages::edit_form;
    post "/quan-tri/trang/{id}" => pages::save;
    post "/quan-tri/trang/{id}/tep" => attachments::page;
    post "/quan-tri/trang/{id}/xoa" => trash::page;

    get  "/quan-tri/thung-rac" => trash::list;
    post "/quan-tri/thung-rac" => trash::act;

    get  "/quan-tri/tep" => attachments::library;
    post "/quan-tri/tep/{id}/xoa" => attachments::delete;

    get  "/quan-tri/anh" => media::library;
    post "/quan-tri/anh/tai-len" => media::upload;
    get  "/quan-tri/anh/chon" => media_pick::pick;
    post "/quan-tri/anh/chen" => media_pick::insert;
    get  "/quan-tri/anh/{id}" => media::detail;
    post "/quan-tri/anh/{id}" => media::save_caption;
    post "/quan-tri/anh/{id}/xoa" => trash::media;

    get  "/quan-tri/video" => videos::library;
    post "/quan-tri/video/tai-len" => videos::upload;
    get  "/quan-tri/video/chon" => videos::pick;
    post "/quan-tri/video/chen" => videos::insert;
    get  "/quan-tri/video/{id}" => videos::detail;
    post "/quan-tri/video/{id}" => videos::save;
    post "/quan-tri/video/{id}/xoa" => trash::video;

    get  "/quan-tri/nguoi-dung" => users::list;
    post "/quan-tri/nguoi-dung" => users::create;
    post "/quan-tri/nguoi-dung/{id}" => users::update;

    get  "/quan-tri/nhat-ky" => audit::list;
    get  "/quan-tri/thu-gui" => mail_log::list;

    get  "/quan-tri/gop-y" => feedback::list;
    get  "/quan-tri/gop-y/xuat" => feedback::export;
    get  "/quan-tri/gop-y/chu-de" => topics::feedback;
    post "/quan-tri/gop-y/chu-de" => topics::save_feedback;
    get  "/quan-tri/hoi-dap/linh-vuc" => topics::questions;
    post "/quan-tri/hoi-dap/linh-vuc" => topics::save_questions;
    get  "/quan-tri/gop-y/{id}" => feedback::show;
    post "/quan-tri/gop-y/{id}" => feedback::save;

    get  "/quan-tri/hoi-dap" => questions::list;
    get  "/quan-tri/hoi-dap/xuat" => questions::export;
    get  "/quan-tri/hoi-dap/{id}" => questions::show;
    get  "/quan-tri/hoi-dap/{id}/tep" => questions::attachment;
    post "/quan-tri/hoi-dap/{id}" => questions::step;

    get  "/quan-tri/lich-cong-tac" => schedule::show;
    post "/quan-tri/lich-cong-tac" => schedule::save;
    get  "/quan-tri/to-chuc" => organisation::list;
    get  "/quan-tri/to-chuc/moi" => organisation::new_form;
    post "/quan-tri/to-chuc/moi" => organisation::create;
    get  "/quan-tri/to-chuc/nguoi" => organisation_people::list;
    get  "/quan-tri/to-chuc/nguoi/moi" => organisation_people::new_form;
    post "/quan-tri/to-chuc/nguoi/moi" => organisation_people::create;
    get  "/quan-tri/to-chuc/nguoi/{id}" => organisation_people::edit_form;
    post "/quan-tri/to-chuc/nguoi/{id}" => organisation_people::update;
    post "/quan-tri/to-chuc/nguoi/{id}/xoa" => organisation_people::delete;
    get  "/quan-tri/to-chuc/{id}" => organisation::edit_form;
    post "/quan-tri/to-chuc/{id}" => organisation::update;
    post "/quan-tri/to-chuc/{id}/xoa" => organisation::delete;
    post "/quan-tri/to-chuc/{id}/di-chuyen" => organisation::move_unit;

    get  "/quan-tri/du-lieu-ca-nhan" => privacy::show;
    post "/quan-tri/du-lieu-ca-nhan" => privacy::act;

    get  "/quan-tri/thong-ke" => stats::show;
    get  "/quan-tri/thong-ke/xuat" => stats::export;

    get  "/quan-tri/trang-thanh-phan" => sites::list;
    post "/quan-tri/trang-thanh-phan" => sites::create;
    post "/quan-tri/trang-thanh-phan/{id}" => sites::update;

    get  "/quan-tri/tai-khoan" => account::show;
    post "/quan-tri/tai-khoan/mat-khau" => account::change_password;
    post "/quan-tri/tai-khoan/thu-dien-tu" => account::set_email;
    post "/quan-tri/tai-khoan/thong-bao" => account::set_notices;
    post "/quan-tri/tai-khoan/2fa" => account::begin_totp;
    post "/quan-tri/tai-khoan/2fa/xac-nhan" => account::confirm_totp;
    post "/quan-tri/tai-khoan/2fa/tat" => account::disable_totp;

    get  "/quan-tri/giao-dien" => arrange::menu;
    post "/quan-tri/giao-dien" => arrange::save_menu;
    get  "/quan-tri/giao-dien/trang-chu" => arrange::home;
    post "/quan-tri/giao-dien/trang-chu" => arrange::save_home;
    get  "/quan-tri/giao-dien/banner" => arrange::banners;
    post "/quan-tri/giao-dien/banner" => arrange::save_banners;
    get  "/quan-tri/giao-dien/lien-ket" => arrange::links;
    post "/quan-tri/giao-dien/lien-ket" => arrange::save_links;

    get  "/quan-tri/cai-dat" => settings::show;
    post "/quan-tri/cai-dat" => settings::save;
}
