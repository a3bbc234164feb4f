-- Videos: uploaded MP4/WebM files and the videos articles show.
--
-- videos: a site's uploaded video, its bytes in media_files under "{hash}.{ext}" like an
-- image's, what the container check learnt (size, length, codec), and its poster frame, an
-- image of the library. In the trash like media (trashed_at).
-- article_videos: the videos an article's body plays, in order, written with the article
-- at each save (an uploaded video by id, a YouTube one by its video id): the public video
-- library reads this, never the bodies.
CREATE TABLE videos (
    id              INTEGER PRIMARY KEY,
    site_id         INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    hash            TEXT    NOT NULL,
    file_name       TEXT    NOT NULL,
    mime            TEXT    NOT NULL,
    bytes           INTEGER NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    duration_ms     INTEGER NOT NULL,
    codec           TEXT    NOT NULL,
    poster_media_id INTEGER REFERENCES media (id),
    title           TEXT    NOT NULL DEFAULT '',
    original_name   TEXT    NOT NULL,
    search_key      TEXT    NOT NULL DEFAULT '',
    uploaded_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    trashed_at      INTEGER,
    UNIQUE (site_id, hash)
);
CREATE INDEX videos_by_hash ON videos (hash);
CREATE INDEX videos_by_poster ON videos (poster_media_id);

CREATE TABLE article_videos (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    video_id   INTEGER REFERENCES videos (id),
    youtube_id TEXT    NOT NULL DEFAULT '',
    title      TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, position)
);
CREATE INDEX article_videos_by_video ON article_videos (video_id);
