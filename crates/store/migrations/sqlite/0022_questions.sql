-- Hỏi đáp: citizens' questions, moderated, assigned, answered, approved and published.
--
-- question_topics: a site's fields (lĩnh vực). questions: one question and its answer.
-- status: new (waiting for moderation), accepted, rejected (reject_reason says why), merged
-- (into merged_into, a question asking the same; no foreign key: a copy may bring either first), assigned (assignee_id answers it), answered
-- (waiting for an editor's approval), published. The asker's personal data (name, email,
-- phone, address) is never shown; retention empties it (anonymised_at). public_title and
-- public_body are the question as edited for publication; search_key is the published pair
-- folded to ASCII words, for the list's search.
CREATE TABLE question_topics (
    id       INTEGER PRIMARY KEY,
    site_id  INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (site_id, name)
);

CREATE TABLE questions (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    topic_id        INTEGER REFERENCES question_topics (id) ON DELETE SET NULL,
    code            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    phone           TEXT    NOT NULL DEFAULT '',
    address         TEXT    NOT NULL DEFAULT '',
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    public_title    TEXT    NOT NULL DEFAULT '',
    public_body     TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'new',
    reject_reason   TEXT    NOT NULL DEFAULT '',
    merged_into     INTEGER,
    assignee_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    answer          TEXT    NOT NULL DEFAULT '',
    answered_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    answered_at     INTEGER,
    approved_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    published_at    INTEGER,
    search_key      TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    consent_at      INTEGER NOT NULL,
    consent_version TEXT    NOT NULL,
    anonymised_at   INTEGER
);
CREATE INDEX questions_by_site ON questions (site_id, status, id);
CREATE INDEX questions_published ON questions (site_id, published_at);
CREATE INDEX questions_by_email ON questions (email);
