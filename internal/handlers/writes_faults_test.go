package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
)

const (
	sendFn  = moodle.FuncSendMessages
	notesFn = moodle.FuncCreateNotes
)

// messageFault is a way Moodle misbehaves on the first send of a message, and what must come
// of it: what Moodle holds and what the page says after the send, then after the teacher
// does what the page offers (Retry, or the same form again when the key was released).
type messageFault struct {
	name  string
	fault wsfault.Fault
	opts  []func(*writeOptions)
	short bool // the fault is a wait: a short Moodle timeout
	// after the first send
	held     int    // messages Moodle holds
	released bool   // the form came back (502): nothing delivered, the key free
	status   string // else: the recipient's status on the result page
	say      string // what the page says
}

var messageFaults = []messageFault{
	{name: "refused before the write (nopermissions)", fault: wsfault.Exception("nopermissions", "Sorry, but you do not currently have permissions to do that (Send a message).").OnFunction(sendFn),
		released: true, say: "Moodle does not let your account do this"},
	{name: "an exception (dmlwriteexception)", fault: wsfault.Exception("dmlwriteexception", "Error writing to database").OnFunction(sendFn),
		released: true, say: "did not store the message: nothing was delivered"},
	{name: "HTTP 503", fault: wsfault.Status(503).OnFunction(sendFn),
		released: true, say: "did not store the message: nothing was delivered"},
	{name: "HTTP 500", fault: wsfault.Status(500).OnFunction(sendFn),
		released: true, say: "did not store the message: nothing was delivered"},
	{name: "HTTP 504 from a proxy", fault: wsfault.Status(504).OnFunction(sendFn),
		status: "unknown", say: "not known whether this message was delivered"},
	{name: "timeout, not stored", fault: wsfault.Delay(time.Minute).OnFunction(sendFn), short: true,
		status: "unknown", say: "not known whether this message was delivered"},
	{name: "connection cut, not stored", fault: wsfault.Drop().OnFunction(sendFn), short: true,
		status: "unknown", say: "not known whether this message was delivered"},
	{name: "stored but answered late", fault: wsfault.Stall().OnFunction(sendFn), short: true,
		held: 1, status: "unknown", say: "not known whether this message was delivered"},
	{name: "stored, answer cut halfway", fault: wsfault.Truncated().OnFunction(sendFn),
		held: 1, status: "sent", say: "it had stored the message: it was delivered"},
	{name: "stored, then an exception", opts: []func(*writeOptions){storedThenFailed(sendFn, 200, `{"exception":"dml_write_exception","errorcode":"dmlwriteexception","message":"Error writing to database"}`)},
		held: 1, status: "sent", say: "it had stored the message: it was delivered"},
	{name: "stored, then HTTP 500", opts: []func(*writeOptions){storedThenFailed(sendFn, 500, ``)},
		held: 1, status: "sent", say: "it had stored the message: it was delivered"},
	{name: "stored, a reply without its result", opts: []func(*writeOptions){storedThenFailed(sendFn, 200, `[]`)},
		held: 1, status: "sent", say: "Moodle's answer did not say whether the message was delivered, but it had stored the message"},
}

