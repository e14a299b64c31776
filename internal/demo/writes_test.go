package demo_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/demo"
)

type batchReply struct {
	Responses []struct {
		Error     bool   `json:"error"`
		Data      string `json:"data"`
		Exception string `json:"exception"`
	} `json:"responses"`
}

func TestBatchStopsAtFirstFailure(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	var r batchReply
	teacher.get(&r, "tool_mobile_call_external_functions",
		"requests[0][function]", "core_completion_get_activities_completion_status",
		"requests[0][arguments]", `{"courseid":2,"userid":5}`,
		"requests[1][function]", "core_completion_get_activities_completion_status",
		"requests[1][arguments]", `{"courseid":999999,"userid":5}`,
		"requests[2][function]", "core_completion_get_activities_completion_status",
		"requests[2][arguments]", `{"courseid":2,"userid":14}`)
	if len(r.Responses) != 2 {
		t.Fatalf("%d responses, want 2: the batch stops at the failing call", len(r.Responses))
	}
	var data struct {
		Statuses []activityStatus `json:"statuses"`
	}
	if r.Responses[0].Error || json.Unmarshal([]byte(r.Responses[0].Data), &data) != nil || len(data.Statuses) != 8 {
		t.Errorf("first response = %+v, want zoe's 8 statuses as a JSON string", r.Responses[0])
	}
	var ex struct {
		Errorcode string `json:"errorcode"`
		Message   string `json:"message"`
	}
	if !r.Responses[1].Error || json.Unmarshal([]byte(r.Responses[1].Exception), &ex) != nil || ex.Errorcode != "invalidrecord" {
		t.Errorf("second response = %+v, want an invalidrecord exception string", r.Responses[1])
	}
	if got := s.site.BatchedCalls()["core_completion_get_activities_completion_status"]; got != 2 {
		t.Errorf("batched completion calls = %d, want 2", got)
	}

	// A function outside the custom service fails inside the batch with the
	// short access exception.
	custom := &client{t: t, s: s, token: s.acc["kts.teacher"].ServiceToken}
	custom.get(&r, "tool_mobile_call_external_functions",
		"requests[0][function]", "core_message_send_instant_messages",
		"requests[0][arguments]", `{"messages":[{"touserid":14,"text":"x"}]}`)
	if len(r.Responses) != 1 || r.Responses[0].Exception != `{"errorcode":"accessexception","module":"webservice"}` {
		t.Errorf("access exception inside a batch = %+v", r.Responses)
	}
	if len(s.site.SentMessages()) != 0 {
		t.Error("a refused batched send stored a message")
	}
}

type sendItem struct {
	Msgid          int    `json:"msgid"`
	Clientmsgid    string `json:"clientmsgid"`
	Text           string `json:"text"`
	Conversationid int    `json:"conversationid"`
	Errormessage   string `json:"errormessage"`
}

type conversationReply struct {
	ID      int `json:"id"`
	Members []struct {
		ID int `json:"id"`
	} `json:"members"`
	Messages []struct {
		ID         int    `json:"id"`
		Useridfrom int    `json:"useridfrom"`
		Text       string `json:"text"`
	} `json:"messages"`
}

