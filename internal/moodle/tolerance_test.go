package moodle_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/moodletest"
)

// timeByValue lets cmp compare moodle.Time, whose field is unexported.
var timeByValue = cmp.Comparer(func(a, b moodle.Time) bool { return a.Unix() == b.Unix() })

// withFields decodes a recorded body, lets add change it and re-encodes it; add returns how
// many fields it added, which must not be 0 (else the test would prove nothing).
func withFields(t *testing.T, body []byte, add func(v any) int) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if n := add(v); n == 0 {
		t.Fatal("no field added: the path into the body is wrong")
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func objects(v any) []map[string]any {
	var out []map[string]any
	for _, x := range v.([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}

func setAll(objs []map[string]any, field string, value any) int {
	for _, o := range objs {
		o[field] = value
	}
	return len(objs)
}

// TestDecodeToleratesMoodle50 replays the 4.5 recordings with the fields Moodle 5.0 adds to
// the same replies: they must decode to the same values (new fields ignored), except that
// firstname/lastname, which the client knows, are now filled in.
func TestDecodeToleratesMoodle50(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	tests := []struct {
		file string
		add  func(v any) int
		call func(ctx context.Context, c *moodle.Client, tok string) (any, error)
		want func(v45 any) any // nil: the same as from 4.5
	}{
		{
			file: "core_course_get_contents.kts101.json",
			add: func(v any) int {
				n := 0
				for _, s := range objects(v) {
					n += setAll(objects(s["modules"]), "candisplay", true)
				}
				return n
			},
			call: func(ctx context.Context, c *moodle.Client, tok string) (any, error) {
				return c.CourseContents(ctx, tok, 2)
			},
		},
		{
			file: "core_enrol_get_enrolled_users.student.json",
			add: func(v any) int {
				for _, u := range objects(v) {
					u["firstname"], u["lastname"] = "First "+u["id"].(json.Number).String(), "Last"
				}
				return len(objects(v))
			},
			call: func(ctx context.Context, c *moodle.Client, tok string) (any, error) {
				return c.EnrolledUsers(ctx, tok, 2, moodle.EnrolledUsersOptions{})
			},
			want: func(v45 any) any {
				users := append([]moodle.EnrolledUser(nil), v45.([]moodle.EnrolledUser)...)
				for i := range users {
					users[i].FirstName, users[i].LastName = "First "+strconv.FormatInt(users[i].ID, 10), "Last"
				}
				return users
			},
		},
		{
			file: "core_group_get_groups_for_selector.kts101.json",
			add:  func(v any) int { return setAll(objects(v.(map[string]any)["groups"]), "participation", true) },
			call: func(ctx context.Context, c *moodle.Client, tok string) (any, error) {
				return c.GroupsForSelector(ctx, tok, 2)
			},
		},
		{
			file: "mod_assign_get_assignments.kts101.json",
			add: func(v any) int {
				n := 0
				for _, c := range objects(v.(map[string]any)["courses"]) {
					n += setAll(objects(c["assignments"]), "gradepenalty", 0)
				}
				return n
			},
			call: func(ctx context.Context, c *moodle.Client, tok string) (any, error) {
				return c.Assignments(ctx, tok, []int64{2})
			},
		},
		{
			file: "mod_quiz_get_quizzes_by_courses.kts101.json",
			add:  func(v any) int { return setAll(objects(v.(map[string]any)["quizzes"]), "precreateattempts", nil) },
			call: func(ctx context.Context, c *moodle.Client, tok string) (any, error) {
				return c.Quizzes(ctx, tok, []int64{2})
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			e, ok := fx.Entry(tt.file)
			if !ok {
				t.Fatalf("no manifest entry %s", tt.file)
			}
			// The 4.5 reply, as recorded.
			s45 := moodletest.New(t, fx)
			s45.AddToken(secretToken, e.TokenKind)
			v45, err := tt.call(t.Context(), newClient(t, s45.URL, moodle.Options{}), secretToken)
			if err != nil {
				t.Fatal(err)
			}
			// The same request answered with the 5.0 fields.
			s50 := moodletest.New(t, fx)
			s50.AddToken(secretToken, e.TokenKind)
			params := map[string]string{}
			for k, v := range e.Params {
				if k != "wstoken" && k != "wsfunction" && k != "moodlewsrestformat" {
					params[k] = v
				}
			}
			s50.Reply(e.WSFunction, params, withFields(t, fx.Body(tt.file), tt.add))
			v50, err := tt.call(t.Context(), newClient(t, s50.URL, moodle.Options{}), secretToken)
			if err != nil {
				t.Fatalf("decoding the 5.0 reply: %v", err)
			}
			want := v45
			if tt.want != nil {
				want = tt.want(v45)
			}
			if diff := cmp.Diff(want, v50, timeByValue); diff != "" {
				t.Errorf("5.0 reply (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInvalidRecordUnknownIsNotFound: Moodle 5.0 says invalidrecordunknown where 4.5 says
// invalidrecord, for an unknown course as for an unknown function.
func TestInvalidRecordUnknownIsNotFound(t *testing.T) {
	t.Parallel()
	body := moodletest.Exception("invalidrecordunknown", "Can't find data record in database table course.")
	tests := []struct {
		name string
		call func(ctx context.Context, c *moodle.Client) error
	}{
		{"unknown course", func(ctx context.Context, c *moodle.Client) error {
			_, err := c.CourseContents(ctx, secretToken, 999999)
			return err
		}},
		{"unknown function", func(ctx context.Context, c *moodle.Client) error {
			return c.Call(ctx, secretToken, "kts_no_such_function", nil, nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := moodletest.New(t, nil)
			srv.AddToken(secretToken, moodletest.KindTeacher)
			srv.Reply("core_course_get_contents", map[string]string{"courseid": "999999"}, body)
			srv.Reply("kts_no_such_function", map[string]string{}, body)
			err := tt.call(t.Context(), newClient(t, srv.URL, moodle.Options{}))
			wantErr(t, err, moodle.ErrNotFound, "invalidrecordunknown")
			checkNoLeak(t, err)
		})
	}
}

// TestBareNumberReply: core_message_get_unread_conversations_count answers a bare number;
// the recording holds 0, this checks that another number is read too.
func TestBareNumberReply(t *testing.T) {
	t.Parallel()
	srv := moodletest.New(t, nil)
	srv.AddToken(secretToken, moodletest.KindMobileTeacher)
	srv.Reply("core_message_get_unread_conversations_count", map[string]string{"useridto": "3"}, []byte("7\n"))
	n, err := newClient(t, srv.URL, moodle.Options{}).UnreadConversationsCount(t.Context(), secretToken, 3)
	if err != nil || n != 7 {
		t.Errorf("UnreadConversationsCount() = %d, %v; want 7", n, err)
	}
}
