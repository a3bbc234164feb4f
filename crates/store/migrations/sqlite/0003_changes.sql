-- Changes to content, in order: what each node's in-memory state (caches, search index,
-- sessions) follows. A node reads the rows after the last one it saw whenever it is told
-- (PostgreSQL NOTIFY) or reconnects, and every few seconds besides.
CREATE TABLE changes (
    id        INTEGER PRIMARY KEY,
    kind      TEXT    NOT NULL,
    entity_id INTEGER NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX changes_by_time ON changes (at);