// TestMessageUnderFaults sends a message with quotes, an apostrophe, an ampersand, a
// less-than and an emoji while Moodle misbehaves, and checks that the page says what Moodle
// holds, and that what the page offers next ends with exactly one copy in Moodle.
func TestMessageUnderFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range messageFaults {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			we := newWriteEnv(t, append(tc.opts, shortTimeout(tc.short))...)
			b := we.browserOn(we.env.app)
			key, _ := composeKey(t, b, "userid=14")
			remove := func() {}
			if tc.opts == nil {
				remove = we.faults.Inject(tc.fault.OnCall(1))
			}
			form := url.Values{"key": {key}, "userid": {"14"}, "text": {tricky}, "action": {"send"}}
			p := b.post("/course/2/message", form)
			remove()
			if got := we.messagesTo(t, 14); got != tc.held {
				t.Fatalf("after the send Moodle holds %d messages; want %d", got, tc.held)
			}
			if tc.released {
				if p.status != http.StatusBadGateway || !strings.Contains(text(one(t, p.doc, "compose-error")), tc.say) {
					t.Fatalf("status %d, %q; want 502 and the form again saying %q", p.status, text(p.doc), tc.say)
				}
				if got := text(one(t, p.doc, "compose-text")); got != tricky {
					t.Errorf("the form came back with %q; want the text intact", got)
				}
				// The key was released: the same form, sent again, really sends.
				p = b.post("/course/2/message", form)
				if o := outcomes(p)["14"]; p.status != http.StatusOK || o[0] != "sent" {
					t.Fatalf("the same form again: %d %v; want sent", p.status, o)
				}
			} else {
				o := outcomes(p)["14"]
				if p.status != http.StatusOK || o[0] != tc.status || !strings.Contains(o[1], tc.say) {
					t.Fatalf("result %d %v; want %s saying %q", p.status, o, tc.status, tc.say)
				}
				// A reload (the same key again) sends nothing and shows the same.
				p = b.post("/course/2/message", form)
				if o2 := outcomes(p)["14"]; o2 != o || len(byTestID(p.doc, "repeat-notice")) != 1 {
					t.Errorf("reload: %v; want the first outcome %v as a repeat", o2, o)
				}
				if tc.status == "unknown" {
					retry := url.Values{"key": {key}, "userid": {"14"}, "text": {tricky}, "action": {"retry"}}
					p = b.post("/course/2/message", retry)
					if o := outcomes(p)["14"]; o[0] != "sent" {
						t.Fatalf("retry: %v; want sent", o)
					}
					if tc.held == 1 && !strings.Contains(outcomes(p)["14"][1], "Found in your conversation") {
						t.Errorf("retry of a message Moodle held: %v; want it found, not sent again", outcomes(p)["14"])
					}
				}
			}
			if got := we.messagesTo(t, 14); got != 1 {
				t.Fatalf("in the end Moodle holds %d messages; want exactly 1", got)
			}
			// And the result page survives: one more post of the key shows "sent", sends nothing.
			p = b.post("/course/2/message", form)
			if o := outcomes(p)["14"]; o[0] != "sent" || we.messagesTo(t, 14) != 1 {
				t.Errorf("final reload: %v, %d messages", o, we.messagesTo(t, 14))
			}
		})
	}
}

// noteFault is a way Moodle misbehaves on a note, and what must come of it.
type noteFault struct {
	name   string
	fault  wsfault.Fault
	opts   []func(*writeOptions)
	short  bool
	held   int // notes Moodle holds after the first post
	status int // of the first post
	say    []string
}

var noteFaults = []noteFault{
	{name: "refused before the write (nopermissions)", fault: wsfault.Exception("nopermissions", "Sorry (Manage notes).").OnFunction(notesFn),
		status: http.StatusBadGateway, say: []string{"The note was not saved", "Nothing was saved", "saving it again tries again"}},
	{name: "HTTP 503", fault: wsfault.Status(503).OnFunction(notesFn),
		status: http.StatusBadGateway, say: []string{"The note was not saved", "did not save the note: nothing was saved", "saving it again tries again"}},
	{name: "an exception (dmlwriteexception)", fault: wsfault.Exception("dmlwriteexception", "Error writing to database").OnFunction(notesFn),
		status: http.StatusBadGateway, say: []string{"The note was not saved", "did not save the note: nothing was saved"}},
	{name: "timeout, not stored", fault: wsfault.Delay(time.Minute).OnFunction(notesFn), short: true,
		status: http.StatusGatewayTimeout, say: []string{"The note may have been saved", "sending the same form again first looks in Moodle"}},
	{name: "stored but answered late", fault: wsfault.Stall().OnFunction(notesFn), short: true, held: 1,
		status: http.StatusGatewayTimeout, say: []string{"The note may have been saved", "sending the same form again first looks in Moodle"}},
	{name: "stored, then an exception", opts: []func(*writeOptions){storedThenFailed(notesFn, 200, `{"exception":"dml_write_exception","errorcode":"dmlwriteexception","message":"Error writing to database"}`)},
		held: 1, status: http.StatusSeeOther},
}

