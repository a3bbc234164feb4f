-- Daily figures for the statistics page, filled by the stats flush (additive deltas, like
-- every counter): counted page views per site and local day, and counted views per article
-- and local day. `day` is the local day number (days since 1970-01-01 in the site's zone),
-- as `stats_visits.key` is for period 'day'.

CREATE TABLE stats_page_views (
    site_id BIGINT  NOT NULL REFERENCES sites (id),
    day     BIGINT  NOT NULL,
    views   BIGINT  NOT NULL,
    PRIMARY KEY (site_id, day)
);

CREATE TABLE article_views_daily (
    article_id BIGINT  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day        BIGINT  NOT NULL,
    views      BIGINT  NOT NULL,
    PRIMARY KEY (article_id, day)
);
-- "Most read this week": the days first, then the articles.
CREATE INDEX article_views_daily_by_day ON article_views_daily (day, article_id);
