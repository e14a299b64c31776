-- +goose Up
-- The teacher's working memory of a course (internal/attention): each row belongs to one
-- teacher (site, user_id) and one course, so another teacher or a tutor of the course never
-- sees it. Only Moodle ids, flag codes, states, times and rules: no names, no grades.

-- attention_marks: the teacher's state for a student (a student without a row is new).
CREATE TABLE attention_marks (
	site       TEXT   NOT NULL,
	user_id    BIGINT NOT NULL, -- the teacher's Moodle user id
	course_id  BIGINT NOT NULL,
	student_id BIGINT NOT NULL, -- the student's Moodle user id
	state      TEXT   NOT NULL, -- contacted, handled, snoozed
	until_at   BIGINT NOT NULL DEFAULT 0, -- snoozed: Unix milliseconds the student comes back
	reasons    TEXT   NOT NULL DEFAULT '', -- the flag codes the state was set for, joined by ;
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (site, user_id, course_id, student_id)
);

-- attention_visits: the teacher's current and previous visit to a course.
CREATE TABLE attention_visits (
	site        TEXT   NOT NULL,
	user_id     BIGINT NOT NULL,
	course_id   BIGINT NOT NULL,
	previous_at    BIGINT NOT NULL DEFAULT 0, -- the previous visit's last request
	previous_start BIGINT NOT NULL DEFAULT 0, -- when the previous visit began
	current_at     BIGINT NOT NULL,           -- the current visit's last request (to the minute)
	current_start  BIGINT NOT NULL,           -- when the current visit began
	PRIMARY KEY (site, user_id, course_id)
);

-- attention_flags: the flag codes each flagged student had when a visit began; visit 1 is
-- the current visit, 0 the previous one. What Moodle's timestamps cannot tell ("new flags").
CREATE TABLE attention_flags (
	site       TEXT     NOT NULL,
	user_id    BIGINT   NOT NULL,
	course_id  BIGINT   NOT NULL,
	visit      SMALLINT NOT NULL,
	student_id BIGINT   NOT NULL,
	codes      TEXT     NOT NULL, -- joined by ;
	PRIMARY KEY (site, user_id, course_id, visit, student_id)
);

-- attention_rules: the teacher's flag rules for a course, as JSON (attention.Rules).
CREATE TABLE attention_rules (
	site       TEXT   NOT NULL,
	user_id    BIGINT NOT NULL,
	course_id  BIGINT NOT NULL,
	rules      TEXT   NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (site, user_id, course_id)
);

-- attention_contacts: a message sent from the dashboard to a student, with the flag codes
-- the student had then: what the follow-up page measures from. The contact service's writes
-- hold the same send for 7 days, for sending once; a follow-up looks further back, and needs
-- the reasons, so it keeps this smaller record (no text) for 180 days.
CREATE TABLE attention_contacts (
	site       TEXT   NOT NULL,
	user_id    BIGINT NOT NULL,
	course_id  BIGINT NOT NULL,
	student_id BIGINT NOT NULL,
	sent_at    BIGINT NOT NULL,
	codes      TEXT   NOT NULL DEFAULT '',
	PRIMARY KEY (site, user_id, course_id, student_id, sent_at)
);
CREATE INDEX attention_contacts_sent ON attention_contacts (sent_at);

-- +goose Down
DROP TABLE attention_contacts;
DROP TABLE attention_rules;
DROP TABLE attention_flags;
DROP TABLE attention_visits;
DROP TABLE attention_marks;
