-- Visitor statistics and view counts. Counters only ever grow by added deltas, so several
-- nodes can flush into them without overwriting one another.

-- Today's (and tomorrow's) secret for the cookieless visitor hash; older ones are deleted.
CREATE TABLE stats_secrets (
    day    BIGINT PRIMARY KEY,
    secret BYTEA   NOT NULL
);

-- When each visitor (keyed hash, changes daily) last made a counted page view.
CREATE TABLE stats_visitors (
    visitor   BYTEA   PRIMARY KEY,
    last_seen BIGINT  NOT NULL
);
CREATE INDEX stats_visitors_by_last_seen ON stats_visitors (last_seen);

-- When a visitor's view of an article was last counted, for the dedupe window.
CREATE TABLE stats_article_seen (
    visitor      BYTEA   NOT NULL,
    article_id   BIGINT  NOT NULL,
    last_counted BIGINT  NOT NULL,
    PRIMARY KEY (visitor, article_id)
);
CREATE INDEX stats_article_seen_by_time ON stats_article_seen (last_counted);

-- Visits that started in a period: period is 'day', 'week', 'month' or 'total'; key is the
-- local day number of the period's first day (0 for 'total').
CREATE TABLE stats_visits (
    period TEXT    NOT NULL,
    key    BIGINT  NOT NULL,
    visits BIGINT  NOT NULL,
    PRIMARY KEY (period, key)
);

-- Counted views per article; apart from articles so a flush never rewrites an article row.
CREATE TABLE article_views (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    views      BIGINT  NOT NULL
);

-- A number every flush raises in its transaction; a page that reads it with a view count
-- knows which flushes that count already holds.
CREATE TABLE stats_flushes (
    id  BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT  NOT NULL
);
INSERT INTO stats_flushes (id, seq) VALUES (1, 0);
