package moodle_test

import (
	"errors"
	"maps"
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
)

const completionFn = "core_completion_get_activities_completion_status"

func completionArgs(course, user int) map[string]any {
	return map[string]any{"courseid": course, "userid": user}
}

// batchSettings are the fields the client adds to every inner request: settingfilter=0 and
// settingfileurl=0 (the default, 1, would rewrite file URLs to webservice/pluginfile.php).
// The batch-with-error and not-in-service-inner recordings were made without them; the
// reply does not depend on them, so the contract replays the recorded body for the form the
// client does send, and checks that the difference is exactly these fields.
func batchSettings(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		p := "requests[" + string(rune('0'+i)) + "]"
		m[p+"[settingfilter]"] = "0"
		m[p+"[settingfileurl]"] = "0"
	}
	return m
}

// replayBatchAsSent registers the recorded batch body for the form the client sends: the
// recorded parameters plus batchSettings.
func replayBatchAsSent(t *testing.T, r *replay, file string, n int) {
	t.Helper()
	e, ok := r.fx.Entry(file)
	if !ok {
		t.Fatalf("no manifest entry %s", file)
	}
	r.extra = batchSettings(n)
	params := maps.Clone(r.extra)
	for k, v := range e.Params {
		switch k {
		case "wstoken", "wsfunction", "moodlewsrestformat":
		default:
			params[k] = v
		}
	}
	r.srv.Reply(e.WSFunction, params, r.fx.Body(file))
}

func decodeCompletion(t *testing.T, res moodle.BatchResult) *moodle.ActivitiesCompletion {
	t.Helper()
	var c moodle.ActivitiesCompletion
	if err := res.Decode(completionFn, &c); err != nil {
		t.Fatalf("inner completion: %v", err)
	}
	return &c
}

func msg(to int64, text, id string) moodle.OutgoingMessage {
	return moodle.OutgoingMessage{ToUserID: to, Text: text, TextFormat: 1, ClientMsgID: id}
}

type sentSummary struct {
	MsgID       int64
	ClientMsgID string
	Sent        bool
	Text        string
	Error       string
}

func summarise(rs []moodle.MessageResult) []sentSummary {
	return mapf(rs, func(r moodle.MessageResult) sentSummary {
		return sentSummary{r.MsgID, r.ClientMsgID, r.Sent(), r.Text, r.ErrorMessage}
	})
}

var twentyMessages = moodle.ConversationOptions{MessageLimit: 20}

