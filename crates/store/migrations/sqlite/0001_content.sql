-- Content: sections, static pages, media, articles and their galleries, site settings.
-- Times are UTC epoch seconds (INTEGER); flags are 0/1 integers, as in the PostgreSQL set.

CREATE TABLE pages (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    title       TEXT    NOT NULL,
    body_html   TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE sections (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    parent_id   INTEGER REFERENCES sections (id),
    in_menu     INTEGER NOT NULL DEFAULT 1 CHECK (in_menu IN (0, 1)),
    page_id     INTEGER REFERENCES pages (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE media (
    id            INTEGER PRIMARY KEY,
    hash          TEXT    NOT NULL UNIQUE,
    file_name     TEXT    NOT NULL,
    mime          TEXT    NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    bytes         INTEGER NOT NULL,
    original_name TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);

CREATE TABLE articles (
    id             INTEGER PRIMARY KEY,
    section_id     INTEGER NOT NULL REFERENCES sections (id),
    slug           TEXT    NOT NULL UNIQUE,
    title          TEXT    NOT NULL,
    summary        TEXT    NOT NULL DEFAULT '',
    body_html      TEXT    NOT NULL,
    author         TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL DEFAULT 'published'
                   CHECK (status IN ('draft', 'pending', 'published', 'unpublished')),
    featured       INTEGER NOT NULL DEFAULT 0 CHECK (featured IN (0, 1)),
    cover_media_id INTEGER REFERENCES media (id),
    gallery_title  TEXT    NOT NULL DEFAULT '',
    published_at   INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX articles_by_section ON articles (section_id, status, published_at DESC, id DESC);
CREATE INDEX articles_by_date ON articles (status, published_at DESC, id DESC);

CREATE TABLE article_images (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    media_id   INTEGER NOT NULL REFERENCES media (id),
    caption    TEXT    NOT NULL DEFAULT '',
    alt        TEXT    NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE site_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE site_links (
    id       INTEGER PRIMARY KEY,
    title    TEXT    NOT NULL,
    url      TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);
