-- The trash, optimistic locking and sections per user.
--
-- Articles, pages, documents and media go to the trash before they are gone: trashed_at is
-- when (NULL: not in the trash). An article or document in the trash is also unpublished,
-- so every public query, which asks for 'published', hides it without knowing of the trash;
-- pages and media have no status and are filtered on trashed_at. Emptied by an
-- administrator or after trash.keep_days.
ALTER TABLE articles ADD COLUMN trashed_at INTEGER;
ALTER TABLE pages ADD COLUMN trashed_at INTEGER;
ALTER TABLE documents ADD COLUMN trashed_at INTEGER;
ALTER TABLE media ADD COLUMN trashed_at INTEGER;

-- A page's edit counter: a save names the version its form was opened at and is refused if
-- another was saved since. (Articles and documents use their newest revision's id.)
ALTER TABLE pages ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- The sections a user may write in on a site; none listed: every section.
CREATE TABLE user_sections (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    site_id    INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL REFERENCES sections (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, site_id, section_id)
);
CREATE INDEX user_sections_by_section ON user_sections (section_id);
