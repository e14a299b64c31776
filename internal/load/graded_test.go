package load_test

import (
	"slices"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
)

// TestGradeReport: the grade report of quizzes and other graded activities is one call for
// every student (userid 0), and one per suspended student, whom Moodle's report of every
// student leaves out (KTS101 has one, Léa): one request more on a cold load, none on a
// refresh (they ride in the refresh's batch), trimmed to the items the cohort shows.
func TestGradeReport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	v := h.course(demo.KTS101CourseID)
	if n := h.site.BatchedCalls()[moodle.FuncGradeItems] + h.site.Calls()[moodle.FuncGradeItems]; n != 2 {
		t.Fatalf("%d grade report calls on a cold load; want 2 (every student, then Léa)", n)
	}
	if h.cost().requests != 8 {
		t.Errorf("cold load made %d requests; want 8 (7 without the grade reports)", h.cost().requests)
	}
	gi := v.Input.GradeItems
	if gi == nil || len(gi.UserGrades) == 0 {
		t.Fatalf("no grade report in the snapshot (missing %v)", v.Input.Missing)
	}
	quiz, lea := 0, false
	for _, ug := range gi.UserGrades {
		lea = lea || ug.UserID == 31
		for _, it := range ug.GradeItems {
			if it.ItemModule == "assign" || it.ItemType != "mod" || it.Feedback != "" {
				t.Fatalf("user %d: item %+v kept; want only other activities' items, without feedback", ug.UserID, it)
			}
			if it.CMID == 9 {
				quiz++
			}
		}
	}
	if quiz == 0 {
		t.Errorf("no student has the quiz's (cmid 9) grade item")
	}
	if !lea {
		t.Errorf("no grade report for Léa (31), suspended: her cells would read as no grade")
	}

	h.site.ResetCalls()
	r := h.refresh(demo.KTS101CourseID, false)
	if n := h.site.BatchedCalls()[moodle.FuncGradeItems]; n != 2 {
		t.Errorf("%d grade report calls in a refresh; want 2, in its batch", n)
	}
	if h.cost().requests != 2 {
		t.Errorf("refresh made %d requests; want 2, as without the grade report", h.cost().requests)
	}
	if r.Input.GradeItems == nil {
		t.Fatalf("the refresh lost the grade report")
	}
	if !slices.ContainsFunc(r.Input.GradeItems.UserGrades, func(ug moodle.UserGrades) bool { return ug.UserID == 31 }) {
		t.Errorf("the refresh lost Léa's (suspended) grade report")
	}
}
