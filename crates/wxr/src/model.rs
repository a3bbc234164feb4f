//! What an export holds, as WordPress wrote it (strings kept as they are; dates as written).

/// A whole export: the site, then its authors, terms and items in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Export {
    pub title: String,
    pub link: String,
    pub description: String,
    /// `1.1` or `1.2`.
    pub wxr_version: String,
    /// The site's address (`wp:base_site_url`), no trailing slash.
    pub base_site_url: String,
    /// The blog's address (`wp:base_blog_url`), no trailing slash.
    pub base_blog_url: String,
    pub authors: Vec<Author>,
    /// Categories (`wp:category`), tags (`wp:tag`) and other taxonomies' terms (`wp:term`,
    /// which repeat the categories and tags since WordPress 4.5: kept once per taxonomy/slug).
    pub terms: Vec<Term>,
    pub items: Vec<Item>,
}

impl Export {
    /// The terms of one taxonomy ("category", "post_tag", "nav_menu", …) in file order.
    pub fn taxonomy<'a>(&'a self, taxonomy: &'a str) -> impl Iterator<Item = &'a Term> + 'a {
        self.terms.iter().filter(move |t| t.taxonomy == taxonomy)
    }

    /// An author by login (`dc:creator` names the login).
    pub fn author(&self, login: &str) -> Option<&Author> {
        self.authors.iter().find(|a| a.login == login)
    }

    /// An item by its WordPress id.
    pub fn item(&self, id: i64) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Author {
    pub id: i64,
    pub login: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
}

impl Author {
    /// The name a byline shows: the display name, else first and last, else the login.
    pub fn byline(&self) -> String {
        let full = format!("{} {}", self.first_name.trim(), self.last_name.trim());
        [self.display_name.trim(), full.trim(), self.login.trim()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_default()
            .to_owned()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Term {
    pub id: i64,
    /// "category", "post_tag", "nav_menu", …
    pub taxonomy: String,
    pub slug: String,
    /// The parent's slug; empty at the top.
    pub parent: String,
    pub name: String,
    pub description: String,
}

/// What an item is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostType {
    Post,
    Page,
    Attachment,
    /// Menus, blocks, templates, custom types: reported, not taken.
    Other(String),
}

impl PostType {
    pub fn parse(s: &str) -> PostType {
        match s {
            "post" => PostType::Post,
            "page" => PostType::Page,
            "attachment" => PostType::Attachment,
            other => PostType::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            PostType::Post => "post",
            PostType::Page => "page",
            PostType::Attachment => "attachment",
            PostType::Other(s) => s,
        }
    }
}

/// An item's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Publish,
    /// Published at a later date.
    Future,
    Draft,
    Pending,
    Private,
    /// Attachments'.
    Inherit,
    Trash,
    Other(String),
}

impl Status {
    pub fn parse(s: &str) -> Status {
        match s {
            "publish" => Status::Publish,
            "future" => Status::Future,
            "draft" | "auto-draft" => Status::Draft,
            "pending" => Status::Pending,
            "private" => Status::Private,
            "inherit" => Status::Inherit,
            "trash" => Status::Trash,
            other => Status::Other(other.to_owned()),
        }
    }
}

/// A `<category domain="…" nicename="…">Name</category>` of an item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemCategory {
    /// "category", "post_tag", …
    pub domain: String,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comment {
    pub id: i64,
    pub author: String,
    pub approved: String,
    pub content: String,
}

/// A post, page, attachment or any other item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: i64,
    pub title: String,
    /// The item's address on the old site.
    pub link: String,
    pub guid: String,
    /// The author's login.
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    /// Local time as written, "2023-05-17 08:30:00".
    pub date: String,
    /// UTC, "2023-05-17 01:30:00"; "0000-00-00 00:00:00" for drafts never published.
    pub date_gmt: String,
    pub modified_gmt: String,
    /// The slug (empty for drafts WordPress has not named).
    pub name: String,
    pub status: Status,
    pub parent: i64,
    pub menu_order: i64,
    pub post_type: PostType,
    pub password: String,
    pub sticky: bool,
    /// An attachment's file address.
    pub attachment_url: String,
    pub categories: Vec<ItemCategory>,
    pub meta: Vec<Meta>,
    pub comments: Vec<Comment>,
}

impl Default for Item {
    fn default() -> Self {
        Item {
            id: 0,
            title: String::new(),
            link: String::new(),
            guid: String::new(),
            creator: String::new(),
            content: String::new(),
            excerpt: String::new(),
            date: String::new(),
            date_gmt: String::new(),
            modified_gmt: String::new(),
            name: String::new(),
            status: Status::Draft,
            parent: 0,
            menu_order: 0,
            post_type: PostType::Post,
            password: String::new(),
            sticky: false,
            attachment_url: String::new(),
            categories: Vec::new(),
            meta: Vec::new(),
            comments: Vec::new(),
        }
    }
}

impl Item {
    /// The first value of a meta key.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.value.as_str())
    }

    /// The featured image's attachment id (`_thumbnail_id`).
    pub fn thumbnail(&self) -> Option<i64> {
        self.meta("_thumbnail_id")?.trim().parse().ok()
    }

    /// The slugs of the item's terms in one taxonomy.
    pub fn terms<'a>(&'a self, domain: &'a str) -> impl Iterator<Item = &'a ItemCategory> + 'a {
        self.categories.iter().filter(move |c| c.domain == domain)
    }

    /// The publication time, from `date_gmt` (UTC); None when never set.
    pub fn published(&self) -> Option<jiff::Timestamp> {
        gmt(&self.date_gmt)
    }

    /// When it was written, from `date` (the old site's local time, read as UTC): drafts
    /// have no other date.
    pub fn written(&self) -> Option<jiff::Timestamp> {
        gmt(&self.date)
    }

    /// The last change, from `modified_gmt`.
    pub fn modified(&self) -> Option<jiff::Timestamp> {
        gmt(&self.modified_gmt)
    }
}

/// "2023-05-17 01:30:00" (UTC) as a time; WordPress writes zeros for "never".
fn gmt(s: &str) -> Option<jiff::Timestamp> {
    let s = s.trim();
    if s.is_empty() || s.starts_with("0000") {
        return None;
    }
    let dt: jiff::civil::DateTime = s.replace(' ', "T").parse().ok()?;
    dt.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}
