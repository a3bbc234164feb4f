-- Mail: the outbound queue, back-office users' e-mail addresses and password-reset links.
--
-- mail_outbox: a mail is queued in the transaction of the write that causes it; a node
-- claims due mails with a lease (claimed_by, claimed_until), so two nodes never send the same
-- one and a node that dies mid-send leaves a lease that runs out and the mail is tried again.
-- status: queued (waiting for next_attempt_at), sending (claimed), sent, failed (for good).
-- password_resets: a single-use link's token, kept only hashed, valid until expires_at.
CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    body_html       TEXT    NOT NULL,
    kind            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'queued',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT    NOT NULL DEFAULT '',
    claimed_by      TEXT,
    claimed_until   INTEGER,
    sent_at         INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE INDEX mail_outbox_by_site ON mail_outbox (site_id, id);

ALTER TABLE users ADD COLUMN email TEXT;

CREATE TABLE password_resets (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX password_resets_by_user ON password_resets (user_id);
