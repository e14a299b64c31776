package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestANoteShowsAtOnce: the student's page was cached before the note; the write service drops
// it once the note is saved, so the page the teacher is sent back to shows the note (and the
// page cached after it is fresh again).
func TestANoteShowsAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	const note = "Talked about A2 in the corridor; she will submit on Friday."
	if p := b.get("/course/2/student/14"); strings.Contains(text(one(t, p.doc, "notes")), note) {
		t.Fatal("the note is there before it was written")
	}
	p := b.post("/course/2/student/14/notes", url.Values{"text": {note}, "key": {noteKey(t, b, "14")}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("saving the note: %d: %s", p.status, text(p.doc))
	}
	for range 2 {
		if p := b.get("/course/2/student/14"); !strings.Contains(text(one(t, p.doc, "notes")), note) {
			t.Fatalf("the student's page does not show the note just saved: %q", text(one(t, p.doc, "notes")))
		}
	}
}
