package cohort_test

import (
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

func TestMedianPathAndSpread(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	zoeTimes := student(t, c, zoe).CompletionTimes()
	if len(zoeTimes) != 8 {
		t.Fatalf("Zoë completed %d activities with a time; want 8", len(zoeTimes))
	}
	for i := 1; i < len(zoeTimes); i++ {
		if zoeTimes[i].Before(zoeTimes[i-1]) {
			t.Fatalf("completion times not in order: %v", zoeTimes)
		}
	}
	first := c.FirstActivity()
	path, ok := c.MedianPath([]time.Time{first.Add(-time.Second), c.Now})
	if !ok || path[0] != 0 {
		t.Fatalf("median path %v (%v); want 0 before the first completion", path, ok)
	}
	// By now the median active student has completed what the contract's median percent says:
	// 75 % of 8 activities.
	if path[1] != 6 {
		t.Errorf("median completed by now = %v; want 6 (75 %% of 8)", path[1])
	}
	bins, n := cohort.CompletionSpread(c.Rows(cohort.Query{}))
	if n != c.ActiveCount {
		t.Errorf("spread counts %d students; want the %d active ones", n, c.ActiveCount)
	}
	sum := 0
	for _, b := range bins {
		sum += b
	}
	if sum != n || bins[10] == 0 || bins[0] == 0 {
		t.Errorf("spread %v over %d students; want every student once, some at 0 %% and some at 100 %%", bins, n)
	}
}
