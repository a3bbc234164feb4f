-- Pages in more than one language. A section's language is its articles' (English articles
-- live in English sections); a static page has its own. A translation names the Vietnamese
-- (or other) item it translates, so the two pages link to each other (hreflang, the switch).
ALTER TABLE sections ADD COLUMN lang TEXT NOT NULL DEFAULT 'vi';
ALTER TABLE pages ADD COLUMN lang TEXT NOT NULL DEFAULT 'vi';
ALTER TABLE pages ADD COLUMN translation_of BIGINT REFERENCES pages (id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN translation_of BIGINT REFERENCES articles (id) ON DELETE SET NULL;
CREATE INDEX pages_translations ON pages (translation_of) WHERE translation_of IS NOT NULL;
CREATE INDEX articles_translations ON articles (translation_of) WHERE translation_of IS NOT NULL;
