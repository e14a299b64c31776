package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// composeKey opens the compose form for a selection and returns its key and recipients.
func composeKey(t *testing.T, b *browser, query string) (string, []string) {
	t.Helper()
	p := b.get("/course/2/message?" + query)
	if p.status != http.StatusOK {
		t.Fatalf("compose ?%s: status %d: %s", query, p.status, text(p.doc))
	}
	var key string
	var ids []string
	for _, in := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "input" }) {
		switch attr(in, "name") {
		case "key":
			key = attr(in, "value")
		case "userid":
			ids = append(ids, attr(in, "value"))
		}
	}
	if key == "" {
		t.Fatal("the compose form has no key")
	}
	return key, ids
}

func sentTo(e *env) map[int]int {
	n := map[int]int{}
	for _, m := range e.site.SentMessages() {
		n[m.To]++
	}
	return n
}

func TestMessagePreviewSendOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	key, ids := composeKey(t, b, "flag=overdue&group=2")
	if len(ids) == 0 {
		t.Fatal("no overdue student in Group B")
	}
	form := url.Values{"key": {key}, "userid": ids, "text": {"Hi {firstname}, {overdue} is overdue in {course}."}}
	form.Set("action", "preview")
	p := b.post("/course/2/message", form)
	if p.status != http.StatusOK {
		t.Fatalf("preview: %d", p.status)
	}
	prev := text(one(t, p.doc, "preview"))
	if strings.Contains(prev, "{firstname}") || !strings.Contains(prev, "Know Thy Students 101") {
		t.Errorf("preview %q: placeholders not filled", prev)
	}
	if len(e.site.SentMessages()) != 0 {
		t.Fatal("the preview sent messages")
	}
	form.Set("action", "send")
	p = b.post("/course/2/message", form)
	if p.status != http.StatusOK {
		t.Fatalf("send: %d: %s", p.status, text(p.doc))
	}
	outs := byTestID(p.doc, "outcome")
	if len(outs) != len(ids) {
		t.Fatalf("%d outcomes; want %d", len(outs), len(ids))
	}
	for _, o := range outs {
		if attr(o, "data-status") != "sent" {
			t.Errorf("outcome %q; want sent", text(o))
		}
	}
	// A double click, or a reload of the result page, posts the same key: nothing new.
	p = b.post("/course/2/message", form)
	if len(byTestID(p.doc, "repeat-notice")) != 1 {
		t.Error("the second post does not say the message had already been sent")
	}
	got := sentTo(e)
	if len(got) != len(ids) {
		t.Fatalf("messages went to %d students; want %d", len(got), len(ids))
	}
	for to, n := range got {
		if n != 1 {
			t.Errorf("student %d got %d messages; want exactly 1", to, n)
		}
	}
	for _, m := range e.site.SentMessages() {
		if m.To == 14 && (!strings.Contains(m.Text, "Hi Oliver") || !strings.Contains(m.Text, "A3 Project proposal")) {
			t.Errorf("Oliver got %q; want his name and his overdue assignment", m.Text)
		}
	}
}

