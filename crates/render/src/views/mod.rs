//! View structs: exactly what each template receives, built from domain types. Every
//! page view embeds a [`Layout`] (site, menu, widget, head).

pub mod admin;
pub mod consultations;
pub mod documents;
pub mod forms;
mod layout;
mod lists;
mod pages;
pub mod schedule;
mod search;

pub use layout::{
    Alternate, BannerView, Head, LangSwitch, Layout, LinkView, MenuItem, SiteView, WidgetView,
    endonym,
};
pub use lists::{Card, PageNumber, Pagination};
pub use pages::{
    ArticleDetail, ArticleView, ErrorView, GalleryItem, HomeBlockView, HomeSection, HomeView,
    LibraryView, PageView, SectionView, StaticPageView,
};
pub use search::{
    ALL_SITES, ARTICLES, DOCUMENTS, QUESTIONS, ResultItem, ResultSite, SearchForm, SearchView,
};

/// Every page template; all are parsed when the renderer starts.
pub const TEMPLATES: [&str; 55] = [
    "admin/arrange.html",
    "home.html",
    "schedule.html",
    "admin/schedule.html",
    "organisation.html",
    "org_unit.html",
    "directory.html",
    "past_leaders.html",
    "admin/organisation.html",
    "admin/org_unit_edit.html",
    "admin/org_people.html",
    "admin/org_person_edit.html",
    "consultations.html",
    "contact.html",
    "questions.html",
    "question.html",
    "question_track.html",
    "admin/questions.html",
    "admin/question_item.html",
    "documents.html",
    "document.html",
    "search.html",
    "section.html",
    "article.html",
    "page.html",
    "error.html",
    "admin/login.html",
    "admin/reset.html",
    "admin/dashboard.html",
    "admin/articles.html",
    "admin/documents.html",
    "admin/document_edit.html",
    "admin/consultation.html",
    "admin/document_lists.html",
    "admin/document_import.html",
    "admin/files.html",
    "admin/article_edit.html",
    "admin/revisions.html",
    "admin/revision.html",
    "admin/sections.html",
    "admin/pages.html",
    "admin/page_edit.html",
    "admin/media.html",
    "admin/media_item.html",
    "admin/users.html",
    "admin/sites.html",
    "admin/audit.html",
    "admin/mail_log.html",
    "admin/feedback.html",
    "admin/feedback_item.html",
    "admin/topics.html",
    "admin/privacy.html",
    "admin/account.html",
    "admin/settings.html",
    "admin/base.html",
];
