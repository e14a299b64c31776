package live_test

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// storedMessage is a row of Moodle's messages table, as query.php gives it, with what
// core_message_get_conversation_messages answers the sender for its conversation.
type storedMessage struct {
	ID                int64  `json:"id"`
	ConversationID    int64  `json:"conversationid"`
	UserIDFrom        int64  `json:"useridfrom"`
	UserIDTo          int64  `json:"useridto"`
	FullMessage       string `json:"fullmessage"`
	FullMessageFormat int    `json:"fullmessageformat"`
	FullMessageHTML   string `json:"fullmessagehtml"`
	SmallMessage      string `json:"smallmessage"`
	TimeCreated       int64  `json:"timecreated"`
	Conversation      struct {
		Messages []struct {
			ID   int64  `json:"id"`
			Text string `json:"text"`
		} `json:"messages"`
	} `json:"conversation"`
}

// storedNote is a note in Moodle's post table.
type storedNote struct {
	ID           int64  `json:"id"`
	UserID       int64  `json:"userid"`
	UserModified int64  `json:"usermodified"`
	Content      string `json:"content"`
	Format       int    `json:"format"`
	PublishState string `json:"publishstate"`
}

var keyField = regexp.MustCompile(`name="key"[^>]*value="([0-9a-f]{32})"|value="([0-9a-f]{32})"[^>]*name="key"`)

// runID makes this run's texts unique, so earlier runs' messages and notes never count.
func runID() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// activeStudents are the ids of the first n active students the teacher sees.
func activeStudents(t *testing.T, tr truth, teacher string, n int) []string {
	t.Helper()
	v := tr.view(t, teacher, "default")
	var ids []string
	for _, r := range v.Cohort.Rows {
		if len(ids) == n {
			break
		}
		ids = append(ids, r[0])
	}
	if len(ids) < n {
		t.Fatalf("only %d active students", len(ids))
	}
	return ids
}

var outcomeRow = regexp.MustCompile(`data-testid="outcome" data-userid="([0-9]+)" data-status="([^"]*)"`)

// sendThroughDashboard opens the compose form for ids and posts text with its key twice (a
// double click: the second post must send nothing new and say so). Every recipient's outcome
// on the result page must be "sent": the outcomes are matched to the right students.
func sendThroughDashboard(t *testing.T, d *dashboard, c *http.Client, course int64, ids []string, text string) {
	t.Helper()
	base := "/course/" + strconv.FormatInt(course, 10) + "/message"
	q := url.Values{"userid": ids}
	status, body := d.get(t, c, base+"?"+q.Encode())
	if status != http.StatusOK {
		t.Fatalf("compose form: status %d\n%s", status, tail(body, 1500))
	}
	m := keyField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the compose form has no key field:\n%s", tail(body, 3000))
	}
	key := m[1] + m[2]
	form := url.Values{"userid": ids, "text": {text}, "key": {key}}
	for i := range 2 {
		status, _, body := d.post(t, c, base, form)
		if status != http.StatusOK {
			t.Fatalf("send #%d: status %d\n%s", i+1, status, tail(body, 3000))
		}
		outcomes := map[string]string{}
		for _, m := range outcomeRow.FindAllStringSubmatch(body, -1) {
			outcomes[m[1]] = m[2]
		}
		for _, id := range ids {
			if outcomes[id] != "sent" {
				t.Errorf("send #%d: the result page shows student %s as %q, want \"sent\" (outcomes %v)", i+1, id, outcomes[id], outcomes)
			}
		}
		if len(outcomes) != len(ids) {
			t.Errorf("send #%d: %d outcomes on the result page for %d recipients", i+1, len(outcomes), len(ids))
		}
		if repeat := strings.Contains(body, `data-testid="repeat-notice"`); repeat != (i == 1) {
			t.Errorf("send #%d: the result page says it was a repeat: %v, want %v", i+1, repeat, i == 1)
		}
	}
}

// messagesSince reads the teacher's messages stored since then.
func messagesSince(t *testing.T, s *site, since time.Time) []storedMessage {
	t.Helper()
	var ms []storedMessage
	s.php(t, &ms, "query.php", "--what=messages", "--from="+s.Teacher, "--since="+strconv.FormatInt(since.Unix()-1, 10))
	return ms
}

// A message to 12 students through the dashboard's form, posted twice with the same key, is
// in Moodle's database exactly once per student, with the text as written.
func TestLiveMessageToTwelveStudentsIsStoredOnceEach(t *testing.T) {
	s := liveSite(t)
	d := dashboardFor(t, s)
	tr := moodleTruth(t, s)
	teacher := d.as(t, s.Teacher, s.Password)
	ids := activeStudents(t, tr, s.Teacher, 12)
	text := "Live check " + runID() + `: read "Chapter 2" & don't <skip> it`
	start := time.Now()
	sendThroughDashboard(t, d, teacher, s.CourseID, ids, text)

	per := map[string]int{}
	for _, m := range messagesSince(t, s, start) {
		if strings.Contains(m.FullMessage, text) {
			per[strconv.FormatInt(m.UserIDTo, 10)]++
		}
	}
	for _, id := range ids {
		if per[id] != 1 {
			t.Errorf("student %s has %d copies of the message in Moodle's messages table, want 1", id, per[id])
		}
		delete(per, id)
	}
	for id, n := range per {
		t.Errorf("student %s, not a recipient, got %d copies", id, n)
	}
}