func TestMessagesAppearInConversation(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	teacher.wantError("errorconversationdoesnotexist", "core_message_get_conversation_between_users",
		"userid", "3", "otheruserid", "14")

	var sent []sendItem
	teacher.get(&sent, "core_message_send_instant_messages",
		"messages[0][touserid]", "14", "messages[0][text]", "Can we talk on Thursday?",
		"messages[0][textformat]", "1", "messages[0][clientmsgid]", "kts-1",
		"messages[1][touserid]", "14", "messages[1][text]", "", "messages[1][textformat]", "1")
	if len(sent) != 2 || sent[0].Clientmsgid != "kts-1" || sent[0].Text != "<p>Can we talk on Thursday?</p>" || sent[1].Text != "" {
		t.Fatalf("send reply = %+v", sent)
	}

	var cv conversationReply
	teacher.get(&cv, "core_message_get_conversation_between_users", "userid", "3", "otheruserid", "14",
		"includecontactrequests", "0", "includeprivacyinfo", "0", "messagelimit", "20")
	if cv.ID != sent[0].Conversationid || len(cv.Members) != 1 || cv.Members[0].ID != 14 {
		t.Errorf("conversation = %+v, want id %d with oliver as the only member", cv, sent[0].Conversationid)
	}
	if len(cv.Messages) != 2 || cv.Messages[0].ID != sent[1].Msgid || cv.Messages[1].Text != sent[0].Text {
		t.Errorf("messages = %+v, want both, newest first", cv.Messages)
	}
	got := s.site.SentMessages()
	if len(got) != 2 || got[0].From != 3 || got[0].To != 14 || got[0].ClientMsgID != "kts-1" {
		t.Errorf("SentMessages = %+v", got)
	}

	var counts struct {
		Favourites int            `json:"favourites"`
		Types      map[string]int `json:"types"`
	}
	teacher.get(&counts, "core_message_get_conversation_counts", "userid", "3")
	if diff := cmp.Diff(map[string]int{"1": 1, "2": 0, "3": 0}, counts.Types); diff != "" || counts.Favourites != 1 {
		t.Errorf("conversation counts %+v (-want +got):\n%s", counts, diff)
	}
	var unread int
	teacher.get(&unread, "core_message_get_unread_conversations_count", "useridto", "3")
	if unread != 0 {
		t.Errorf("teacher's unread count = %d, want 0 (nobody wrote to her)", unread)
	}
	s.as(t, "zoe.andersen").wantError("You do not have permission to perform this action.",
		"core_message_get_conversation_counts", "userid", "3")
}

func TestMixedMessageCallFailsButStoresTheGoodOne(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	teacher.wantError("formatnotsupported", "core_message_send_instant_messages",
		"messages[0][touserid]", "30", "messages[0][text]", "Reminder: A2 is due in a week.",
		"messages[0][textformat]", "1", "messages[0][clientmsgid]", "kts-ethan",
		"messages[1][touserid]", "999999", "messages[1][text]", "Reminder: A2 is due in a week.",
		"messages[1][textformat]", "1", "messages[1][clientmsgid]", "kts-nobody")
	got := s.site.SentMessages()
	if len(got) != 1 || got[0].To != 30 || got[0].ClientMsgID != "kts-ethan" {
		t.Fatalf("SentMessages = %+v, want only the message to ethan.brown", got)
	}
	var cv conversationReply
	teacher.get(&cv, "core_message_get_conversation_between_users", "userid", "3", "otheruserid", "30")
	if len(cv.Messages) != 1 {
		t.Errorf("ethan's conversation holds %d messages, want 1", len(cv.Messages))
	}

	// Only failures: per-message items, no exception.
	var items []sendItem
	teacher.get(&items, "core_message_send_instant_messages",
		"messages[0][touserid]", "999999", "messages[0][text]", "x", "messages[0][clientmsgid]", "kts-x")
	if len(items) != 1 || items[0].Msgid != -1 || items[0].Clientmsgid != "kts-x" ||
		items[0].Errormessage != "You cannot send a message to a user ID (999999) that doesn't exist." {
		t.Errorf("unknown user = %+v", items)
	}

	// Privacy: a student cannot reach a student who accepts contacts only;
	// the teacher can.
	s.site.SetBlockNonContacts(15, true)
	s.as(t, "zoe.andersen").get(&items, "core_message_send_instant_messages",
		"messages[0][touserid]", "15", "messages[0][text]", "study group?")
	if len(items) != 1 || items[0].Msgid != -1 || items[0].Errormessage == "" {
		t.Errorf("student to blocking student = %+v, want a failed item", items)
	}
	teacher.get(&items, "core_message_send_instant_messages",
		"messages[0][touserid]", "15", "messages[0][text]", "check the feedback")
	if len(items) != 1 || items[0].Msgid <= 0 {
		t.Errorf("teacher to blocking student = %+v, want delivered", items)
	}
	custom := &client{t: t, s: s, token: s.acc["kts.teacher"].ServiceToken}
	custom.wantError("accessexception", "core_message_send_instant_messages",
		"messages[0][touserid]", "14", "messages[0][text]", "Hi")
}

