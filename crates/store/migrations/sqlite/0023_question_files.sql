-- Hỏi đáp: the file a citizen may attach to a question (a scanned paper, a decision they
-- ask about). Kept apart from the library's files and media: it is the asker's personal
-- data, shown only in the back office, never served publicly, and deleted with the
-- question's personal data (retention or an erasure). kind: cong-files' kind (pdf, docx …).
CREATE TABLE question_files (
    question_id INTEGER PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    bytes       BLOB    NOT NULL
);