// What Moodle stores and answers for a plain-text message with quotes, an apostrophe, an
// ampersand and a less-than sign, as the dashboard sends it: the facts the fakes must copy.
func TestLiveQuoteCheckMessageAsMoodleStoresIt(t *testing.T) {
	s := liveSite(t)
	d := dashboardFor(t, s)
	tr := moodleTruth(t, s)
	teacher := d.as(t, s.Teacher, s.Password)
	ids := activeStudents(t, tr, s.Teacher, 1)
	const text = `Quote check: "Chapter 2" & don't <miss> it`
	start := time.Now()
	sendThroughDashboard(t, d, teacher, s.CourseID, ids, text)

	var got []storedMessage
	for _, m := range messagesSince(t, s, start) {
		if strconv.FormatInt(m.UserIDTo, 10) == ids[0] && strings.Contains(m.FullMessage, "Quote check") {
			got = append(got, m)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d quote-check messages stored for student %s, want 1: %+v", len(got), ids[0], got)
	}
	m := got[0]
	t.Logf("Moodle stored: fullmessage %q, fullmessageformat %d, fullmessagehtml %q, smallmessage %q",
		m.FullMessage, m.FullMessageFormat, m.FullMessageHTML, m.SmallMessage)
	var answered string
	for _, cm := range m.Conversation.Messages {
		if cm.ID == m.ID {
			answered = cm.Text
		}
	}
	t.Logf("core_message_get_conversation_messages text: %q", answered)
	for _, c := range []struct{ what, got, want string }{
		{"fullmessage", m.FullMessage, wantFullMessage},
		{"fullmessagehtml", m.FullMessageHTML, wantFullMessageHTML},
		{"smallmessage", m.SmallMessage, wantSmallMessage},
		{"core_message_get_conversation_messages text", answered, wantConversationText},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.what, c.got, c.want)
		}
	}
	if m.FullMessageFormat != wantFullMessageFormat {
		t.Errorf("fullmessageformat: got %d, want %d", m.FullMessageFormat, wantFullMessageFormat)
	}
}

// A note through the student page's form, posted twice with the same key, is in Moodle's
// database once, with its text as written.
func TestLiveNoteIsStoredOnce(t *testing.T) {
	s := liveSite(t)
	d := dashboardFor(t, s)
	tr := moodleTruth(t, s)
	teacher := d.as(t, s.Teacher, s.Password)
	id := activeStudents(t, tr, s.Teacher, 2)[1]
	text := "Note " + runID() + `: talked about "Chapter 2" & the student's <draft>`
	start := time.Now()
	path := "/course/" + strconv.FormatInt(s.CourseID, 10) + "/student/" + id + "/notes"
	var key [16]byte
	rand.Read(key[:])
	form := url.Values{"text": {text}, "publishstate": {"personal"}, "key": {hex.EncodeToString(key[:])}}
	for i := range 2 {
		status, loc, body := d.post(t, teacher, path, form)
		if status != http.StatusSeeOther || !strings.Contains(loc, "/student/"+id) {
			t.Fatalf("note #%d: status %d, Location %q, want 303 back to the student\n%s", i+1, status, loc, tail(body, 1500))
		}
	}
	var notes []storedNote
	s.php(t, &notes, "query.php", "--what=notes", "--course="+strconv.FormatInt(s.CourseID, 10),
		"--since="+strconv.FormatInt(start.Unix()-1, 10))
	var mine []storedNote
	for _, n := range notes {
		if strings.Contains(n.Content, "Note ") && strings.Contains(n.Content, text[5:13]) {
			mine = append(mine, n)
		}
	}
	if len(mine) != 1 {
		t.Fatalf("%d notes with this run's text in Moodle, want 1: %+v", len(mine), mine)
	}
	n := mine[0]
	t.Logf("Moodle stored the note: content %q, format %d, publishstate %q", n.Content, n.Format, n.PublishState)
	if strconv.FormatInt(n.UserID, 10) != id || n.PublishState != "draft" {
		t.Errorf("note about user %d, publishstate %q; want user %s, %q (Moodle's word for personal)", n.UserID, n.PublishState, id, "draft")
	}
	if n.Content != text {
		t.Errorf("note content: got %q, want %q", n.Content, text)
	}
}

// What Moodle 4.5 stores for the dashboard's message `Quote check: "Chapter 2" & don't <miss> it`
// (observed on the live site; the fakes must answer the same): the text as sent in
// fullmessage and smallmessage, format 2 (FORMAT_PLAIN, the dashboard sends plain text), no
// fullmessagehtml; core_message_get_conversation_messages gives it back as HTML: in a <p>,
// with &, < and > escaped, quotes and apostrophe as they are.
const (
	wantFullMessage       = `Quote check: "Chapter 2" & don't <miss> it`
	wantFullMessageFormat = 2
	wantFullMessageHTML   = ""
	wantSmallMessage      = `Quote check: "Chapter 2" & don't <miss> it`
	wantConversationText  = `<p>Quote check: "Chapter 2" &amp; don't &lt;miss&gt; it</p>`
)