func TestNotes(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	var created []struct {
		Clientnoteid string `json:"clientnoteid"`
		Noteid       int    `json:"noteid"`
		Errormessage string `json:"errormessage"`
	}
	teacher.get(&created, "core_notes_create_notes",
		"notes[0][userid]", "14", "notes[0][publishstate]", "personal", "notes[0][courseid]", "2",
		"notes[0][text]", "Works nights this month.", "notes[0][format]", "1", "notes[0][clientnoteid]", "p1",
		"notes[1][userid]", "14", "notes[1][publishstate]", "course", "notes[1][courseid]", "2",
		"notes[1][text]", "Follow-up on Thursday.", "notes[1][format]", "1", "notes[1][clientnoteid]", "c1",
		"notes[2][userid]", "999999", "notes[2][publishstate]", "course", "notes[2][courseid]", "2",
		"notes[2][text]", "Nobody.", "notes[2][format]", "1", "notes[2][clientnoteid]", "x1")
	if len(created) != 3 || created[0].Clientnoteid != "p1" || created[1].Noteid <= created[0].Noteid ||
		created[2].Noteid != -1 || created[2].Errormessage != "Invalid user id: 999999" {
		t.Fatalf("create reply = %+v", created)
	}
	var notes struct {
		Coursenotes []struct {
			ID           int    `json:"id"`
			Publishstate string `json:"publishstate"`
		} `json:"coursenotes"`
		Personalnotes []struct {
			ID           int    `json:"id"`
			Content      string `json:"content"`
			Publishstate string `json:"publishstate"`
		} `json:"personalnotes"`
	}
	teacher.get(&notes, "core_notes_get_course_notes", "courseid", "2", "userid", "14")
	if len(notes.Personalnotes) != 1 || notes.Personalnotes[0].Publishstate != "draft" ||
		notes.Personalnotes[0].Content != "Works nights this month." {
		t.Errorf("personal notes = %+v", notes.Personalnotes)
	}
	if len(notes.Coursenotes) != 1 || notes.Coursenotes[0].Publishstate != "public" {
		t.Errorf("course notes = %+v", notes.Coursenotes)
	}
	// Another teacher does not see the personal note.
	s.as(t, "kts.tutor").get(&notes, "core_notes_get_course_notes", "courseid", "2", "userid", "0")
	if len(notes.Personalnotes) != 0 || len(notes.Coursenotes) != 1 {
		t.Errorf("tutor's view = %+v, want the course note only", notes)
	}
	s.as(t, "zoe.andersen").wantError("nopermissions", "core_notes_create_notes",
		"notes[0][userid]", "14", "notes[0][publishstate]", "course", "notes[0][courseid]", "2", "notes[0][text]", "x")
	if got := s.site.Notes(); len(got) != 2 || got[0].PublishState != "draft" || got[1].ClientNoteID != "c1" {
		t.Errorf("Notes() = %+v", got)
	}
}

