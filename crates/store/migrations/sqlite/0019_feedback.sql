-- Citizens' feedback (Góp ý / Liên hệ) and what guards the public forms.
--
-- feedback_topics: a site's topics, each routed to a mailbox (empty: none, kept in the back
-- office only). feedback: one message; status new, handled or archived. The sender's personal
-- data (name, email, phone, address) is what retention erases: anonymised_at is then set and
-- those columns emptied; consent_at and consent_version record the consent the form asked for
-- (the version is the personal-data policy page's last change). form_proofs: proofs of work
-- already used, until they expire, so that one is never taken twice by any node.
CREATE TABLE feedback_topics (
    id       INTEGER PRIMARY KEY,
    site_id  INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    name     TEXT    NOT NULL,
    mailbox  TEXT    NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (site_id, name)
);

CREATE TABLE feedback (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    topic_id        INTEGER REFERENCES feedback_topics (id) ON DELETE SET NULL,
    code            TEXT    NOT NULL UNIQUE,
    name            TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    phone           TEXT    NOT NULL DEFAULT '',
    address         TEXT    NOT NULL DEFAULT '',
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'new',
    note            TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    handled_at      INTEGER,
    handled_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    consent_at      INTEGER NOT NULL,
    consent_version TEXT    NOT NULL,
    anonymised_at   INTEGER
);
CREATE INDEX feedback_by_site ON feedback (site_id, status, id);
CREATE INDEX feedback_by_email ON feedback (email);

CREATE TABLE form_proofs (
    proof      TEXT    PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
CREATE INDEX form_proofs_expiry ON form_proofs (expires_at);
