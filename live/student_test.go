package live_test

import (
	"net/http"
	"strconv"
	"testing"
)

// A student signs in (Moodle gives her a token) but the cohort view is refused with 403.
// (This file sorts after cohort_test.go on purpose: the student's own web-service calls may
// touch her course access, which the CSV comparisons read.)
func TestLiveStudentIsRefusedTheCoursePage(t *testing.T) {
	s := liveSite(t)
	d := dashboardFor(t, s)
	student := d.as(t, s.Student, s.Password)
	path := "/course/" + strconv.FormatInt(s.CourseID, 10)
	status, body := d.get(t, student, path)
	if status != http.StatusForbidden {
		t.Fatalf("GET %s as the student: status %d, want 403\n%s", path, status, tail(body, 1500))
	}
}
