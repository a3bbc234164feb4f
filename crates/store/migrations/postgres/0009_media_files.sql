-- Media files kept in the database, so every node serves every upload without a shared
-- folder: the original and each resized copy under the name the library gives it (named by
-- the image's content hash). A node's media folder is only a cache of these rows.
CREATE TABLE media_files (
    name        TEXT    PRIMARY KEY,
    bytes       BYTEA   NOT NULL,
    size        BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL
);
