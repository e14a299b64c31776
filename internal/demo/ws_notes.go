package demo

import (
	"fmt"
	"strings"
	"time"
)

// Note is a note about a user written through core_notes_create_notes, for
// tests to check what the dashboard recorded.
type Note struct {
	ID       int
	CourseID int
	UserID   int // the user the note is about
	AuthorID int
	Content  string
	// PublishState is Moodle's stored state: "draft" for a personal note,
	// "public" for a course note, "site" for a site note.
	PublishState string
	ClientNoteID string
	Created      time.Time
}

type note struct {
	id, courseID, userID, author int
	content                      string
	format                       int
	state                        string
	clientID                     string
	created                      int64
}

// Notes returns every note created so far, oldest first.
func (s *Site) Notes() []Note {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Note, 0, len(s.notes))
	for _, n := range s.notes {
		out = append(out, Note{ID: n.id, CourseID: n.courseID, UserID: n.userID, AuthorID: n.author,
			Content: n.content, PublishState: n.state, ClientNoteID: n.clientID, Created: time.Unix(n.created, 0)})
	}
	return out
}

type wireCreatedNote struct {
	Clientnoteid *string `json:"clientnoteid,omitempty"`
	Noteid       int     `json:"noteid"`
	Errormessage *string `json:"errormessage,omitempty"`
}

// publishStates maps the API's publishstate to what Moodle stores.
func publishState(api string) (string, bool) {
	switch api {
	case "personal":
		return "draft", true
	case "course":
		return "public", true
	case "site":
		return "site", true
	}
	return "", false
}

// createNotes answers core_notes_create_notes: one {clientnoteid, noteid}
// per note in request order. A note about an unknown user is a failed item
// (noteid -1); a caller who may not manage notes in the course (a student)
// fails the whole call with nopermissions.
func createNotes(c *call) (any, error) {
	items, err := c.a.objs("notes")
	if err != nil {
		return nil, err
	}
	out := []wireCreatedNote{}
	for _, it := range items {
		uid, err := it.reqInt("userid")
		if err != nil {
			return nil, err
		}
		api, err := it.reqStr("publishstate")
		if err != nil {
			return nil, err
		}
		cid, err := it.reqInt("courseid")
		if err != nil {
			return nil, err
		}
		text, err := it.reqStr("text")
		if err != nil {
			return nil, err
		}
		format, err := it.intOr("format", 1)
		if err != nil {
			return nil, err
		}
		w := wireCreatedNote{Noteid: -1}
		clientID := ""
		if id, ok, err := it.str("clientnoteid"); err != nil {
			return nil, err
		} else if ok {
			w.Clientnoteid, clientID = ptr(id), id
		}
		co := c.s.courseByID[int(cid)]
		if co == nil {
			w.Errormessage = ptr("Invalid course ID")
			out = append(out, w)
			continue
		}
		me, err := c.enrolled(co)
		if err != nil {
			return nil, err
		}
		if !me.isTeacher() {
			return nil, errNoCapability("Manage notes")
		}
		state, okState := publishState(api)
		switch {
		case c.s.users[int(uid)] == nil:
			w.Errormessage = ptr(fmt.Sprintf("Invalid user id: %d", uid))
		case !okState:
			w.Errormessage = ptr("Invalid publishstate")
		default:
			n := &note{id: c.s.nextNoteID, courseID: co.id, userID: int(uid), author: c.u.id, content: text,
				format: int(format), state: state, clientID: clientID, created: c.s.writeTime()}
			c.s.nextNoteID++
			c.s.notes = append(c.s.notes, n)
			w.Noteid = n.id
		}
		out = append(out, w)
	}
	return out, nil
}

type wireNote struct {
	ID           int    `json:"id"`
	Courseid     int    `json:"courseid"`
	Userid       int    `json:"userid"`
	Content      string `json:"content"`
	Format       int    `json:"format"`
	Created      int64  `json:"created"`
	Lastmodified int64  `json:"lastmodified"`
	Usermodified int    `json:"usermodified"`
	Publishstate string `json:"publishstate"`
}

type wireCourseNotes struct {
	Sitenotes            []wireNote    `json:"sitenotes"`
	Coursenotes          []wireNote    `json:"coursenotes"`
	Personalnotes        []wireNote    `json:"personalnotes"`
	Canmanagesystemnotes bool          `json:"canmanagesystemnotes"`
	Canmanagecoursenotes bool          `json:"canmanagecoursenotes"`
	Warnings             []wireWarning `json:"warnings"`
}

// courseNotes answers core_notes_get_course_notes (userid 0: notes about
// everyone): site notes, the course's public notes, and the caller's own
// personal (draft) notes in the course. Students may not view notes.
func courseNotes(c *call) (any, error) {
	cid, err := c.a.reqInt("courseid")
	if err != nil {
		return nil, err
	}
	uid, err := c.a.intOr("userid", 0)
	if err != nil {
		return nil, err
	}
	co, me, err := c.courseAsMember(cid)
	if err != nil {
		return nil, err
	}
	if !me.isTeacher() {
		return nil, errNoCapability("View notes")
	}
	out := wireCourseNotes{Sitenotes: []wireNote{}, Coursenotes: []wireNote{}, Personalnotes: []wireNote{},
		Canmanagecoursenotes: true, Warnings: []wireWarning{}}
	for _, n := range c.s.notes {
		if uid != 0 && n.userID != int(uid) {
			continue
		}
		w := wireNote{ID: n.id, Courseid: n.courseID, Userid: n.userID, Content: noteContent(n.content, n.format), Format: 1,
			Created: n.created, Lastmodified: n.created, Usermodified: n.author, Publishstate: n.state}
		switch {
		case n.state == "site" && co.enrolByUser[n.userID] != nil:
			out.Sitenotes = append(out.Sitenotes, w)
		case n.courseID != co.id:
		case n.state == "public":
			out.Coursenotes = append(out.Coursenotes, w)
		case n.state == "draft" && n.author == c.u.id:
			out.Personalnotes = append(out.Personalnotes, w)
		}
	}
	return out, nil
}

// noteContent is a note's content as core_notes_get_course_notes returns it: Moodle stores
// what was sent and formats it on the way out (util::format_text, FORMAT_HTML from then on).
// Plain text (format 2) goes through format_text(FORMAT_PLAIN) without <p>: s() escapes
// & " ' < >, two spaces become "&nbsp; ", nl2br adds <br />. HTML is returned as sent (the
// demo does not run Moodle's HTML cleaner).
func noteContent(text string, format int) string {
	if format != 2 {
		return text
	}
	return nl2br(strings.ReplaceAll(moodleS(text), "  ", "&nbsp; "))
}
