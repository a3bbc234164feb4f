-- Cơ cấu tổ chức and Danh bạ: a site's units in a tree and the people who work in them.
--
-- org_units: kind is leadership (Ban Giám đốc / Lãnh đạo), department (phòng/ban) or
-- affiliate (đơn vị trực thuộc); position orders siblings; parent_id has no foreign key
-- (a copy or a restore writes rows in id order, and a unit moved under a later one would
-- come before its parent; the domain refuses to delete a unit that has children). duties
-- and duties_en are plain text, paragraphs separated by a blank line. name_en and
-- duties_en are empty until the English pages come.
-- org_people: title is the chức vụ; precedence orders people within their unit; served_from
-- and served_until are days (yyyy-mm-dd) in office, served_until NULL while serving.
CREATE TABLE org_units (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER,
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    name_en    TEXT    NOT NULL DEFAULT '',
    slug       TEXT    NOT NULL,
    duties     TEXT    NOT NULL DEFAULT '',
    duties_en  TEXT    NOT NULL DEFAULT '',
    address    TEXT    NOT NULL DEFAULT '',
    phone      TEXT    NOT NULL DEFAULT '',
    email      TEXT    NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    site_id    INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id),
    UNIQUE (site_id, slug)
);
CREATE INDEX org_units_by_parent ON org_units (site_id, parent_id, position);

CREATE TABLE org_people (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL REFERENCES org_units (id),
    name           TEXT    NOT NULL,
    title          TEXT    NOT NULL DEFAULT '',
    title_en       TEXT    NOT NULL DEFAULT '',
    photo_media_id INTEGER REFERENCES media (id) ON DELETE SET NULL,
    phone          TEXT    NOT NULL DEFAULT '',
    email          TEXT    NOT NULL DEFAULT '',
    precedence     INTEGER NOT NULL DEFAULT 0,
    served_from    TEXT,
    served_until   TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    site_id        INTEGER NOT NULL DEFAULT 1 REFERENCES sites (id)
);
CREATE INDEX org_people_by_unit ON org_people (unit_id, precedence);
CREATE INDEX org_people_by_site ON org_people (site_id);
