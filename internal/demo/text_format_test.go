package demo_test

import (
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
)

// Plain text is returned as a live Moodle 4.5 returns it: a message in <p> with only & < >
// escaped, a note's content through s() without <p>; what the demo stores is what was sent.
func TestPlainTextAsMoodleStoresIt(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	const text = `Quote check: "Chapter 2" & don't <miss> it`
	for _, tc := range []struct{ text, want string }{
		{text, `<p>Quote check: "Chapter 2" &amp; don't &lt;miss&gt; it</p>`},
		{"Two  spaces, a new\nline, 🎉 and &#123;", "<p>Two\u00a0 spaces, a new<br>\nline, 🎉 and {</p>"},
	} {
		var sent []sendItem
		teacher.get(&sent, "core_message_send_instant_messages",
			"messages[0][touserid]", "14", "messages[0][text]", tc.text, "messages[0][textformat]", "2")
		if len(sent) != 1 || sent[0].Text != tc.want {
			t.Errorf("send reply for %q = %+v; want text %q", tc.text, sent, tc.want)
		}
		var cv conversationReply
		teacher.get(&cv, "core_message_get_conversation_between_users", "userid", "3", "otheruserid", "14")
		if len(cv.Messages) == 0 || cv.Messages[0].Text != tc.want {
			t.Errorf("conversation = %+v; want the newest message %q", cv.Messages, tc.want)
		}
	}

	var created []struct {
		Noteid int `json:"noteid"`
	}
	teacher.get(&created, "core_notes_create_notes", "notes[0][userid]", "14", "notes[0][publishstate]", "personal",
		"notes[0][courseid]", "2", "notes[0][text]", text+"\nagain", "notes[0][format]", "2")
	var notes struct {
		Personalnotes []struct {
			Content string `json:"content"`
			Format  int    `json:"format"`
		} `json:"personalnotes"`
	}
	teacher.get(&notes, "core_notes_get_course_notes", "courseid", "2", "userid", "14")
	want := "Quote check: &quot;Chapter 2&quot; &amp; don&#039;t &lt;miss&gt; it<br />\nagain"
	if len(notes.Personalnotes) != 1 || notes.Personalnotes[0].Content != want || notes.Personalnotes[0].Format != 1 {
		t.Errorf("personal notes = %+v; want content %q, format 1", notes.Personalnotes, want)
	}
	if got := s.site.Notes(); len(got) != 1 || got[0].Content != text+"\nagain" {
		t.Errorf("stored note = %+v; want the text as sent", got)
	}
}
