-- What a site brought from the system it ran before. redirects: an old address (path, or
-- "/?p=12" for WordPress's query addresses) and where it is now, answered with a 301.
-- import_origins: which cong item an imported one became (source "wordpress" or
-- "nukeviet", kind "post", "page", "category", "attachment", …, and the old id), so that a
-- second import updates what the first made instead of adding it again.
CREATE TABLE redirects (
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    old_path   TEXT    NOT NULL,
    target     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (site_id, old_path)
);
CREATE TABLE import_origins (
    site_id   INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    source    TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    origin_id TEXT    NOT NULL,
    item_id   INTEGER NOT NULL,
    PRIMARY KEY (site_id, source, kind, origin_id)
);
