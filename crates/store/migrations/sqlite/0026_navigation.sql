-- The webmaster's arrangement of a site, per language: its menu (two levels), the blocks of
-- its home page, its banners, and the language of its "Liên kết website" links.
--
-- menu_items: in order (position); depth 0 is a top item, depth 1 belongs to the nearest top
-- item before it. target_kind names what the item points at (home, section, page,
-- documents, questions, consultations, schedule, organisation, directory, photos, videos,
-- contact, url); target is the section's or page's slug, or the URL.
-- home_blocks: in order; kind (featured, latest, section, documents, most_read, photos,
-- videos, banners, links, schedule) with its section and how many items it shows.
-- banners: an image of the site's library with its link and alt text, in a place (top,
-- sidebar, home), shown from starts_on to ends_on inclusive (days in the site's zone,
-- yyyy-mm-dd; empty for no limit).
CREATE TABLE menu_items (
    id          INTEGER PRIMARY KEY,
    lang        TEXT    NOT NULL DEFAULT 'vi',
    position    INTEGER NOT NULL,
    depth       INTEGER NOT NULL DEFAULT 0 CHECK (depth IN (0, 1)),
    label       TEXT    NOT NULL,
    target_kind TEXT    NOT NULL,
    target      TEXT    NOT NULL DEFAULT '',
    site_id     INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id) ON DELETE CASCADE
);
CREATE INDEX menu_items_by_site ON menu_items (site_id, lang, position);

CREATE TABLE home_blocks (
    id         INTEGER PRIMARY KEY,
    lang       TEXT    NOT NULL DEFAULT 'vi',
    position   INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    section_id INTEGER REFERENCES sections (id) ON DELETE CASCADE,
    item_count INTEGER NOT NULL DEFAULT 5,
    title      TEXT    NOT NULL DEFAULT '',
    site_id    INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id) ON DELETE CASCADE
);
CREATE INDEX home_blocks_by_site ON home_blocks (site_id, lang, position);

CREATE TABLE banners (
    id        INTEGER PRIMARY KEY,
    lang      TEXT    NOT NULL DEFAULT 'vi',
    place     TEXT    NOT NULL,
    position  INTEGER NOT NULL,
    media_id  INTEGER NOT NULL REFERENCES media (id),
    link      TEXT    NOT NULL DEFAULT '',
    alt       TEXT    NOT NULL,
    starts_on TEXT    NOT NULL DEFAULT '',
    ends_on   TEXT    NOT NULL DEFAULT '',
    site_id   INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id) ON DELETE CASCADE
);
CREATE INDEX banners_by_site ON banners (site_id, lang, position);
CREATE INDEX banners_by_media ON banners (media_id);

ALTER TABLE site_links ADD COLUMN lang TEXT NOT NULL DEFAULT 'vi';
