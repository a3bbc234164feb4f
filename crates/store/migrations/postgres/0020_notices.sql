-- Notices: whether an account gets the editorial workflow's mails (an article submitted for
-- review, returned, published). On by default; the user turns it off on their account page.
ALTER TABLE users ADD COLUMN notices BIGINT NOT NULL DEFAULT 1 CHECK (notices IN (0, 1));
