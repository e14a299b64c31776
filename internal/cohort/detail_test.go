package cohort_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
)

func TestActivityDetail(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	tests := []struct {
		name             string
		cmid, group      int64
		includeSuspended bool
		completed        []int64
		failed           []int64
		notCompleted     []int64
	}{
		{"handbook, Group B", cmHandbook, groupB, false,
			[]int64{aisha, an, chloe, dmitri, hiroshi, 28, jose, kwame, liam, mateo, mehmet, oliver},
			nil, []int64{ethan, noah, soren}},
		{"quiz, Group A", cmQuiz, groupA, false,
			[]int64{amara, 23, emily, fatima, 27, 25, lukasz, mei, priya, siobhan, 29, zoe},
			[]int64{bjorn, hannah}, nil},
		{"further reading, Group A with Léa", cmFurther, groupA, true,
			[]int64{amara, 23, 27, 25, lukasz, mei, priya, siobhan, 29, zoe},
			nil, []int64{bjorn, emily, fatima, hannah, lea}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, ok := c.ActivityDetail(tt.cmid, tt.group, tt.includeSuspended)
			if !ok {
				t.Fatalf("no detail for cmid %d", tt.cmid)
			}
			got := [][]int64{ids(rowsOf(d.Completed)), ids(rowsOf(d.Failed)), ids(rowsOf(d.NotCompleted)), ids(rowsOf(d.NotListed))}
			want := [][]int64{tt.completed, tt.failed, tt.notCompleted, nil}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("completed, failed, not completed, not listed (-want +got):\n%s", diff)
			}
			for _, r := range d.Completed {
				if r.State.TimeCompleted.Never() {
					t.Errorf("%s completed at no time", r.Student.FullName)
				}
			}
		})
	}
}

func TestActivityDetailAssignment(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	d, ok := c.ActivityDetail(cmA1, groupA, true)
	if !ok || !d.IsAssignment || d.Assignment.Label != "A1" {
		t.Fatalf("A1 detail: ok %v, assignment %+v", ok, d.Assignment)
	}
	if diff := cmp.Diff([]int64{bjorn, hannah}, ids(rowsOf(d.Failed))); diff != "" {
		t.Errorf("failed (-want +got):\n%s", diff)
	}
	// Not completed in Group A: Emily (graded 0 without submitting) and Sofia (waits for a grade).
	if diff := cmp.Diff([]int64{emily, 29}, ids(rowsOf(d.NotCompleted))); diff != "" {
		t.Errorf("not completed (-want +got):\n%s", diff)
	}
	if got := len(d.Completed); got != 11 {
		t.Errorf("completed = %d, want 11 (Léa included)", got)
	}
	for _, r := range d.Failed {
		if r.Assignment.Result != cohort.ResultFail || !r.Assignment.Graded {
			t.Errorf("%s: %+v, want a failing grade", r.Student.FullName, r.Assignment)
		}
	}
}

func TestActivityDetailUnknownAndNoCompletion(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	if _, ok := c.ActivityDetail(999, 0, false); ok {
		t.Error("detail for an unknown cmid")
	}
	d, ok := c.ActivityDetail(5, 0, false) // the label: no completion
	if !ok || d.Activity.HasCompletion() || len(d.NotListed) != 29 || len(d.Completed) != 0 {
		t.Errorf("label detail: ok %v, completion %v, not listed %d", ok, d.Activity.HasCompletion(), len(d.NotListed))
	}
}

func rowsOf(rs []cohort.DetailRow) []cohort.Student {
	var out []cohort.Student
	for _, r := range rs {
		out = append(out, r.Student)
	}
	return out
}
