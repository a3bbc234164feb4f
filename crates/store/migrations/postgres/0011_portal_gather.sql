-- The portal carries its components. A section may gather the newest articles of chosen
-- sites (its own articles and theirs, merged newest first); an article shared to the portal
-- is a copy there that names its origin: its page shows the origin's current content and
-- its canonical link is the origin's address.
CREATE TABLE section_sources (
    section_id      BIGINT  NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    source_site_id  BIGINT  NOT NULL REFERENCES sites (id),
    PRIMARY KEY (section_id, source_site_id)
);
CREATE INDEX section_sources_by_site ON section_sources (source_site_id);

ALTER TABLE articles ADD COLUMN origin_article_id BIGINT REFERENCES articles (id) ON DELETE CASCADE;
CREATE INDEX articles_by_origin ON articles (origin_article_id);
