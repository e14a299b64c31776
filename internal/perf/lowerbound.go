package perf

import (
	"slices"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
)

// LowerBound is the least time the course load that made reqs could take against the latency
// model: the same calls, with the load plan's dependencies and its limit of concurrent
// completion batches, and no time at all spent in the dashboard, the network or the JSON.
// The plan (internal/load) is:
//
//	start    roster ─┐                          completion batches, `concurrency` at a time
//	start    active ─┼─ (all three in) ───────▶ ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░
//	start structure ─┴─▶ submissions, grades batch
//
// so the bound is max(first + completion, structure + assignments), where first is the
// slowest of the calls that start at once, completion the makespan of the completion batches
// on `concurrency` slots, and assignments the slower of submissions and the grades batch. An
// incremental refresh has the same shape with its structure batch carrying the assignment
// calls. A ratio of the measured time to this bound is the dashboard's own overhead.
func LowerBound(reqs []demo.RequestCost, concurrency int) time.Duration {
	var first, structure, assignments time.Duration
	var batches []time.Duration
	for _, r := range reqs {
		switch {
		case r.Function == moodle.FuncEnrolledUsers:
			first = max(first, r.Modelled)
		case len(r.Inner) > 0 && slices.Contains(r.Inner, moodle.FuncCourseContents):
			structure = max(structure, r.Modelled)
			first = max(first, r.Modelled)
		case len(r.Inner) > 0 && allCompletion(r.Inner):
			batches = append(batches, r.Modelled)
		case r.Function == moodle.FuncSubmissions,
			len(r.Inner) > 0 && slices.Contains(r.Inner, moodle.FuncGrades):
			assignments = max(assignments, r.Modelled)
		}
	}
	return max(first+Makespan(batches, concurrency), structure+assignments)
}

func allCompletion(fns []string) bool {
	for _, f := range fns {
		if f != moodle.FuncActivitiesCompletion && f != moodle.FuncCourseCompletion {
			return false
		}
	}
	return true
}

// Makespan is when the last of jobs ends, each started in order on the first of `slots` free
// slots (how errgroup.SetLimit runs them).
func Makespan(jobs []time.Duration, slots int) time.Duration {
	if slots < 1 {
		slots = 1
	}
	free := make([]time.Duration, slots) // when each slot is next free
	var end time.Duration
	for _, j := range jobs {
		i := 0
		for k := range free {
			if free[k] < free[i] {
				i = k
			}
		}
		free[i] += j
		end = max(end, free[i])
	}
	return end
}
