-- Visitor statistics per site: a reader of two sites is one visitor of each, and each site
-- counts its own visits. What was counted before becomes site 1's. Article views need
-- nothing: an article belongs to one site, so its views and its dedupe memory are that
-- site's already.

ALTER TABLE stats_visitors ADD COLUMN site_id BIGINT NOT NULL DEFAULT 1 REFERENCES sites (id);
ALTER TABLE stats_visitors DROP CONSTRAINT stats_visitors_pkey;
ALTER TABLE stats_visitors ADD PRIMARY KEY (visitor, site_id);

ALTER TABLE stats_visits ADD COLUMN site_id BIGINT NOT NULL DEFAULT 1 REFERENCES sites (id);
ALTER TABLE stats_visits DROP CONSTRAINT stats_visits_pkey;
ALTER TABLE stats_visits ADD PRIMARY KEY (site_id, period, key);
