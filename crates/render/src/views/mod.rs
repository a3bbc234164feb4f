//! View structs: exactly what each template receives, built from domain types. Every
//! page view embeds a [`Layout`] (site, menu, widget, head).

mod layout;
mod lists;
mod pages;

pub use layout::{Head, Layout, MenuItem, SiteView, WidgetView};
pub use lists::{Card, PageNumber, Pagination};
pub use pages::{
    ArticleDetail, ArticleView, ErrorView, GalleryItem, HomeSection, HomeView, LoginView, PageView,
    SectionView, StaticPageView,
};

/// Every page template; all are parsed when the renderer starts.
pub const TEMPLATES: [&str; 6] = [
    "home.html",
    "section.html",
    "article.html",
    "page.html",
    "login.html",
    "error.html",
];
