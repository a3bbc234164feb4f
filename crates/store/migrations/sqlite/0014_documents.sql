-- The legal documents library (văn bản) and attached files.
--
-- document_terms: each site's lists the administrator edits, one vocabulary per kind: the
-- types of document (Quyết định, Thông tư …), the issuing bodies, and the fields (lĩnh vực).
-- documents: number and symbol, type, issuer, signer, abstract, optional full text, dates of
-- issue, effect and expiry ('YYYY-MM-DD', the site's calendar), and the editorial status
-- articles have. Its status of effect is not stored: it follows from the dates and the
-- relations on the day it is shown.
-- files: uploaded attachments, one row per content per site; their bytes are in
-- media_files under "{hash}.{ext}", their extracted text here for the search.
-- attachments: which files a document, article or page carries, in order.

CREATE TABLE document_terms (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    vocabulary TEXT    NOT NULL CHECK (vocabulary IN ('type', 'issuer', 'field')),
    name       TEXT    NOT NULL,
    slug       TEXT    NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (site_id, vocabulary, slug)
);

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    site_id      INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    slug         TEXT    NOT NULL,
    number       TEXT    NOT NULL,
    type_id      INTEGER NOT NULL REFERENCES document_terms (id),
    issuer_id    INTEGER NOT NULL REFERENCES document_terms (id),
    signer       TEXT    NOT NULL DEFAULT '',
    summary      TEXT    NOT NULL,
    body_html    TEXT    NOT NULL DEFAULT '',
    issued_on    TEXT    NOT NULL,
    effective_on TEXT,
    expires_on   TEXT,
    status       TEXT    NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'pending', 'published', 'unpublished')),
    published_at INTEGER NOT NULL,
    search_key   TEXT    NOT NULL DEFAULT '',
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    UNIQUE (site_id, slug)
);
CREATE INDEX documents_by_date ON documents (site_id, status, issued_on DESC, id DESC);
CREATE INDEX documents_by_type ON documents (type_id, status, issued_on DESC);
CREATE INDEX documents_by_issuer ON documents (issuer_id, status, issued_on DESC);

CREATE TABLE document_fields (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    term_id     INTEGER NOT NULL REFERENCES document_terms (id),
    PRIMARY KEY (document_id, term_id)
);
CREATE INDEX document_fields_by_term ON document_fields (term_id, document_id);

-- "from_id replaces to_id", "from_id amends to_id" …; shown both ways.
CREATE TABLE document_relations (
    from_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    to_id   INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    kind    TEXT    NOT NULL
            CHECK (kind IN ('replaces', 'partly_replaces', 'amends', 'repeals', 'guides')),
    PRIMARY KEY (from_id, to_id, kind),
    CHECK (from_id <> to_id)
);
CREATE INDEX document_relations_to ON document_relations (to_id);

CREATE TABLE document_revisions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    username    TEXT    NOT NULL DEFAULT '',
    snapshot    TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX document_revisions_by_document ON document_revisions (document_id, id);

CREATE TABLE files (
    id         INTEGER PRIMARY KEY,
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    hash       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    bytes      INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    text       TEXT    NOT NULL DEFAULT '',
    text_state TEXT    NOT NULL DEFAULT 'none'
               CHECK (text_state IN ('found', 'none', 'unreadable')),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (site_id, hash)
);

CREATE TABLE attachments (
    owner_kind TEXT    NOT NULL CHECK (owner_kind IN ('document', 'article', 'page')),
    owner_id   INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    file_id    INTEGER NOT NULL REFERENCES files (id),
    PRIMARY KEY (owner_kind, owner_id, position)
);
CREATE INDEX attachments_by_file ON attachments (file_id);
