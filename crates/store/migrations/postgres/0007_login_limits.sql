-- Login limits: the throttle records an attempt before the password check, names typed at
-- the login are kept only hashed, a half-open second-factor login counts its codes, and
-- failures with names that match no account are counted instead of audited one by one.

-- Old throttle rows named accounts by what was typed (often a password): forget them. The
-- throttle starts again with the new keys; at worst a waiting address may try again early.
DELETE FROM login_failures;

-- Codes tried in a half-open second-factor login (it ends after a few).
ALTER TABLE sessions ADD COLUMN totp_attempts BIGINT  NOT NULL DEFAULT 0;

-- Failed logins with names that match no account, counted per UTC day.
CREATE TABLE login_tallies (
    day   BIGINT  NOT NULL,
    kind  TEXT    NOT NULL,
    n     BIGINT  NOT NULL,
    PRIMARY KEY (day, kind)
);

-- What was typed as a name that matched no account was written to the audit log, and it is
-- often a password: the entries stay, the text goes.
UPDATE audit_log SET username = '', detail = ''
 WHERE action = 'user.login_failed' AND user_id IS NULL;
