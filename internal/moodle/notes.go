package moodle

import (
	"context"
	"strconv"
)

// Note is a note about a user (core_notes_get_course_notes). PublishState is "draft" for a
// personal note, "public" for a course note, "site" for a site note.
type Note struct {
	ID           int64  `json:"id"`
	CourseID     int64  `json:"courseid"`
	UserID       int64  `json:"userid"`
	Content      string `json:"content"`
	Format       int    `json:"format"`
	Created      Time   `json:"created"`
	LastModified Time   `json:"lastmodified"`
	UserModified int64  `json:"usermodified"`
	PublishState string `json:"publishstate"`
}

// CourseNotes is the reply of core_notes_get_course_notes.
type CourseNotes struct {
	SiteNotes            []Note    `json:"sitenotes"`
	CourseNotes          []Note    `json:"coursenotes"`
	PersonalNotes        []Note    `json:"personalnotes"`
	CanManageSystemNotes bool      `json:"canmanagesystemnotes"`
	CanManageCourseNotes bool      `json:"canmanagecoursenotes"`
	Warnings             []Warning `json:"warnings"`
}

// CourseNotes calls core_notes_get_course_notes; userID 0 means notes about everyone.
func (c *Client) CourseNotes(ctx context.Context, token string, courseID, userID int64) (*CourseNotes, error) {
	var out CourseNotes
	p := newParams().SetInt("courseid", courseID).SetInt("userid", userID)
	if err := c.call(ctx, token, "core_notes_get_course_notes", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// NewNote is one note of core_notes_create_notes. PublishState is personal, course or site.
type NewNote struct {
	UserID       int64
	CourseID     int64
	PublishState string
	Text         string
	Format       int // 1 = HTML, 2 = plain
	ClientNoteID string
}

// NoteResult is Moodle's answer for one note: NoteID -1 and ErrorMessage when it failed.
// Unanswered is set when Moodle's reply held no result for this note at all.
type NoteResult struct {
	Unanswered   bool   `json:"-"`
	ClientNoteID string `json:"clientnoteid"`
	NoteID       int64  `json:"noteid"`
	ErrorMessage string `json:"errormessage"`
}

// CreateNotes calls core_notes_create_notes. The results stand in the order of notes,
// matched by ClientNoteID (which Moodle echoes), one per note.
func (c *Client) CreateNotes(ctx context.Context, token string, notes []NewNote) ([]NoteResult, error) {
	p := newParams()
	for i, n := range notes {
		p.Item("notes", i, "userid", strconv.FormatInt(n.UserID, 10))
		p.Item("notes", i, "publishstate", n.PublishState)
		p.Item("notes", i, "courseid", strconv.FormatInt(n.CourseID, 10))
		p.Item("notes", i, "text", n.Text)
		p.Item("notes", i, "format", strconv.Itoa(n.Format))
		if n.ClientNoteID != "" {
			p.Item("notes", i, "clientnoteid", n.ClientNoteID)
		}
	}
	var out []NoteResult
	if err := c.call(ctx, token, "core_notes_create_notes", p, &out); err != nil {
		return nil, err
	}
	ids := make([]string, len(notes))
	for i, n := range notes {
		ids[i] = n.ClientNoteID
	}
	res, ok := byClientID(ids, out, func(r NoteResult) string { return r.ClientNoteID })
	for i := range res {
		if !ok[i] {
			res[i] = NoteResult{Unanswered: true, ClientNoteID: ids[i]}
		}
	}
	return res, nil
}
