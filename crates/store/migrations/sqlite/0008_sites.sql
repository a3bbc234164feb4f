-- Sites: one instance serves the provincial portal and its component sites. Every piece of
-- content belongs to one site; what was here before becomes site 1. Slugs, media hashes and
-- setting keys are unique per site, not per instance, so the tables that held them unique
-- are rebuilt (SQLite cannot drop a UNIQUE constraint) the way SQLite's manual says: with
-- foreign keys off (a dropped table would otherwise take its children's rows with it), a
-- new table under another name, the rows copied, the old one dropped, the new one renamed;
-- other tables' foreign keys name the table, so they name the new one. Foreign keys can
-- only be switched off outside a transaction, so this file runs its own (migrate.rs).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE sites (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    -- The canonical address (scheme, host, optional port); '' = the address each request
    -- comes to (a single site answers on any Host).
    address     TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL DEFAULT 'component' CHECK (kind IN ('portal', 'component')),
    disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
INSERT INTO sites (id, name, address, kind, created_at, updated_at)
SELECT 1, COALESCE((SELECT value FROM site_settings WHERE key = 'site.name'), 'Cổng thông tin'),
       '', 'portal', CAST(strftime('%s', 'now') AS INTEGER), CAST(strftime('%s', 'now') AS INTEGER);

-- Host names (lower case, no port) a site answers on: its canonical one, and aliases that
-- redirect to it.
CREATE TABLE site_hosts (
    host      TEXT    PRIMARY KEY,
    site_id   INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    canonical INTEGER NOT NULL DEFAULT 0 CHECK (canonical IN (0, 1))
);
CREATE INDEX site_hosts_by_site ON site_hosts (site_id);

CREATE TABLE pages_new (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    body_html   TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    site_id     INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id),
    UNIQUE (site_id, slug)
);
INSERT INTO pages_new (id, site_id, slug, title, body_html, created_at, updated_at)
SELECT id, 1, slug, title, body_html, created_at, updated_at FROM pages;
DROP TABLE pages;
ALTER TABLE pages_new RENAME TO pages;

CREATE TABLE sections_new (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    parent_id   INTEGER REFERENCES sections (id),
    in_menu     INTEGER NOT NULL DEFAULT 1 CHECK (in_menu IN (0, 1)),
    page_id     INTEGER REFERENCES pages (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    site_id     INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id),
    UNIQUE (site_id, slug)
);
INSERT INTO sections_new (id, site_id, slug, name, description, position, parent_id, in_menu,
                      page_id, created_at, updated_at)
SELECT id, 1, slug, name, description, position, parent_id, in_menu, page_id, created_at,
       updated_at FROM sections;
DROP TABLE sections;
ALTER TABLE sections_new RENAME TO sections;

CREATE TABLE media_new (
    id            INTEGER PRIMARY KEY,
    hash          TEXT    NOT NULL,
    file_name     TEXT    NOT NULL,
    mime          TEXT    NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    bytes         INTEGER NOT NULL,
    original_name TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    widths        TEXT    NOT NULL DEFAULT '',
    caption       TEXT    NOT NULL DEFAULT '',
    uploaded_by   INTEGER REFERENCES users (id),
    search_key    TEXT    NOT NULL DEFAULT '',
    site_id       INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id),
    UNIQUE (site_id, hash)
);
INSERT INTO media_new (id, site_id, hash, file_name, mime, width, height, bytes, original_name,
                   created_at, widths, caption, uploaded_by, search_key)
SELECT id, 1, hash, file_name, mime, width, height, bytes, original_name, created_at, widths,
       caption, uploaded_by, search_key FROM media;
DROP TABLE media;
ALTER TABLE media_new RENAME TO media;
-- The same file uploaded to two sites is one file on disk: deleting it asks this index.
CREATE INDEX media_by_hash ON media (hash);

CREATE TABLE articles_new (
    id             INTEGER PRIMARY KEY,
    section_id     INTEGER NOT NULL REFERENCES sections (id),
    slug           TEXT    NOT NULL,
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
    updated_at     INTEGER NOT NULL,
    created_by     INTEGER REFERENCES users (id),
    review_note    TEXT    NOT NULL DEFAULT '',
    site_id        INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id),
    UNIQUE (site_id, slug)
);
INSERT INTO articles_new (id, site_id, section_id, slug, title, summary, body_html, author, status,
                      featured, cover_media_id, gallery_title, published_at, created_at,
                      updated_at, created_by, review_note)
SELECT id, 1, section_id, slug, title, summary, body_html, author, status, featured,
       cover_media_id, gallery_title, published_at, created_at, updated_at, created_by,
       review_note FROM articles;
DROP TABLE articles;
ALTER TABLE articles_new RENAME TO articles;
CREATE INDEX articles_by_section ON articles (section_id, status, published_at DESC, id DESC);
CREATE INDEX articles_by_date ON articles (site_id, status, published_at DESC, id DESC);

CREATE TABLE article_redirects_new (
    slug       TEXT    NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    site_id    INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id),
    PRIMARY KEY (site_id, slug)
);
INSERT INTO article_redirects_new (site_id, slug, article_id)
SELECT 1, slug, article_id FROM article_redirects;
DROP TABLE article_redirects;
ALTER TABLE article_redirects_new RENAME TO article_redirects;

CREATE TABLE site_settings_new (
    key     TEXT    NOT NULL,
    value   TEXT    NOT NULL,
    site_id INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id),
    PRIMARY KEY (site_id, key)
);
INSERT INTO site_settings_new (site_id, key, value) SELECT 1, key, value FROM site_settings;
DROP TABLE site_settings;
ALTER TABLE site_settings_new RENAME TO site_settings;

ALTER TABLE site_links ADD COLUMN site_id INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id);

-- Which site a back-office action concerned (none for logins and accounts).
ALTER TABLE audit_log ADD COLUMN site_id INTEGER;

COMMIT;
PRAGMA foreign_keys = ON;