func TestSubmissionStatusCreatesRecord(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	type status struct {
		Lastattempt struct {
			Submission *struct {
				ID     int    `json:"id"`
				Status string `json:"status"`
			} `json:"submission"`
			Extensionduedate *int64 `json:"extensionduedate"`
		} `json:"lastattempt"`
	}
	var first, second status
	teacher.get(&first, "mod_assign_get_submission_status", "assignid", "1", "userid", "30")
	if first.Lastattempt.Submission != nil {
		t.Errorf("first read shows a submission %+v, want none", first.Lastattempt.Submission)
	}
	teacher.get(&second, "mod_assign_get_submission_status", "assignid", "1", "userid", "30")
	if second.Lastattempt.Submission == nil || second.Lastattempt.Submission.Status != "new" {
		t.Errorf("second read = %+v, want the new record the first read created", second.Lastattempt)
	}
	var subs submissionsReply
	teacher.get(&subs, "mod_assign_get_submissions", "assignmentids[0]", "1",
		"since", fmt.Sprint(testNow.Unix()-10*day))
	if len(subs.Assignments) != 1 || len(subs.Assignments[0].Submissions) != 1 || subs.Assignments[0].Submissions[0].Userid != 30 {
		t.Errorf("A1 since 10 days = %+v, want ethan's new record only", subs)
	}

	var mei status
	teacher.get(&mei, "mod_assign_get_submission_status", "assignid", "3", "userid", "13")
	if e := mei.Lastattempt.Extensionduedate; e == nil || *e != testNow.Unix()+5*day {
		t.Errorf("mei's A3 extension = %v, want now+5d", e)
	}
	var oliver status
	teacher.get(&oliver, "mod_assign_get_submission_status", "assignid", "1", "userid", "14")
	if oliver.Lastattempt.Extensionduedate != nil {
		t.Errorf("oliver's extensionduedate = %v, want null (no flags)", *oliver.Lastattempt.Extensionduedate)
	}
}

func TestIncrementalRefresh(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	now := testNow.Unix()
	var subs submissionsReply
	teacher.get(&subs, "mod_assign_get_submissions", "assignmentids[0]", "1", "assignmentids[1]", "2",
		"assignmentids[2]", "3", "since", fmt.Sprint(now+60))
	if len(subs.Assignments) != 3 || len(subs.Warnings) != 3 || subs.Warnings[0].Item != "module" ||
		subs.Warnings[0].Warningcode != "3" || subs.Warnings[0].Message != "No submissions found" {
		t.Errorf("since now = %+v, want every assignment listed empty with a warning each", subs)
	}
	var grades struct {
		Assignments []struct {
			Assignmentid int   `json:"assignmentid"`
			Grades       []any `json:"grades"`
		} `json:"assignments"`
		Warnings []struct {
			Itemid  int    `json:"itemid"`
			Message string `json:"message"`
		} `json:"warnings"`
	}
	teacher.get(&grades, "mod_assign_get_grades", "assignmentids[0]", "1", "assignmentids[1]", "2",
		"assignmentids[2]", "3", "since", fmt.Sprint(now-13*day))
	if len(grades.Assignments) != 1 || n(grades.Assignments[0].Grades) == 0 || n(grades.Assignments[0].Grades) >= 22 ||
		len(grades.Warnings) != 2 {
		t.Errorf("grades since 13 days = %d assignments (%+v), warnings %+v; want some A1 grades and 2 warnings",
			len(grades.Assignments), grades.Assignments, grades.Warnings)
	}
	teacher.get(&grades, "mod_assign_get_grades", "assignmentids[0]", "1", "since", fmt.Sprint(now-10*day))
	if len(grades.Assignments) != 0 || len(grades.Warnings) != 1 {
		t.Errorf("grades since 10 days = %+v, want none (A1 graded 12-14 days ago)", grades)
	}

	var ups struct {
		Instances []struct {
			ID      int `json:"id"`
			Updates []struct {
				Name    string `json:"name"`
				Itemids []int  `json:"itemids"`
			} `json:"updates"`
		} `json:"instances"`
	}
	teacher.get(&ups, "core_course_get_updates_since", "courseid", "2", "since", fmt.Sprint(now+60))
	if len(ups.Instances) != 0 {
		t.Errorf("updates since now = %+v, want none", ups)
	}
	teacher.get(&ups, "core_course_get_updates_since", "courseid", "2", "since", fmt.Sprint(now-10*day))
	if len(ups.Instances) != 10 {
		t.Errorf("updates since 10 days cover %d modules, want all 10", len(ups.Instances))
	}
	for _, in := range ups.Instances {
		for _, u := range in.Updates {
			if u.Name == "completion" || u.Name == "gradeitems" {
				t.Errorf("module %d has a %s area; Moodle gives the teacher none", in.ID, u.Name)
			}
		}
	}
}

func n[T any](s []T) int { return len(s) }
