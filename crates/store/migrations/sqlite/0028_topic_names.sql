-- The English name of a Góp ý topic and of a Hỏi đáp field, shown on the English pages'
-- forms and lists; empty: the Vietnamese name is shown.
ALTER TABLE feedback_topics ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE question_topics ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
