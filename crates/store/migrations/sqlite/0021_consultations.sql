-- Lấy ý kiến dự thảo: a draft document of the library put out for public comment.
--
-- consultations: the document's consultation window, inclusive dates in the site's calendar
-- ('YYYY-MM-DD'); ends_at is the end of the closing day as a Unix time, kept so that the
-- retention of commenters' personal data needs no calendar. consultation_comments: one
-- comment, status new, published or rejected; its author's personal data (name, email,
-- organisation) is what retention empties (anonymised_at set), with the consent recorded as
-- for feedback. attachments: a fourth owner, 'report', the consultation's summary report
-- (báo cáo tổng hợp, giải trình, tiếp thu) of the document with that id; the table is
-- rebuilt because SQLite cannot change a CHECK.
CREATE TABLE consultations (
    document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    opens_on    TEXT    NOT NULL,
    closes_on   TEXT    NOT NULL,
    ends_at     INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    CHECK (opens_on <= closes_on)
);
CREATE INDEX consultations_by_close ON consultations (closes_on);

CREATE TABLE consultation_comments (
    id              INTEGER PRIMARY KEY,
    document_id     INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    organisation    TEXT    NOT NULL DEFAULT '',
    body            TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'published', 'rejected')),
    created_at      INTEGER NOT NULL,
    moderated_at    INTEGER,
    moderated_by    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    consent_at      INTEGER NOT NULL,
    consent_version TEXT    NOT NULL,
    anonymised_at   INTEGER
);
CREATE INDEX consultation_comments_by_document ON consultation_comments (document_id, status, id);
CREATE INDEX consultation_comments_by_email ON consultation_comments (email);

CREATE TABLE attachments_0021 (
    owner_kind TEXT    NOT NULL CHECK (owner_kind IN ('document', 'article', 'page', 'report')),
    owner_id   INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    file_id    INTEGER NOT NULL REFERENCES files (id),
    PRIMARY KEY (owner_kind, owner_id, position)
);
INSERT INTO attachments_0021 (owner_kind, owner_id, position, file_id)
    SELECT owner_kind, owner_id, position, file_id FROM attachments;
DROP TABLE attachments;
ALTER TABLE attachments_0021 RENAME TO attachments;
CREATE INDEX attachments_by_file ON attachments (file_id);
