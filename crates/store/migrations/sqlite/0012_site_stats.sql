-- Visitor statistics per site: a reader of two sites is one visitor of each, and each site
-- counts its own visits. What was counted before becomes site 1's. Both tables get
-- `site_id` in their primary key, which SQLite cannot change in place: they are rebuilt
-- (nothing points to them, so foreign keys may stay on). Article views need nothing: an
-- article belongs to one site, so its views and its dedupe memory are that site's already.

CREATE TABLE stats_visitors_new (
    visitor   BLOB    NOT NULL,
    last_seen INTEGER NOT NULL,
    site_id   INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id),
    PRIMARY KEY (visitor, site_id)
);
INSERT INTO stats_visitors_new (visitor, last_seen, site_id)
SELECT visitor, last_seen, 1 FROM stats_visitors;
DROP TABLE stats_visitors;
ALTER TABLE stats_visitors_new RENAME TO stats_visitors;
CREATE INDEX stats_visitors_by_last_seen ON stats_visitors (last_seen);

CREATE TABLE stats_visits_new (
    period  TEXT    NOT NULL,
    key     INTEGER NOT NULL,
    visits  INTEGER NOT NULL,
    site_id INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id),
    PRIMARY KEY (site_id, period, key)
);
INSERT INTO stats_visits_new (period, key, visits, site_id)
SELECT period, key, visits, 1 FROM stats_visits;
DROP TABLE stats_visits;
ALTER TABLE stats_visits_new RENAME TO stats_visits;
