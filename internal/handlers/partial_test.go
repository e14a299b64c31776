package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
)

// TestPartialDataNamesWhatIsMissing: when one part of a course fails and the rest loads, the
// page shows what loaded, with a notice naming what is missing; asking Moodle again once it
// is healthy brings the part back.
func TestPartialDataNamesWhatIsMissing(t *testing.T) {
	t.Parallel()
	const nope = "Sorry, but you do not currently have permissions to do that."
	onFn := func(fn string) wsfault.Fault { return wsfault.Exception("nopermissions", nope).OnFunction(fn) }
	tests := []struct {
		name    string
		fault   wsfault.Fault
		path    string
		missing string // the part the notice names
		rows    int    // student rows still shown on the cohort page (-1: not that page)
	}{
		{"groups", onFn(moodle.FuncGroupsForSelector), "/course/2", "groups", 29},
		{"activities", onFn(moodle.FuncCourseContents), "/course/2", "the course's activities", 29},
		{"assignments", onFn(moodle.FuncAssignments), "/course/2", "assignments", 29},
		{"submissions", onFn(moodle.FuncSubmissions), "/course/2", "assignment submissions", 29},
		{"grades", onFn(moodle.FuncGrades), "/course/2", "assignment grades", 29},
		{"extensions", onFn(moodle.FuncUserFlags), "/course/2", "assignment extensions", 29},
		{"one student's completion in a batch",
			wsfault.Inner(moodle.FuncActivitiesCompletion, 14, "nopermissions", nope),
			"/course/2", "activity completion for 1 students", 29},
		{"the activities page too", onFn(moodle.FuncSubmissions), "/course/2/activities", "assignment submissions", -1},
		{"a student's grade items", onFn(moodle.FuncGradeItems), "/course/2/student/14", "grade items", -1},
		{"a student's profile", onFn(moodle.FuncCourseUserProfiles), "/course/2/student/14", "the student's profile", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fe := newFaultEnv(t)
			b := fe.browser()
			b.signInTeacher()
			fe.faults.Inject(tt.fault)
			p := b.get(tt.path)
			if p.status != http.StatusOK {
				t.Fatalf("GET %s: status %d; want 200 with what loaded: %q", tt.path, p.status, text(p.doc))
			}
			if !hasNotice(p, tt.missing) {
				t.Errorf("GET %s: no notice naming %q; notices %q", tt.path, tt.missing, notices(p))
			}
			if n := len(byTestID(p.doc, "student-row")); tt.rows >= 0 && n != tt.rows {
				t.Errorf("GET %s: %d student rows; want %d: what loaded is shown", tt.path, n, tt.rows)
			}
			if strings.Contains(tt.path, "/student/") && len(byTestID(p.doc, "student-name")) != 1 {
				t.Errorf("GET %s: the student's page is not shown", tt.path)
			}
			fe.checkNoSecrets(t, p)

			// Moodle is healthy again: asking it again (the page's Refresh button) fills the gap.
			fe.faults.Clear()
			if strings.Contains(tt.path, "/student/") {
				return // per-student extras are kept briefly (load.Config.StudentTTL)
			}
			r := b.post("/course/2/refresh", url.Values{"full": {"1"}, "next": {tt.path}})
			if r.status != http.StatusSeeOther {
				t.Fatalf("refresh: status %d", r.status)
			}
			if p := b.get(tt.path); p.status != http.StatusOK || hasNotice(p, tt.missing) {
				t.Errorf("GET %s after a refresh with Moodle healthy: status %d, notices %q; want the part back", tt.path, p.status, notices(p))
			}
		})
	}
}

func notices(p page) []string {
	var out []string
	for _, n := range byTestID(p.doc, "notice") {
		out = append(out, text(n))
	}
	return out
}

func hasNotice(p page, missing string) bool {
	for _, n := range notices(p) {
		if strings.Contains(n, "Not everything could be loaded") && strings.Contains(n, missing) {
			return true
		}
	}
	return false
}
