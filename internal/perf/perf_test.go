package perf

import (
	"os"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
)

const ms = time.Millisecond

func TestMakespan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		jobs  []time.Duration
		slots int
		want  time.Duration
	}{
		{"none", nil, 4, 0},
		{"one slot adds up", []time.Duration{ms, 2 * ms, 3 * ms}, 1, 6 * ms},
		{"20 equal batches on 4 slots: 5 waves", repeat(1049*ms, 20), 4, 5 * 1049 * ms},
		{"21 batches: a sixth wave", repeat(10*ms, 21), 4, 60 * ms},
		{"in order, first free slot", []time.Duration{5 * ms, ms, ms, ms}, 2, 5 * ms},
		{"more slots than jobs", []time.Duration{3 * ms, 2 * ms}, 8, 3 * ms},
	}
	for _, tt := range tests {
		if got := Makespan(tt.jobs, tt.slots); got != tt.want {
			t.Errorf("%s: Makespan = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func repeat(d time.Duration, n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = d
	}
	return out
}

func TestLowerBound(t *testing.T) {
	t.Parallel()
	comp := []string{moodle.FuncActivitiesCompletion, moodle.FuncCourseCompletion}
	cold := []demo.RequestCost{
		{Function: moodle.FuncEnrolledUsers, Modelled: 1091 * ms},
		{Function: moodle.FuncEnrolledUsers, Modelled: 1080 * ms},
		{Function: moodle.FuncBatch, Inner: []string{moodle.FuncCoursesByField, moodle.FuncCourseContents}, Modelled: 100 * ms},
		{Function: moodle.FuncSubmissions, Modelled: 2010 * ms},
		{Function: moodle.FuncBatch, Inner: []string{moodle.FuncGrades, moodle.FuncUserFlags}, Modelled: 80 * ms},
	}
	for range 20 {
		cold = append(cold, demo.RequestCost{Function: moodle.FuncBatch, Inner: comp, Modelled: 1049 * ms})
	}
	tests := []struct {
		name        string
		reqs        []demo.RequestCost
		concurrency int
		want        time.Duration
	}{
		{"cold 500: roster then 5 waves", cold, 4, 1091*ms + 5*1049*ms},
		{"no completion: structure then submissions is the bound", cold[:5], 4, 2110 * ms},
		{"refresh: roster and batch, then one completion batch", []demo.RequestCost{
			{Function: moodle.FuncEnrolledUsers, Modelled: 1091 * ms},
			{Function: moodle.FuncBatch, Inner: []string{moodle.FuncCourseContents, moodle.FuncSubmissions, moodle.FuncGrades}, Modelled: 900 * ms},
			{Function: moodle.FuncBatch, Inner: comp, Modelled: 1049 * ms},
		}, 4, 1091*ms + 1049*ms},
	}
	for _, tt := range tests {
		if got := LowerBound(tt.reqs, tt.concurrency); got != tt.want {
			t.Errorf("%s: LowerBound = %v; want %v", tt.name, got, tt.want)
		}
	}
	if got := Calls(cold); got != 2+2+1+2+40 {
		t.Errorf("Calls = %d; want 47", got)
	}
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	ds := []time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for _, tt := range []struct {
		p    float64
		want time.Duration
	}{{50, 5}, {90, 9}, {99, 10}, {100, 10}, {10, 1}} {
		if got := Percentile(ds, tt.p); got != tt.want {
			t.Errorf("Percentile(%v) = %v; want %v", tt.p, got, tt.want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("Percentile of nothing is not 0")
	}
}

func TestProcessMemory(t *testing.T) {
	t.Parallel()
	m, err := ProcessMemory(os.Getpid())
	if err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	if m.RSS <= 0 || m.Peak < m.RSS {
		t.Fatalf("memory %+v: want RSS > 0 and peak ≥ RSS", m)
	}
	before, err := ProcessCPU(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	// Busy work until the kernel's CPU count moves (it counts in clock ticks, and a loaded
	// machine can leave a short loop unscheduled), with a deadline.
	for deadline := time.Now().Add(5 * time.Second); ; {
		for end := time.Now().Add(20 * time.Millisecond); time.Now().Before(end); {
		}
		after, err := ProcessCPU(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if after > before {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("CPU %v after 5 s of busy work from %v; want more", after, before)
		}
	}
}