// TestNoteUnderFaults saves a note while Moodle misbehaves: a refused note releases its key
// (the same form really tries again), a note in doubt says it may have been saved (never
// "nothing was changed") and the same form again looks in Moodle first; each ends with one
// note in Moodle.
func TestNoteUnderFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range noteFaults {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			we := newWriteEnv(t, append(tc.opts, shortTimeout(tc.short))...)
			b := we.browserOn(we.env.app)
			form := url.Values{"text": {tricky}, "key": {noteKey(t, b, "14")}}
			remove := func() {}
			if tc.opts == nil {
				remove = we.faults.Inject(tc.fault.OnCall(1))
			}
			p := b.post("/course/2/student/14/notes", form)
			remove()
			if p.status != tc.status {
				t.Fatalf("first post: %d; want %d: %s", p.status, tc.status, text(p.doc))
			}
			if got := we.notesAbout(14); got != tc.held {
				t.Fatalf("after the first post Moodle holds %d notes; want %d", got, tc.held)
			}
			if tc.status != http.StatusSeeOther {
				msg := text(p.doc)
				for _, s := range tc.say {
					if !strings.Contains(msg, s) {
						t.Errorf("the page %q does not say %q", msg, s)
					}
				}
				if strings.Contains(msg, "Nothing was changed") || strings.Contains(msg, "nothing was changed") {
					t.Errorf("the page says nothing was changed: %q", msg)
				}
				errorSentence(t, p)
			}
			// The same form again: saved, once.
			if p = b.post("/course/2/student/14/notes", form); p.status != http.StatusSeeOther {
				t.Fatalf("the same form again: %d: %s", p.status, text(p.doc))
			}
			if p = b.post("/course/2/student/14/notes", form); p.status != http.StatusSeeOther {
				t.Fatalf("and once more: %d", p.status)
			}
			if got := we.notesAbout(14); got != 1 {
				t.Fatalf("in the end Moodle holds %d notes; want exactly 1", got)
			}
		})
	}
}

// TestContactNoteUnderFaults keeps the contact notes after a message while Moodle fails: a
// refused batch can be pressed again and saves them, one in doubt is looked for first.
func TestContactNoteUnderFaults(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		fault wsfault.Fault
		held  int
		say   string
		short bool
	}{
		{"HTTP 503", wsfault.Status(503).OnFunction(notesFn), 0, "Moodle did not save 1 of the notes", false},
		{"stored but answered late", wsfault.Stall().OnFunction(notesFn), 1, "they may have been saved", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			we := newWriteEnv(t, shortTimeout(tc.short))
			b := we.browserOn(we.env.app)
			key, _ := composeKey(t, b, "userid=14")
			p := b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14"}, "text": {tricky}, "action": {"send"}})
			if o := outcomes(p)["14"]; o[0] != "sent" {
				t.Fatalf("send: %v", o)
			}
			remove := we.faults.Inject(tc.fault.OnCall(1))
			p = b.post("/course/2/message/note", url.Values{"key": {key}})
			remove()
			if n := len(we.site.Notes()); n != tc.held {
				t.Fatalf("Moodle holds %d notes; want %d", n, tc.held)
			}
			if got := text(p.doc); p.status != http.StatusOK || !strings.Contains(got, tc.say) {
				t.Fatalf("page %d %q; want it to say %q", p.status, got, tc.say)
			}
			one(t, p.doc, "note-contact") // the button is there again
			p = b.post("/course/2/message/note", url.Values{"key": {key}})
			if got := text(p.doc); !strings.Contains(got, "1 of 1 students") && !strings.Contains(got, "had already been saved") {
				t.Errorf("second press: %q", got)
			}
			p = b.post("/course/2/message/note", url.Values{"key": {key}})
			if !strings.Contains(text(p.doc), "had already been saved: nothing was added again") {
				t.Errorf("third press: %q", text(p.doc))
			}
			if n := len(we.site.Notes()); n != 1 {
				t.Fatalf("in the end Moodle holds %d notes; want exactly 1", n)
			}
		})
	}
}

// shortTimeout gives Moodle requests a 3 s timeout, for faults that wait for it to run out
// (the default, 15 s, keeps loaded machines and -race from timing out course loads).
func shortTimeout(short bool) func(*writeOptions) {
	return func(o *writeOptions) {
		if short {
			o.timeout = 3 * time.Second
		}
	}
}
