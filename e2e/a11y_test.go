package e2e_test

import (
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
)

// TestAccessibility runs axe on the error pages and an empty cohort; TestFlows runs it on
// every other page and state it passes through (sign-in with and without an error, courses,
// cohort, filtered cohort, student, activities, activity, compose, preview, result, and
// sign-in after the session expired).
func TestAccessibility(t *testing.T) {
	t.Parallel()
	e := theEnv(t)
	pages := []struct {
		name, path string
		status     int
		says       string
	}{
		{"no page here", "/no/such/page", 404, "There is no page at this address"},
		{"a course id that is not a number", "/course/abc", 400, "is not a valid course number"},
		{"a course Moodle does not show", "/course/999", 404, "Moodle has no course with this number"},
		{"a bad sort", "/course/2?sort=shoesize", 400, ""},
	}
	teacher := newTab(t, e)
	teacher.open("/", 200)
	teacher.signIn("kts.teacher", demo.TeacherPassword)
	t.Run("a cohort with no student in the filter", func(t *testing.T) {
		tb := teacher.sub(t)
		tb.open("/course/2?q=nobody-by-this-name&attention=1&suspended=1", 200)
		if got := tb.text(testID("empty")); got != "No student matches these filters." {
			t.Errorf("the empty cohort says %q", got)
		}
		tb.audit("a cohort with no student in the filter")
	})
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			tb := teacher.sub(t)
			tb.open(p.path, p.status)
			if got := tb.text(testID("error-message")); !strings.Contains(got, p.says) {
				t.Errorf("%s says %q; want %q", p.path, got, p.says)
			}
			tb.audit(p.name)
		})
	}
	t.Run("signed out, then a student who opens a course", func(t *testing.T) {
		tb := newTab(t, e).sub(t)
		tb.open("/nope", 404)
		tb.audit("a 404 signed out")
		tb.open("/signin?next=/course/2", 200)
		tb.signInAs("zoe.andersen", demo.StudentPassword, 403)
		if got := tb.text(testID("error-message")); !strings.Contains(got, "people who teach it") {
			t.Errorf("a student on /course/2 reads %q; want the page saying it is for teachers", got)
		}
		tb.audit("the page for a student who is not a teacher")
	})
}
