package cohort_test

import (
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
)

// benchNow is the synthetic cohorts' "now".
func benchNow() time.Time { return time.Date(2026, 11, 22, 19, 44, 48, 0, time.UTC) }

func benchmarkBuild(b *testing.B, n int) {
	in := intaketest.Synthetic(n, benchNow())
	b.ReportAllocs()
	for b.Loop() {
		cohort.Build(in, benchNow(), cohort.DefaultConfig())
	}
}

func BenchmarkBuild500(b *testing.B)  { benchmarkBuild(b, 500) }
func BenchmarkBuild5000(b *testing.B) { benchmarkBuild(b, 5000) }

func BenchmarkRows500(b *testing.B) {
	c := cohort.Build(intaketest.Synthetic(500, benchNow()), benchNow(), cohort.DefaultConfig())
	queries := []cohort.Query{
		{},
		{Search: "nguyen", Sort: cohort.SortCompletion, Desc: true},
		{Group: 4, Attention: true, Suspended: true, Sort: cohort.SortAccess},
		{Sort: cohort.SortAssignment(24)},
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range queries {
			c.Rows(q)
		}
	}
}

func BenchmarkActivityReport500(b *testing.B) {
	c := cohort.Build(intaketest.Synthetic(500, benchNow()), benchNow(), cohort.DefaultConfig())
	b.ReportAllocs()
	for b.Loop() {
		c.ActivityReport(0, false)
		c.AssignmentTimeliness(0, false)
	}
}

// TestSyntheticShape keeps the benchmark input honest: the sizes and mix it claims.
func TestSyntheticShape(t *testing.T) {
	t.Parallel()
	c := cohort.Build(intaketest.Synthetic(500, benchNow()), benchNow(), cohort.DefaultConfig())
	if len(c.Students) != 500 || len(c.Activities) != 25 || len(c.Assignments) != 5 || len(c.Groups) != 6 {
		t.Fatalf("synthetic: %d students, %d activities, %d assignments, %d groups", len(c.Students), len(c.Activities), len(c.Assignments), len(c.Groups))
	}
	if c.SuspendedCount == 0 || c.FlagCounts[0].Count == 0 || !c.MedianKnown {
		t.Errorf("synthetic cohort lacks variety: suspended %d, flags %v", c.SuspendedCount, c.FlagCounts)
	}
	for _, q := range []cohort.Query{{Search: "nguyen"}, {Sort: cohort.SortAssignment(24)}} {
		if len(c.Rows(q)) == 0 {
			t.Errorf("Rows(%+v) is empty", q)
		}
	}
}
