package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/knowthystudents/kts/internal/contact"
	"github.com/knowthystudents/kts/internal/failure"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/views"
)

const (
	fnNotesGet  = moodle.FuncCourseNotes
	fnNotesAdd  = moodle.FuncCreateNotes
	fnConvGet   = moodle.FuncConversation
	fnSendMsg   = moodle.FuncSendMessages
	maxNoteLen  = 4000
	maxNoteSize = 16 << 10
)

// student is the "know thy student" page.
func (s *server) student(w http.ResponseWriter, r *http.Request) error {
	cd, st, err := s.loadStudent(r)
	if err != nil {
		return err
	}
	uid := st.ID
	u := userFrom(r)
	x, err := s.Loader.Student(r.Context(), u.Credentials, cd.id, uid,
		load.StudentOptions{Notes: u.Allows(fnNotesGet) && !u.FeatureOff("enablenotes"), Conversation: u.Allows(fnConvGet)})
	if err != nil {
		return err
	}
	v := views.NewStudentView(cd.cohort, st, studentExtras(x), courseCriteria(cd.snap.Input.CourseCompletion[uid]), s.Moodle.BaseURL(), u.UserID, s.Now(), cd.loc)
	v.NotesNote = unavailable(u.Allows(fnNotesGet), x.NotesError, fnNotesGet, "notes")
	if u.FeatureOff("enablenotes") {
		v.NotesNote = "Notes are switched off on this Moodle site."
	}
	if v.NotesNote == "" && !u.Allows(fnNotesAdd) {
		v.CanAddNote = false
	}
	v.ConvNote = unavailable(u.Allows(fnConvGet), x.ConvError, fnConvGet, "your messages with this student")
	v.NoteAdded = noteAdded(r.URL.Query())
	v.NoteKey = randomID()
	v.Nav = s.studentNav(r, cd, uid)
	p := s.page(r, st.FullName, courseCrumbs(cd.cohort, views.Crumb{Label: st.FullName})...)
	s.render(w, r, http.StatusOK, views.StudentPage(p, v))
	return nil
}

// unavailable says why an optional part of a page is not shown, or "" when it is.
func unavailable(allowed bool, err error, fn, what string) string {
	switch {
	case !allowed:
		return "Your Moodle site's web service does not include " + fn + ", so " + what + " cannot be shown here. Your Moodle administrator can add it."
	case err == nil, failure.Of(err) == failure.NoConversation:
		return ""
	}
	return failure.Explain(err).Part(fn, what)
}

// addNote saves a note about a student in Moodle, personal by default.
func (s *server) addNote(w http.ResponseWriter, r *http.Request) error {
	cd, st, err := s.loadStudent(r)
	if err != nil {
		return err
	}
	uid := st.ID
	r.Body = http.MaxBytesReader(w, r.Body, maxNoteSize)
	if err := parseForm(r); err != nil {
		return err
	}
	text := strings.TrimSpace(r.PostForm.Get("text"))
	state := r.PostForm.Get("publishstate")
	switch {
	case text == "":
		return badRequest("The note is empty: write something before saving it.")
	case utf8.RuneCountInString(text) > maxNoteLen:
		return badRequest("The note is too long: keep it under " + strconv.Itoa(maxNoteLen) + " characters.")
	case state == "":
		state = "personal"
	case state != "personal" && state != "course":
		return badRequest("A note is either personal or for the course's teachers.")
	}
	u := userFrom(r)
	back := views.StudentNoteAdded(cd.id, uid)
	key := r.PostForm.Get("key")
	if key != "" && !keyPattern.MatchString(key) {
		return badRequest("This note form is not valid any more. Open the student's page again.")
	}
	if !u.Allows(fnNotesAdd) {
		return &httpError{Status: http.StatusForbidden, Heading: "Notes are not available", Items: []string{fnNotesAdd},
			Message: "Your Moodle site's web service does not include the function that saves notes.",
			Next:    "Ask your Moodle administrator to add it to the service:"}
	}
	out, err := s.Contact.Note(r.Context(), u.Credentials, key, cd.id, uid, text, state)
	if err != nil {
		return wrote(err)
	}
	switch out.Status {
	case contact.Failed:
		return &httpError{Status: http.StatusBadGateway, Heading: "The note was not saved", Message: out.Reason,
			Next: "Go back: your note is still in the form, and saving it again tries again."}
	case contact.Unknown, contact.Sending:
		return &httpError{Status: http.StatusGatewayTimeout, Heading: "The note may have been saved", Message: out.Reason,
			Next: "Open the student's page to see whether it is there."}
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
