-- The back office: accounts, sessions, login throttling, the audit log, article revisions
-- and the editorial workflow, old slugs that redirect, resized media.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL DEFAULT '',
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'editor', 'author')),
    password_hash TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    totp_secret   TEXT,
    totp_enabled  INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
    -- The last time step a code was accepted for: a code is never accepted twice.
    totp_last_step INTEGER,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    last_login_at INTEGER
);

-- One-time recovery codes of the second factor, stored hashed.
CREATE TABLE recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT    NOT NULL,
    used_at   INTEGER,
    PRIMARY KEY (user_id, code_hash)
);

-- Server-side sessions; the cookie holds a random token, the table only its hash.
CREATE TABLE sessions (
    token_hash     TEXT    PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token     TEXT    NOT NULL,
    -- 1 while the second factor is still to be given: the session opens nothing else.
    pending_totp   INTEGER NOT NULL DEFAULT 0 CHECK (pending_totp IN (0, 1)),
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    ip             TEXT    NOT NULL DEFAULT '',
    user_agent     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Failed logins, by account and by client address, for throttling.
CREATE TABLE login_failures (
    id    INTEGER PRIMARY KEY,
    scope TEXT    NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX login_failures_by_scope ON login_failures (scope, at);

-- Every back-office action: who, what, which object, when, from where. Never edited.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    user_id     INTEGER,
    username    TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    object_kind TEXT    NOT NULL DEFAULT '',
    object_id   INTEGER,
    detail      TEXT    NOT NULL DEFAULT '',
    ip          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_time ON audit_log (at);

-- The workflow: who wrote an article, and the editor's note when it was returned.
ALTER TABLE articles ADD COLUMN created_by INTEGER REFERENCES users (id);
ALTER TABLE articles ADD COLUMN review_note TEXT NOT NULL DEFAULT '';

-- Every save of an article, whole, with its gallery as JSON.
CREATE TABLE article_revisions (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL,
    user_id        INTEGER,
    username       TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL,
    section_id     INTEGER NOT NULL,
    slug           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    summary        TEXT    NOT NULL,
    body_html      TEXT    NOT NULL,
    author         TEXT    NOT NULL,
    cover_media_id INTEGER,
    gallery_title  TEXT    NOT NULL,
    gallery_json   TEXT    NOT NULL,
    published_at   INTEGER NOT NULL,
    note           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX article_revisions_by_article ON article_revisions (article_id, id);

-- Slugs an article had before: their URLs redirect to the current one.
CREATE TABLE article_redirects (
    slug       TEXT    PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);

-- Widths stored for each image (comma-separated; files "{hash}-{width}.webp" and the fallback).
ALTER TABLE media ADD COLUMN widths TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN caption TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN uploaded_by INTEGER REFERENCES users (id);