func TestMessagePartialFailureThenRetryOnlyFailed(t *testing.T) {
	t.Parallel()
	fails := &failList{m: map[string]string{"30": "You can't message Ethan Brown due to their message preferences. Try adding them as a contact."}}
	e := newEnv(t, func(o *envOptions) { o.sendFails = fails })
	b := e.browser()
	b.signInTeacher()
	key, _ := composeKey(t, b, "userid=14&userid=30")
	form := url.Values{"key": {key}, "userid": {"14", "30"}, "text": {"Can we talk on Thursday?"}, "action": {"send"}}
	p := b.post("/course/2/message", form)
	if p.status != http.StatusOK {
		t.Fatalf("send: %d", p.status)
	}
	status := map[string]string{}
	for _, o := range byTestID(p.doc, "outcome") {
		status[attr(o, "data-userid")] = attr(o, "data-status")
		if attr(o, "data-userid") == "30" && !strings.Contains(text(o), "message preferences") {
			t.Errorf("Ethan's outcome %q does not give Moodle's reason", text(o))
		}
	}
	if status["14"] != "sent" || status["30"] != "failed" {
		t.Fatalf("outcomes %v; want 14 sent, 30 failed", status)
	}
	retry := one(t, p.doc, "retry-form")
	var retryIDs []string
	for _, in := range findAll(retry, func(n *html.Node) bool { return attr(n, "name") == "userid" }) {
		retryIDs = append(retryIDs, attr(in, "value"))
	}
	if strings.Join(retryIDs, ",") != "30" {
		t.Fatalf("retry offers %v; want only 30", retryIDs)
	}
	fails.clear("30")
	form.Set("action", "retry")
	p = b.post("/course/2/message", form)
	for _, o := range byTestID(p.doc, "outcome") {
		if attr(o, "data-status") != "sent" {
			t.Errorf("after retry %q; want sent", text(o))
		}
	}
	if got := sentTo(e); got[14] != 1 || got[30] != 1 {
		t.Fatalf("delivered %v; want exactly one each to 14 and 30", got)
	}
}

func TestMessageFormComesBackIntact(t *testing.T) {
	t.Parallel()
	fails := &failList{m: map[string]string{"14": "You cannot send a message to this user."}}
	e := newEnv(t, func(o *envOptions) { o.sendFails = fails; o.maxRecips = 3 })
	b := e.browser()
	b.signInTeacher()
	key, _ := composeKey(t, b, "userid=14")
	// Empty text: 400 and the form again.
	p := b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14"}, "text": {"   "}, "action": {"send"}})
	if p.status != http.StatusBadRequest || len(byTestID(p.doc, "compose-form")) != 1 {
		t.Fatalf("empty text: %d; want 400 with the form", p.status)
	}
	// Moodle refuses every message: the form comes back with the text intact.
	p = b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14"}, "text": {"Please see me about A1."}, "action": {"send"}})
	if p.status != http.StatusBadGateway {
		t.Fatalf("all refused: status %d; want 502", p.status)
	}
	if got := text(one(t, p.doc, "compose-text")); got != "Please see me about A1." {
		t.Errorf("text in the form %q; want it intact", got)
	}
	if !strings.Contains(text(one(t, p.doc, "compose-error")), "You cannot send a message to this user.") {
		t.Error("the form does not say why Moodle refused")
	}
	// Cap on recipients.
	if p := b.get("/course/2/message?userid=5&userid=6&userid=7&userid=8"); p.status != http.StatusBadRequest {
		t.Errorf("4 recipients with a cap of 3: %d; want 400", p.status)
	}
	// A student who is not in the course cannot be a recipient.
	if p := b.get("/course/2/message?userid=999999"); p.status != http.StatusNotFound {
		t.Errorf("unknown recipient: %d; want 404", p.status)
	}
}

func TestMessageAboveThresholdNeedsConfirmation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	key, ids := composeKey(t, b, "")
	if len(ids) <= 20 {
		t.Fatalf("%d recipients; the test needs more than the threshold of 20", len(ids))
	}
	form := url.Values{"key": {key}, "userid": ids, "text": {"Reminder: A2 is due in a week."}, "action": {"send"}}
	p := b.post("/course/2/message", form)
	if p.status != http.StatusUnprocessableEntity || len(byTestID(p.doc, "confirm")) != 1 {
		t.Fatalf("no confirmation: %d; want 422 asking to confirm", p.status)
	}
	if len(e.site.SentMessages()) != 0 {
		t.Fatal("sent without the confirmation")
	}
	form.Set("confirm", "1")
	if p := b.post("/course/2/message", form); p.status != http.StatusOK {
		t.Fatalf("confirmed send: %d", p.status)
	}
	if n := len(e.site.SentMessages()); n != len(ids) {
		t.Fatalf("%d messages; want %d", n, len(ids))
	}
}

