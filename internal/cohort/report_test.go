package cohort_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
)

func TestActivityReport(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	r := c.ActivityReport(0, false)
	if r.Students != 29 || r.WithCompletion != 29 {
		t.Errorf("students, with completion = %d, %d; want the 29 active", r.Students, r.WithCompletion)
	}
	type row struct {
		CMID                                 int64
		Completed, Failed, Eligible, Percent int
		Dropoff                              int
		HasDropoff                           bool
		Manual, Automatic, Overridden        int
	}
	var got []row
	for _, x := range r.Rows {
		got = append(got, row{x.Activity.CMID, x.Completed, x.Failed, x.Eligible, x.Percent, x.Dropoff, x.HasDropoff, x.Manual, x.Automatic, x.Overridden})
	}
	want := []row{
		// 26 active students viewed the handbook: all but Søren, Noah and Ethan.
		{CMID: cmHandbook, Completed: 26, Eligible: 29, Percent: 89, Automatic: 26},
		// The reading is ticked by hand: 18 of 29.
		{CMID: cmReading, Completed: 18, Eligible: 29, Percent: 62, Dropoff: -27, HasDropoff: true, Manual: 18},
		{CMID: cmForum, Completed: 19, Eligible: 29, Percent: 65, Dropoff: 3, HasDropoff: true, Automatic: 19},
		// A1: Björn and Hannah failed; ungraded and unsubmitted work is not complete.
		{CMID: cmA1, Completed: 18, Failed: 2, Eligible: 29, Percent: 62, Dropoff: -3, HasDropoff: true, Automatic: 18},
		{CMID: cmA2, Completed: 11, Eligible: 29, Percent: 37, Dropoff: -25, HasDropoff: true, Automatic: 11},
		{CMID: cmA3, Completed: 18, Eligible: 29, Percent: 62, Dropoff: 25, HasDropoff: true, Automatic: 18},
		// The quiz: Björn, Mateo, Liam and Hannah below the pass mark.
		{CMID: cmQuiz, Completed: 21, Failed: 4, Eligible: 29, Percent: 72, Dropoff: 10, HasDropoff: true, Automatic: 21},
		// Further reading: Oliver's was set by the teacher.
		{CMID: cmFurther, Completed: 16, Eligible: 29, Percent: 55, Dropoff: -17, HasDropoff: true, Automatic: 15, Overridden: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestActivityReportGroups(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	tests := []struct {
		name             string
		group            int64
		includeSuspended bool
		cmid             int64
		want             cohort.ActivityRow
	}{
		{"handbook: Group B lags (Søren, Noah, Ethan)", 0, false, cmHandbook, cohort.ActivityRow{
			Completed: 26, Eligible: 29, Percent: 89, Automatic: 26,
			ByGroup: []cohort.GroupShare{
				{Group: cohort.Group{ID: groupA, Name: "Group A"}, Completed: 14, Eligible: 14, Percent: 100},
				{Group: cohort.Group{ID: groupB, Name: "Group B"}, Completed: 12, Eligible: 15, Percent: 80},
			},
			Lagging: cohort.Group{ID: groupB, Name: "Group B"}, HasLagging: true,
		}},
		{"handbook, Group A with Léa", groupA, true, cmHandbook, cohort.ActivityRow{
			Completed: 15, Eligible: 15, Percent: 100, Automatic: 15,
			ByGroup: []cohort.GroupShare{
				{Group: cohort.Group{ID: groupA, Name: "Group A"}, Completed: 15, Eligible: 15, Percent: 100},
				{Group: cohort.Group{ID: groupB, Name: "Group B"}, Completed: 12, Eligible: 15, Percent: 80},
			},
			Lagging: cohort.Group{ID: groupB, Name: "Group B"}, HasLagging: true,
		}},
		{"further reading, Group B", groupB, false, cmFurther, cohort.ActivityRow{
			Completed: 6, Eligible: 15, Percent: 40, Dropoff: -20, // the quiz: 9 of 15
			HasDropoff: true, Automatic: 5, Overridden: 1,
			ByGroup: []cohort.GroupShare{
				{Group: cohort.Group{ID: groupA, Name: "Group A"}, Completed: 10, Eligible: 14, Percent: 71},
				{Group: cohort.Group{ID: groupB, Name: "Group B"}, Completed: 6, Eligible: 15, Percent: 40},
			},
			Lagging: cohort.Group{ID: groupB, Name: "Group B"}, HasLagging: true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := c.ActivityReport(tt.group, tt.includeSuspended)
			var got cohort.ActivityRow
			for _, row := range r.Rows {
				if row.Activity.CMID == tt.cmid {
					got = row
				}
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(cohort.ActivityRow{}, "Activity")); diff != "" {
				t.Errorf("row (-want +got):\n%s", diff)
			}
		})
	}
}

func TestActivityReportNoLaggingWhenEqual(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	for _, row := range c.ActivityReport(0, false).Rows {
		equal := row.ByGroup[0].Percent == row.ByGroup[1].Percent
		if equal == row.HasLagging {
			t.Errorf("%s: groups %d %% and %d %%, lagging %v", row.Activity.Name, row.ByGroup[0].Percent, row.ByGroup[1].Percent, row.HasLagging)
		}
	}
}

// TestActivityReportWithoutCompletion: a student whose completion is not loaded is in no
// activity's Eligible, rather than counting as "not completed".
func TestActivityReportWithoutCompletion(t *testing.T) {
	t.Parallel()
	in, now := intaketest.KTS101(t)
	delete(in.Completion, zoe)
	r := cohort.Build(in, now, cohort.DefaultConfig()).ActivityReport(0, false)
	if r.Students != 29 || r.WithCompletion != 28 {
		t.Errorf("students, with completion = %d, %d; want 29, 28", r.Students, r.WithCompletion)
	}
	if got := r.Rows[0]; got.Eligible != 28 || got.Completed != 25 {
		t.Errorf("handbook: %d of %d, want 25 of 28", got.Completed, got.Eligible)
	}
}