// writeCases: batches, messages, notes and incremental refresh.
var writeCases = map[string]contractCase{
	"tool_mobile_call_external_functions.completion-batch-3.json": func(t *testing.T, r *replay) error {
		res, err := r.c.Batch(r.ctx, r.tok, []moodle.BatchRequest{
			{Function: completionFn, Args: completionArgs(2, 5)},
			{Function: completionFn, Args: completionArgs(2, 14)},
			{Function: completionFn, Args: completionArgs(2, 30)},
		})
		ok(t, err)
		if len(res) != 3 {
			t.Fatalf("%d results, want 3", len(res))
		}
		same(t, "Zoë", zoeStates, statesOf(decodeCompletion(t, res[0])))
		oliver := decodeCompletion(t, res[1])
		same(t, "Oliver's override", int64(3), *oliver.Statuses[7].OverrideBy)
		same(t, "Ethan: nothing", 8, count(decodeCompletion(t, res[2]).Statuses, func(s moodle.ActivityStatus) bool { return s.State == 0 }))
		return nil
	},
	"tool_mobile_call_external_functions.batch-with-error.json": func(t *testing.T, r *replay) error {
		replayBatchAsSent(t, r, "tool_mobile_call_external_functions.batch-with-error.json", 2)
		res, err := r.c.Batch(r.ctx, r.tok, []moodle.BatchRequest{
			{Function: completionFn, Args: completionArgs(2, 5)},
			{Function: completionFn, Args: completionArgs(999999, 5)},
		})
		ok(t, err)
		same(t, "first ok", zoeStates, statesOf(decodeCompletion(t, res[0])))
		var me *moodle.Error
		if !errors.As(res[1].Err, &me) {
			t.Fatalf("second result err = %v, want a *moodle.Error", res[1].Err)
		}
		same(t, "second: Moodle's inner error", []any{completionFn, "invalidrecord", "Can't find data record in database table course.", true},
			[]any{me.Function, me.Code, me.Message, errors.Is(res[1].Err, moodle.ErrNotFound)})
		return res[1].Err
	},
	"tool_mobile_call_external_functions.not-in-service-inner.json": func(t *testing.T, r *replay) error {
		replayBatchAsSent(t, r, "tool_mobile_call_external_functions.not-in-service-inner.json", 1)
		res, err := r.c.Batch(r.ctx, r.tok, []moodle.BatchRequest{
			{Function: "core_course_search_courses", Args: map[string]any{"criterianame": "search", "criteriavalue": "KTS"}},
		})
		ok(t, err)
		wantErr(t, res[0].Err, moodle.ErrAccessException, "accessexception")
		return res[0].Err
	},

	"core_message_send_instant_messages.two-students.json": func(t *testing.T, r *replay) error {
		res, err := r.c.SendInstantMessages(r.ctx, r.tok, []moodle.OutgoingMessage{
			msg(14, "Hi Oliver, you have not opened KTS101 for two weeks and A1 is still ungraded. Can we talk on Thursday?", "kts-msg-oliver-1"),
			msg(30, "Hi Ethan, you are enrolled in KTS101 but have not logged in yet. Do you need help getting started?", "kts-msg-ethan-1"),
		})
		ok(t, err)
		same(t, "results in request order, ids echoed", []sentSummary{
			{13, "kts-msg-oliver-1", true, "<p>Hi Oliver, you have not opened KTS101 for two weeks and A1 is still ungraded. Can we talk on Thursday?</p>", ""},
			{14, "kts-msg-ethan-1", true, "<p>Hi Ethan, you are enrolled in KTS101 but have not logged in yet. Do you need help getting started?</p>", ""},
		}, summarise(res))
		same(t, "conversations", []int64{533, 534}, mapf(res, func(m moodle.MessageResult) int64 { return m.ConversationID }))
		return nil
	},
	"core_message_send_instant_messages.empty-text.json": func(t *testing.T, r *replay) error {
		res, err := r.c.SendInstantMessages(r.ctx, r.tok, []moodle.OutgoingMessage{msg(30, "", "kts-msg-empty-1")})
		ok(t, err)
		same(t, "empty text is stored", []sentSummary{{15, "kts-msg-empty-1", true, "", ""}}, summarise(res))
		return nil
	},
	"core_message_send_instant_messages.unknown-user.json": func(t *testing.T, r *replay) error {
		res, err := r.c.SendInstantMessages(r.ctx, r.tok, []moodle.OutgoingMessage{msg(999999, "Reminder: A2 is due in a week.", "kts-msg-nobody-1")})
		ok(t, err)
		same(t, "failed item", []sentSummary{{-1, "kts-msg-nobody-1", false, "", "You cannot send a message to a user ID (999999) that doesn't exist."}}, summarise(res))
		return nil
	},
	"core_message_send_instant_messages.partial-unknown-user.json": func(t *testing.T, r *replay) error {
		res, err := r.c.SendInstantMessages(r.ctx, r.tok, []moodle.OutgoingMessage{
			msg(30, "Reminder: A2 is due in a week.", "kts-msg-ethan-2"),
			msg(999999, "Reminder: A2 is due in a week.", "kts-msg-nobody-2"),
		})
		var me *moodle.Error
		if !errors.As(err, &me) || me.Code != "formatnotsupported" {
			t.Fatalf("err = %v, want Moodle's formatnotsupported", err)
		}
		for _, s := range []error{moodle.ErrInvalidParameter, moodle.ErrNotFound, moodle.ErrNoPermission, moodle.ErrInvalidToken} {
			if errors.Is(err, s) {
				t.Errorf("formatnotsupported matches %v", s)
			}
		}
		same(t, "no per-message results", 0, len(res))
		return err
	},
	"core_message_send_instant_messages.student-to-student.json": func(t *testing.T, r *replay) error {
		res, err := r.c.SendInstantMessages(r.ctx, r.tok, []moodle.OutgoingMessage{msg(15, "Hi Priya, shall we compare notes for A2?", "kts-msg-zoe-1")})
		ok(t, err)
		same(t, "sent by Zoë", []any{true, int64(5)}, []any{res[0].Sent(), res[0].UserIDFrom})
		return nil
	},
	"core_message_send_instant_messages.teacher-to-blocking-student.json": func(t *testing.T, r *replay) error {
		res, err := r.c.SendInstantMessages(r.ctx, r.tok, []moodle.OutgoingMessage{msg(15, "Priya, please check the feedback on A1.", "kts-msg-priya-1")})
		ok(t, err)
		same(t, "the teacher gets through", []sentSummary{{18, "kts-msg-priya-1", true, "<p>Priya, please check the feedback on A1.</p>", ""}}, summarise(res))
		return nil
	},
	"core_message_send_instant_messages.student-to-blocking-student.json": func(t *testing.T, r *replay) error {
		res, err := r.c.SendInstantMessages(r.ctx, r.tok, []moodle.OutgoingMessage{msg(15, "Hi Priya, are you coming to the study group?", "kts-msg-zoe-2")})
		ok(t, err)
		same(t, "blocked by preferences", []sentSummary{{-1, "kts-msg-zoe-2", false, "",
			"You can't message Priya Patel due to their message preferences. Try adding them as a contact."}}, summarise(res))
		return nil
	},
	"core_message_send_instant_messages.custom-service-token.json": func(t *testing.T, r *replay) error {
		_, err := r.c.SendInstantMessages(r.ctx, r.tok, []moodle.OutgoingMessage{msg(14, "Hi Oliver", "kts-msg-oliver-x")})
		wantErr(t, err, moodle.ErrAccessException, "accessexception")
		return err
	},
	"core_message_get_conversation_between_users.no-conversation.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ConversationBetweenUsers(r.ctx, r.tok, 3, 13, twentyMessages)
		wantErr(t, err, moodle.ErrConversationNotFound, "errorconversationdoesnotexist")
		if c != nil {
			t.Errorf("conversation %+v with an error", c)
		}
		return err
	},
	"core_message_get_conversation_between_users.teacher-oliver.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ConversationBetweenUsers(r.ctx, r.tok, 3, 14, twentyMessages)
		ok(t, err)
		same(t, "conversation", []any{int64(533), 1, []int64{14}, "Oliver Smith", true, 0},
			[]any{c.ID, c.Type, mapf(c.Members, func(m moodle.ConversationMember) int64 { return m.ID }), c.Members[0].FullName, c.Members[0].CanMessage == nil, *c.UnreadCount})
		same(t, "messages", [][2]int64{{13, 3}}, mapf(c.Messages, func(m moodle.ConversationEntry) [2]int64 { return [2]int64{m.ID, m.UserIDFrom} }))
		return nil
	},
	"core_message_get_conversation_between_users.teacher-ethan.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ConversationBetweenUsers(r.ctx, r.tok, 3, 30, twentyMessages)
		ok(t, err)
		same(t, "newest first, the empty one kept", []any{int64(534), []int64{16, 15, 14}, ""},
			[]any{c.ID, mapf(c.Messages, func(m moodle.ConversationEntry) int64 { return m.ID }), c.Messages[1].Text})
		return nil
	},
	"core_message_get_conversation_counts.teacher.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ConversationCounts(r.ctx, r.tok, 3)
		ok(t, err)
		same(t, "counts", moodle.ConversationCounts{Favourites: 1, Types: map[string]int{"1": 3, "2": 0, "3": 0}}, *c)
		return nil
	},
	"core_message_get_unread_conversations_count.teacher.json": func(t *testing.T, r *replay) error {
		n, err := r.c.UnreadConversationsCount(r.ctx, r.tok, 3)
		ok(t, err) // the bare number 0 decodes; TestBareNumberReply checks a non-zero one
		same(t, "unread", 0, n)
		return nil
	},

	"core_notes_create_notes.personal-and-course.json": func(t *testing.T, r *replay) error {
		res, err := r.c.CreateNotes(r.ctx, r.tok, []moodle.NewNote{
			{UserID: 14, CourseID: 2, PublishState: "personal", Text: "Called Oliver: says he works nights this month, will catch up on A1 feedback.", Format: 1, ClientNoteID: "kts-note-personal-1"},
			{UserID: 14, CourseID: 2, PublishState: "course", Text: "No course access for 14 days; A1 submitted late. Follow-up agreed for Thursday.", Format: 1, ClientNoteID: "kts-note-course-1"},
		})
		ok(t, err)
		same(t, "notes", []moodle.NoteResult{{ClientNoteID: "kts-note-personal-1", NoteID: 5}, {ClientNoteID: "kts-note-course-1", NoteID: 6}}, res)
		return nil
	},
	"core_notes_create_notes.unknown-user.json": func(t *testing.T, r *replay) error {
		res, err := r.c.CreateNotes(r.ctx, r.tok, []moodle.NewNote{
			{UserID: 999999, CourseID: 2, PublishState: "course", Text: "Nobody.", Format: 1, ClientNoteID: "kts-note-nobody-1"},
		})
		ok(t, err)
		same(t, "failed note", []moodle.NoteResult{{ClientNoteID: "kts-note-nobody-1", NoteID: -1, ErrorMessage: "Invalid user id: 999999"}}, res)
		return nil
	},
	"core_notes_create_notes.student-denied.json": func(t *testing.T, r *replay) error {
		_, err := r.c.CreateNotes(r.ctx, r.tok, []moodle.NewNote{
			{UserID: 14, CourseID: 2, PublishState: "course", Text: "Student note.", Format: 1, ClientNoteID: "kts-note-student-1"},
		})
		wantErr(t, err, moodle.ErrNoPermission, "nopermissions")
		return err
	},
	"core_notes_get_course_notes.oliver.json": func(t *testing.T, r *replay) error {
		n, err := r.c.CourseNotes(r.ctx, r.tok, 2, 14)
		ok(t, err)
		checkOliverNotes(t, n)
		return nil
	},
	"core_notes_get_course_notes.all.json": func(t *testing.T, r *replay) error {
		n, err := r.c.CourseNotes(r.ctx, r.tok, 2, 0)
		ok(t, err)
		checkOliverNotes(t, n)
		return nil
	},

	"core_course_get_updates_since.kts101.json": func(t *testing.T, r *replay) error {
		u, err := r.c.UpdatesSince(r.ctx, r.tok, 2, moodle.Unix(since10d))
		ok(t, err)
		checkUpdates(t, u, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
		return nil
	},
	"core_course_get_updates_since.kts101-now.json": func(t *testing.T, r *replay) error {
		u, err := r.c.UpdatesSince(r.ctx, r.tok, 2, moodle.Unix(sinceNow))
		ok(t, err)
		same(t, "nothing new", []int{0, 0}, []int{len(u.Instances), len(u.Warnings)})
		return nil
	},
	"core_course_check_updates.kts101.json": func(t *testing.T, r *replay) error {
		var items []moodle.CheckItem
		for cmid := int64(2); cmid <= 10; cmid++ {
			items = append(items, moodle.CheckItem{ContextLevel: "module", ID: cmid, Since: moodle.Unix(since10d)})
		}
		u, err := r.c.CheckUpdates(r.ctx, r.tok, 2, items)
		ok(t, err)
		checkUpdates(t, u, []int64{2, 3, 4, 5, 6, 7, 8, 9, 10})
		return nil
	},
}

