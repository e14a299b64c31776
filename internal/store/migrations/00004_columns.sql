-- +goose Up
-- graded_columns: the graded activities (quizzes, rated forums, ...) a teacher chose as
-- columns of a course's cohort page, kept so the choice sticks from one visit to the next.
-- One row per teacher (site, user_id) and course; no row: no extra columns. Only cmids.
CREATE TABLE graded_columns (
	site       TEXT   NOT NULL,
	user_id    BIGINT NOT NULL, -- the teacher's Moodle user id
	course_id  BIGINT NOT NULL,
	cmids      TEXT   NOT NULL, -- the chosen activities' course module ids, in order, joined by ,
	updated_at BIGINT NOT NULL, -- Unix milliseconds
	PRIMARY KEY (site, user_id, course_id)
);

-- +goose Down
DROP TABLE graded_columns;
