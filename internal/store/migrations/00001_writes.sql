-- +goose Up
-- writes: one row per form key a teacher used to write to Moodle (a message to students, a
-- note, the contact notes after a message). The key's uniqueness is what makes a write happen
-- once across reloads, restarts and replicas.
CREATE TABLE writes (
	site       TEXT   NOT NULL, -- the Moodle site's base URL
	user_id    BIGINT NOT NULL, -- the teacher's Moodle user id
	kind       TEXT   NOT NULL, -- message, note, contact
	form_key   TEXT   NOT NULL, -- the form's random key
	course_id  BIGINT NOT NULL,
	meta       TEXT   NOT NULL DEFAULT '', -- what the kind needs besides the text (a note's publish state)
	created_at BIGINT NOT NULL, -- Unix milliseconds
	PRIMARY KEY (site, user_id, kind, form_key)
);
CREATE INDEX writes_created ON writes (created_at);

-- write_items: one row per recipient of a write, with where its write to Moodle stands:
-- pending, claimed (a server is sending it), sent, refused (Moodle said no), unknown (Moodle
-- may have stored it).
CREATE TABLE write_items (
	site         TEXT   NOT NULL,
	user_id      BIGINT NOT NULL,
	kind         TEXT   NOT NULL,
	form_key     TEXT   NOT NULL,
	recipient_id BIGINT NOT NULL, -- the student's Moodle user id
	position     INTEGER NOT NULL, -- order on the page
	body         TEXT   NOT NULL, -- the text written to Moodle (matched on a retry)
	state        TEXT   NOT NULL,
	reason       TEXT   NOT NULL DEFAULT '',
	moodle_id    BIGINT NOT NULL DEFAULT 0, -- Moodle's message or note id once sent
	claim        TEXT   NOT NULL DEFAULT '', -- who holds the claim
	claimed_at   BIGINT NOT NULL DEFAULT 0,
	updated_at   BIGINT NOT NULL,
	PRIMARY KEY (site, user_id, kind, form_key, recipient_id),
	FOREIGN KEY (site, user_id, kind, form_key) REFERENCES writes (site, user_id, kind, form_key) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE write_items;
DROP TABLE writes;
