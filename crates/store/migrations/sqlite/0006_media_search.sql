-- The media library's search: name and caption folded like a slug ("HỘI NGHỊ" and "hoi nghi"
-- both match "Hội nghị"), kept by the application, which fills it for older rows at start.
ALTER TABLE media ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
