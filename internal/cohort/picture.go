package cohort

import (
	"slices"
	"time"
)

// CompletionTimes are the moments st completed activities (complete or complete-pass with a
// time Moodle gives), in order: the steps of their path through the course.
func (st Student) CompletionTimes() []time.Time {
	var out []time.Time
	for _, a := range st.Activities {
		if a.State.Done() && !a.TimeCompleted.Never() {
			out = append(out, a.TimeCompleted.Time())
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// MedianPath is, at each of the moments at, how many activities the course's median active
// student had completed by then (the students whose completion is loaded; suspended
// enrolments left out, as for the behind flag). ok is false when no student's completion is in.
func (c *Cohort) MedianPath(at []time.Time) (counts []float64, ok bool) {
	var paths [][]time.Time
	for _, s := range c.Students {
		if !s.Suspended && s.Completion.Loaded {
			paths = append(paths, s.CompletionTimes())
		}
	}
	if len(paths) == 0 {
		return nil, false
	}
	n := make([]int, len(paths))
	counts = make([]float64, len(at))
	for i, t := range at {
		for j, p := range paths {
			k, _ := slices.BinarySearchFunc(p, t, func(e, t time.Time) int {
				if e.After(t) {
					return 1
				}
				return -1
			})
			n[j] = k
		}
		counts[i] = medianInts(n)
	}
	return counts, true
}

// FirstActivity is the earliest completion of any student of the course (zero when none): where
// a picture of the course's progress over time starts.
func (c *Cohort) FirstActivity() time.Time {
	var first time.Time
	for _, s := range c.Students {
		if ts := s.CompletionTimes(); len(ts) > 0 && (first.IsZero() || ts[0].Before(first)) {
			first = ts[0]
		}
	}
	return first
}

// CompletionSpread counts the students of rows by completion percent in tenths: [0] for 0–9 %,
// ..., [9] for 90–99 %, [10] for 100 %; students whose completion is not loaded are left out.
func CompletionSpread(rows []Student) (bins [11]int, counted int) {
	for _, s := range rows {
		if !s.Completion.Loaded {
			continue
		}
		p := min(max(s.Completion.Percent, 0), 100)
		bins[p/10]++
		counted++
	}
	return bins, counted
}

func medianInts(n []int) float64 {
	s := slices.Clone(n)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return float64(s[m])
	}
	return float64(s[m-1]+s[m]) / 2
}
