package demo_test

import (
	"encoding/json"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
)

// TestRenameHooksReachTheReplies: the hostile text a test seeds is what Moodle's replies
// carry, byte for byte (the demo does not escape HTML, as Moodle's json_encode does not).
func TestRenameHooksReachTheReplies(t *testing.T) {
	t.Parallel()
	const (
		name     = `<script>alert(1)</script>`
		activity = `<img src=x onerror=alert(1)>`
		group    = `<b onmouseover="alert(3)">A</b>`
		feedback = `<p onclick="alert(2)">Well done</p><script>alert(2)</script>`
	)
	s := newServer(t, demo.Options{})
	for _, err := range []error{
		s.site.SetUserName(13, name, ""),
		s.site.SetActivityName(2, 6, activity),
		s.site.SetGroupName(2, 1, group),
		s.site.SetFeedback(2, 13, 6, feedback),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	c := s.as(t, "kts.teacher")
	for _, tt := range []struct {
		fn   string
		kv   []string
		want string
	}{
		{"core_enrol_get_enrolled_users", []string{"courseid", "2"}, name},
		{"core_course_get_contents", []string{"courseid", "2"}, activity},
		{"core_group_get_groups_for_selector", []string{"courseid", "2"}, group},
		{"gradereport_user_get_grade_items", []string{"courseid", "2", "userid", "13"}, feedback},
	} {
		body := c.raw(tt.fn, tt.kv...)
		var v any
		if err := json.Unmarshal(body, &v); err != nil || !holds(v, tt.want) {
			t.Errorf("%s does not carry %q: %.300s", tt.fn, tt.want, body)
		}
	}
	for _, err := range []error{
		s.site.SetUserName(999999, "x", "y"),
		s.site.SetActivityName(2, 999, "x"),
		s.site.SetGroupName(2, 999, "x"),
		s.site.SetFeedback(2, 3, 6, "x"),  // the teacher is no student
		s.site.SetFeedback(2, 14, 2, "x"), // a page has no grade
	} {
		if err == nil {
			t.Error("a hook accepted something that does not exist")
		}
	}
}

// holds reports whether a decoded JSON value has the string s somewhere.
func holds(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return x == s || x == s+" " // fullname is "first last", here with an empty last name
	case []any:
		for _, e := range x {
			if holds(e, s) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if holds(e, s) {
				return true
			}
		}
	}
	return false
}
