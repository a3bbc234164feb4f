-- Lịch công tác: the leaders' weekly work schedule of a site.
--
-- One row per entry. starts_at / ends_at are instants (UTC epoch seconds); an all-day entry
-- starts at its local midnight. leaders: the names as typed, one per line (matched folded).
-- status: draft (never public), published, postponed (Hoãn) or cancelled (Hủy); the last
-- two stay listed, struck through. adjusted_at: when a published entry was changed or
-- cancelled ("Điều chỉnh"); sequence: the iCalendar SEQUENCE, bumped on each adjustment.
-- copied_from: the recurring entry of an earlier week this one was copied from, so copying
-- a week twice does not copy it twice.
CREATE TABLE schedule_entries (
    id           INTEGER PRIMARY KEY,
    starts_at    INTEGER NOT NULL,
    ends_at      INTEGER,
    all_day      INTEGER NOT NULL DEFAULT 0,
    leaders      TEXT    NOT NULL DEFAULT '',
    content      TEXT    NOT NULL,
    place        TEXT    NOT NULL DEFAULT '',
    host         TEXT    NOT NULL DEFAULT '',
    participants TEXT    NOT NULL DEFAULT '',
    notes        TEXT    NOT NULL DEFAULT '',
    recurring    INTEGER NOT NULL DEFAULT 0,
    status       TEXT    NOT NULL DEFAULT 'draft',
    published_at INTEGER,
    adjusted_at  INTEGER,
    sequence     INTEGER NOT NULL DEFAULT 0,
    copied_from  INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    site_id      INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id)
);
CREATE INDEX schedule_by_time ON schedule_entries (site_id, starts_at);
