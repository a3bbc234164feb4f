//! The lists a public form offers: Góp ý topics (`/quan-tri/gop-y/chu-de`, each with the
//! mailbox it goes to) and Hỏi đáp fields (`/quan-tri/hoi-dap/linh-vuc`), with their
//! English names for the `/en/` pages.

use super::form::FormData;
use super::session::{Admin, redirect};
use crate::error::{Error, Result};
use axum::response::{IntoResponse, Response};
use cong_domain::auth::Action;
use cong_store::feedback::TopicName;
use serde::Serialize;

/// Which list a page arranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Feedback,
    Questions,
}

impl List {
    fn address(self) -> &'static str {
        match self {
            List::Feedback => "/quan-tri/gop-y/chu-de",
            List::Questions => "/quan-tri/hoi-dap/linh-vuc",
        }
    }
}

#[derive(Serialize)]
struct Topic {
    id: i64,
    name: String,
    name_en: String,
    mailbox: String,
    position: i64,
}

#[derive(Serialize)]
struct TopicsPage {
    topics: Vec<Topic>,
    /// Góp ý topics are mailed to a mailbox; Hỏi đáp fields are not.
    mailbox: bool,
    action: &'static str,
    back: &'static str,
    back_label: &'static str,
    lead: &'static str,
    noun: &'static str,
}

pub async fn feedback(admin: Admin) -> Result<Response> {
    page(&admin, List::Feedback, vec![]).await
}

pub async fn questions(admin: Admin) -> Result<Response> {
    page(&admin, List::Questions, vec![]).await
}

pub async fn save_feedback(admin: Admin, form: FormData) -> Result<Response> {
    save(admin, List::Feedback, form).await
}

pub async fn save_questions(admin: Admin, form: FormData) -> Result<Response> {
    save(admin, List::Questions, form).await
}

async fn page(admin: &Admin, list: List, errors: Vec<String>) -> Result<Response> {
    admin.require(Action::ManageSettings)?;
    let site = admin.site.id;
    let (title, view) = match list {
        List::Feedback => (
            "Chủ đề góp ý",
            TopicsPage {
                topics: admin
                    .app
                    .feedback
                    .topics(site)
                    .await?
                    .into_iter()
                    .map(|t| Topic {
                        id: t.id,
                        name: t.name,
                        name_en: t.name_en,
                        mailbox: t.mailbox,
                        position: t.position,
                    })
                    .collect(),
                mailbox: true,
                action: list.address(),
                back: "/quan-tri/gop-y",
                back_label: "Danh sách góp ý",
                lead: "Người gửi chọn một chủ đề; góp ý được chuyển tới hộp thư của chủ đề đó \
                       (để trống: chỉ lưu ở đây). Khi chưa có chủ đề nào, biểu mẫu không hỏi chủ đề.",
                noun: "chủ đề",
            },
        ),
        List::Questions => (
            "Lĩnh vực hỏi đáp",
            TopicsPage {
                topics: admin
                    .app
                    .questions
                    .topics(site)
                    .await?
                    .into_iter()
                    .map(|t| Topic {
                        id: t.id,
                        name: t.name,
                        name_en: t.name_en,
                        mailbox: String::new(),
                        position: t.position,
                    })
                    .collect(),
                mailbox: false,
                action: list.address(),
                back: "/quan-tri/hoi-dap",
                back_label: "Danh sách câu hỏi",
                lead: "Người hỏi chọn lĩnh vực của câu hỏi; trang Hỏi đáp lọc theo lĩnh vực. \
                       Khi chưa có lĩnh vực nào, biểu mẫu không hỏi lĩnh vực.",
                noun: "lĩnh vực",
            },
        ),
    };
    let back = view.back;
    Ok(admin
        .render("admin/topics.html", title, back, errors, view)
        .await?
        .into_response())
}

/// Adds an item (no id), changes one, or removes it (`xoa`).
async fn save(admin: Admin, list: List, form: FormData) -> Result<Response> {
    let id = match form.get("id") {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| Error::BadRequest("Mục không hợp lệ.".to_owned()))?,
        ),
    };
    let names = TopicName {
        vi: form.get("name"),
        en: form.get("name_en"),
    };
    let position = form.get("position").trim().parse().unwrap_or(0);
    let actor = admin.actor();
    let removing = form.get("xoa") == "1";
    let r = match (list, id) {
        (List::Feedback, Some(id)) if removing => admin.app.feedback.delete_topic(actor, id).await,
        (List::Questions, Some(id)) if removing => {
            admin.app.questions.delete_topic(actor, id).await
        }
        (List::Feedback, _) => admin
            .app
            .feedback
            .save_topic(actor, id, names, form.get("mailbox"), position)
            .await
            .map(|_| ()),
        (List::Questions, _) => admin
            .app
            .questions
            .save_topic(actor, id, names, position)
            .await
            .map(|_| ()),
    };
    match r {
        Ok(()) => Ok(redirect(&format!("{}?ok=luu", list.address()))),
        Err(cong_domain::Error::Fields(f)) => {
            page(&admin, list, f.into_iter().map(|(_, m)| m).collect()).await
        }
        Err(e) => Err(e.into()),
    }
}
