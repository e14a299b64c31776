package cohort_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
)

func TestAssignmentTimeliness(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	ts := c.AssignmentTimeliness(0, false)
	if len(ts) != 3 {
		t.Fatalf("timeliness for %d assignments, want 3", len(ts))
	}
	type counts struct{ Students, OnTime, Late, Extension, Overdue, Draft, NotStarted, Unknown, Graded, AwaitingGrade int }
	of := func(t cohort.Timeliness) counts {
		return counts{t.Students, t.OnTime, t.Late, t.Extension, t.Overdue, t.Draft, t.NotStarted, t.Unknown, t.Graded, t.AwaitingGrade}
	}
	tests := []struct {
		name string
		got  cohort.Timeliness
		want counts
	}{
		// A1: late Siobhán, Oliver, Hiroshi, Dmitri, Mehmet; overdue Emily (g0), Liam (draft),
		// Søren, Noah, Ethan; Chloé, Oliver, Dmitri, Sofia wait for a grade.
		{"A1", ts[0], counts{Students: 29, OnTime: 19, Late: 5, Overdue: 5, Graded: 20, AwaitingGrade: 4}},
		{"A2, not yet due", ts[1], counts{Students: 29, OnTime: 11, Draft: 4, NotStarted: 14, AwaitingGrade: 11}},
		// A3: late José, Mateo, Dmitri, Kwame; Mei's extension runs.
		{"A3", ts[2], counts{Students: 29, OnTime: 14, Late: 4, Extension: 1, Overdue: 10, AwaitingGrade: 18}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, of(tt.got)); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
		})
	}
	a1 := ts[0]
	if a1.GradingMedian != 10*day+14*time.Hour || a1.GradingSlowest != 12*day+time.Hour || a1.SlowestStudent != bjorn {
		t.Errorf("A1 grading: median %v, slowest %v by %d; want 254h, 289h by Björn", a1.GradingMedian, a1.GradingSlowest, a1.SlowestStudent)
	}
	// Sofia's submission has waited longest: since 22 days 8 hours before seededat.
	if a1.LongestWait != 22*day+8*time.Hour {
		t.Errorf("A1 longest wait = %v, want 536h (Sofia)", a1.LongestWait)
	}
	// All four late A3 submissions came an hour after the deadline: day +1.
	if got := ts[2].Histogram[8]; got.Day != 1 || got.Label != "+1" || got.Count != 4 {
		t.Errorf("A3 day +1 = %+v, want the 4 late submissions", got)
	}
}

func TestHistogramBuckets(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	due := now.Add(-30 * day)
	tests := []struct {
		name  string
		delta time.Duration
		day   int
		label string
	}{
		{"a month early", -30 * day, -7, "≤ −7"},
		{"exactly 7 days early", -7 * day, -7, "≤ −7"},
		{"6 days and a bit early", -6*day - time.Hour, -6, "−6"},
		{"a day and a bit early", -day - time.Second, -1, "−1"},
		{"exactly a day early", -day, -1, "−1"},
		{"an hour early", -time.Hour, 0, "0"},
		{"exactly at due", 0, 0, "0"},
		{"a second late", time.Second, 1, "+1"},
		{"a day late", day, 1, "+1"},
		{"three days late", 2*day + time.Hour, 3, "+3"},
		{"two weeks late", 14 * day, 7, "≥ +7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := cohort.Build(oneAssignment(due, time.Time{}, sub("submitted", due.Add(tt.delta))), now, cohort.DefaultConfig())
			h := c.AssignmentTimeliness(0, false)[0].Histogram
			if len(h) != 15 {
				t.Fatalf("%d buckets, want 15", len(h))
			}
			var got []cohort.DayBucket
			for _, b := range h {
				if b.Count > 0 {
					got = append(got, b)
				}
			}
			if diff := cmp.Diff([]cohort.DayBucket{{Day: tt.day, Label: tt.label, Count: 1}}, got); diff != "" {
				t.Errorf("bucket (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTimelinessFilters(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	if got := c.AssignmentTimeliness(groupA, true)[0]; got.Students != 15 {
		t.Errorf("Group A with Léa: %d students, want 15", got.Students)
	}
	if got := c.AssignmentTimeliness(groupA, false)[0]; got.Students != 14 {
		t.Errorf("Group A: %d students, want 14", got.Students)
	}
}