func TestNotesCreateAndList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.post("/course/2/student/14/notes", url.Values{"text": {"Called Oliver: works nights this month."}})
	if p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/course/2/student/14") {
		t.Fatalf("add note: %d to %q", p.status, p.header.Get("Location"))
	}
	notes := e.site.Notes()
	if len(notes) != 1 || notes[0].UserID != 14 || notes[0].PublishState != "draft" {
		t.Fatalf("notes in Moodle %+v; want one personal note about 14", notes)
	}
	p = b.get(p.header.Get("Location"))
	if got := text(one(t, p.doc, "notes")); !strings.Contains(got, "Called Oliver") || !strings.Contains(got, "personal") {
		t.Errorf("notes section %q; want the new personal note", got)
	}
	// The form carries a key: posting it twice (a double click) saves one note.
	p = b.get("/course/2/student/30")
	var noteKey string
	for _, in := range findAll(one(t, p.doc, "note-form"), func(n *html.Node) bool { return attr(n, "name") == "key" }) {
		noteKey = attr(in, "value")
	}
	for range 2 {
		if p := b.post("/course/2/student/30/notes", url.Values{"text": {"Emailed about A1."}, "key": {noteKey}}); p.status != http.StatusSeeOther {
			t.Fatalf("note with key: %d", p.status)
		}
	}
	if n := len(e.site.Notes()); n != 2 {
		t.Fatalf("%d notes after posting one form twice; want 2 (one before, one now)", n)
	}
	if p := b.post("/course/2/student/14/notes", url.Values{"text": {"x"}, "publishstate": {"site"}}); p.status != http.StatusBadRequest {
		t.Errorf("publishstate=site: %d; want 400", p.status)
	}
	if p := b.post("/course/2/student/14/notes", url.Values{"text": {" "}}); p.status != http.StatusBadRequest {
		t.Errorf("empty note: %d; want 400", p.status)
	}
	if p := b.post("/course/2/student/3/notes", url.Values{"text": {"about the teacher"}}); p.status != http.StatusNotFound {
		t.Errorf("note about a non-student: %d; want 404", p.status)
	}
	// A course note.
	b.post("/course/2/student/30/notes", url.Values{"text": {"No login yet."}, "publishstate": {"course"}})
	if notes := e.site.Notes(); len(notes) != 3 || notes[2].PublishState != "public" {
		t.Fatalf("course note stored as %+v; want publishstate public", notes[len(notes)-1])
	}
}

func TestContactNoteFromMessageResult(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	key, _ := composeKey(t, b, "userid=14&userid=30")
	p := b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14", "30"}, "text": {"About A1"}, "action": {"send"}})
	one(t, p.doc, "note-contact")
	p = b.post("/course/2/message/note", url.Values{"key": {key}})
	if p.status != http.StatusOK {
		t.Fatalf("contact note: %d", p.status)
	}
	notes := e.site.Notes()
	if len(notes) != 2 {
		t.Fatalf("%d notes; want one per messaged student", len(notes))
	}
	for _, n := range notes {
		if !strings.Contains(n.Content, "About A1") || n.PublishState != "draft" {
			t.Errorf("note %+v; want a personal note quoting the message", n)
		}
	}
	// A second click saves nothing more.
	p = b.post("/course/2/message/note", url.Values{"key": {key}})
	if p.status != http.StatusOK || len(e.site.Notes()) != 2 {
		t.Fatalf("second click: status %d, %d notes; want 200 and still 2", p.status, len(e.site.Notes()))
	}
}

func TestContactNoteQuotesWhatEachStudentGot(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	key, _ := composeKey(t, b, "userid=14&userid=30")
	b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14", "30"}, "text": {"Hi {firstname}, see you Thursday."}, "action": {"send"}})
	b.post("/course/2/message/note", url.Values{"key": {key}})
	for _, n := range e.site.Notes() {
		want := map[int]string{14: "Hi Oliver", 30: "Hi Ethan"}[n.UserID]
		if !strings.Contains(n.Content, want) {
			t.Errorf("note about %d says %q; want it to quote %q", n.UserID, n.Content, want)
		}
	}
}

func TestStudentPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2/student/14")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if got := text(one(t, p.doc, "student-name")); got != "Oliver Smith" {
		t.Errorf("name %q", got)
	}
	asg := one(t, p.doc, "student-assignments")
	rows := findAll(asg, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-status") != "" })
	if len(rows) != 3 || attr(rows[0], "data-status") != "late" {
		t.Fatalf("assignment rows %d, first %q; want 3 with A1 late", len(rows), attr(rows[0], "data-status"))
	}
	if !strings.Contains(text(rows[0]), "late") {
		t.Errorf("A1 row %q does not say how late", text(rows[0]))
	}
	further := findAll(p.doc, func(n *html.Node) bool { return attr(n, "data-cmid") == "10" })
	if len(further) != 1 || !strings.Contains(text(further[0]), "overridden by Margaret Ellis") {
		t.Errorf("Further reading %q; want overridden by Margaret Ellis", text(further[0]))
	}
	if got := text(one(t, p.doc, "student-flags")); !strings.Contains(got, "no course access for 14 days") {
		t.Errorf("flags %q", got)
	}
	for _, want := range []string{"/user/view.php?id=14&course=2", "/mod/assign/view.php?id=6&action=grader&userid=14", "/message/index.php?id=14"} {
		if !strings.Contains(p.body, strings.ReplaceAll(want, "&", "&amp;")) {
			t.Errorf("no link to Moodle's %s", want)
		}
	}
	// After a message, the conversation shows it.
	key, _ := composeKey(t, b, "userid=14")
	b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14"}, "text": {"See you Thursday."}, "action": {"send"}})
	p = b.get("/course/2/student/14")
	if got := text(one(t, p.doc, "conversation")); !strings.Contains(got, "See you Thursday.") {
		t.Errorf("conversation %q; want the message just sent", got)
	}
	// Léa is suspended: her page works and says so.
	p = b.get("/course/2/student/31")
	if p.status != http.StatusOK || text(one(t, p.doc, "enrolment")) != "suspended" {
		t.Errorf("Léa: %d, enrolment %q", p.status, text(one(t, p.doc, "enrolment")))
	}
}

func TestPreviewForAChosenStudent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	key, _ := composeKey(t, b, "userid=14&userid=30")
	p := b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14", "30"}, "text": {"Hi {firstname}"}, "action": {"preview"}, "previewfor": {"30"}})
	if got := text(one(t, p.doc, "preview")); !strings.Contains(got, "Hi Ethan") {
		t.Errorf("preview %q; want Ethan's text", got)
	}
	// A chosen student outside the selection is ignored: the first recipient's text is shown.
	p = b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14", "30"}, "text": {"Hi {firstname}"}, "action": {"preview"}, "previewfor": {"5"}})
	if got := text(one(t, p.doc, "preview")); !strings.Contains(got, "Hi Oliver") {
		t.Errorf("preview %q; want Oliver's text", got)
	}
}

func TestSelectAllShownOrByFlag(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2?group=2")
	shown := attr(one(t, p.doc, "message-shown"), "href")
	_, ids := composeKey(t, b, strings.TrimPrefix(shown, "/course/2/message?"))
	if len(ids) != 15 {
		t.Errorf("message all shown selects %d; want the 15 of Group B", len(ids))
	}
	card := one(t, p.doc, "flag-card-never_accessed")
	links := findAll(card, func(n *html.Node) bool {
		return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/course/2/message?")
	})
	_, ids = composeKey(t, b, strings.TrimPrefix(attr(links[0], "href"), "/course/2/message?"))
	if strings.Join(ids, ",") != "30" {
		t.Errorf("never accessed in Group B selects %v; want Ethan (30)", ids)
	}
}

func TestMessageAllShownOnlyWithinTheCap(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.maxRecips = 20 })
	b := e.browser()
	b.signInTeacher()
	if p := b.get("/course/2"); len(byTestID(p.doc, "message-shown")) != 0 {
		t.Error("'message all 29 shown' is offered although one message can go to 20 at most")
	}
	if p := b.get("/course/2?group=2&attention=1"); len(byTestID(p.doc, "message-shown")) != 1 {
		t.Error("'message all shown' is missing for a selection within the cap")
	}
}
