-- A second factor being enrolled: the new secret waits here until the user confirms a code
-- from it (with their password), so starting an enrolment never switches the active one off.
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