func checkOliverNotes(t *testing.T, n *moodle.CourseNotes) {
	t.Helper()
	summary := func(ns []moodle.Note) [][3]any {
		return mapf(ns, func(n moodle.Note) [3]any { return [3]any{n.ID, n.UserID, n.PublishState} })
	}
	same(t, "notes", []any{0, [][3]any{{int64(6), int64(14), "public"}}, [][3]any{{int64(5), int64(14), "draft"}}, true, false},
		[]any{len(n.SiteNotes), summary(n.CourseNotes), summary(n.PersonalNotes), n.CanManageCourseNotes, n.CanManageSystemNotes})
	same(t, "content as sent", "No course access for 14 days; A1 submitted late. Follow-up agreed for Thursday.", n.CourseNotes[0].Content)
}

// checkUpdates: every module reports its configuration, A1 Ethan's new submission, and no
// module reports completion.
func checkUpdates(t *testing.T, u *moodle.UpdatesReply, cmids []int64) {
	t.Helper()
	same(t, "modules", cmids, mapf(u.Instances, func(i moodle.UpdatedInstance) int64 { return i.ID }))
	var configured, completion int
	var a1 []int64
	for _, in := range u.Instances {
		for _, up := range in.Updates {
			switch up.Name {
			case "configuration":
				configured++
			case "completion":
				completion++
			case "usersubmissions":
				if in.ID == 6 {
					a1 = up.ItemIDs
				}
			}
		}
	}
	same(t, "areas", []any{len(cmids), 0, []int64{1492}}, []any{configured, completion, a1})
}
