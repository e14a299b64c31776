package cohort

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// Histogram bounds: submissions 7 or more days before or after due share an end bucket.
const histogramDays = 7

// Timeliness is how one assignment's students handle its deadline and how fast their work is
// graded: the "when do they submit" half of the cohort review.
type Timeliness struct {
	Assignment Assignment
	// Students counts the students in the filter; the status counts split them (Unknown when
	// submissions were not loaded).
	Students   int
	OnTime     int
	Late       int
	Extension  int
	Overdue    int
	Draft      int
	NotStarted int
	Unknown    int
	// Histogram counts submitted work by day relative to the due date (see DayBucket).
	Histogram []DayBucket
	// Graded counts graded submissions; GradingMedian and GradingSlowest are the time from
	// submission to grade over those, SlowestStudent whose work waited longest.
	Graded         int
	GradingMedian  time.Duration
	GradingSlowest time.Duration
	SlowestStudent int64
	// AwaitingGrade counts submitted work without a grade; LongestWait is how long the oldest
	// of it has waited by now.
	AwaitingGrade int
	LongestWait   time.Duration
}

// DayBucket counts submissions made Day days relative to the due date. Day 0 is the last 24
// hours up to the due time (on time), +1 the first 24 hours after it (late), -1 the 24 hours
// before day 0. The end buckets are open: Day -7 holds 7 days early or more, +7 a week late
// or more.
type DayBucket struct {
	Day   int
	Label string // "≤ −7", "−1", "0", "+3", "≥ +7"
	Count int
}

// AssignmentTimeliness returns, per assignment in course order, the deadline and grading
// figures over the students in group (0 for every visible group), suspended enrolments only
// when includeSuspended.
func (c *Cohort) AssignmentTimeliness(group int64, includeSuspended bool) []Timeliness {
	out := make([]Timeliness, len(c.Assignments))
	for ai, a := range c.Assignments {
		t := Timeliness{Assignment: a, Histogram: newHistogram()}
		var grading []time.Duration
		for _, s := range c.Students {
			if s.Suspended && !includeSuspended || group != 0 && !s.InGroup(group) {
				continue
			}
			st := s.Assignments[ai]
			t.Students++
			t.count(st.Status)
			if st.IsSubmitted() && !st.Due.Never() {
				t.Histogram[bucketOf(st.Submitted.Time().Sub(st.Due.Time()))].Count++
			}
			if st.NeedsGrading {
				t.AwaitingGrade++
				t.LongestWait = max(t.LongestWait, c.Now.Sub(st.Submitted.Time()))
			}
			if st.IsSubmitted() && st.Graded && !st.GradedAt.Time().Before(st.Submitted.Time()) {
				d := st.GradedAt.Time().Sub(st.Submitted.Time())
				grading = append(grading, d)
				if d > t.GradingSlowest || t.SlowestStudent == 0 {
					t.GradingSlowest, t.SlowestStudent = d, s.ID
				}
			}
		}
		t.Graded = len(grading)
		t.GradingMedian = medianDuration(grading)
		out[ai] = t
	}
	return out
}

func (t *Timeliness) count(s Status) {
	switch s {
	case StatusSubmitted:
		t.OnTime++
	case StatusLate:
		t.Late++
	case StatusExtension:
		t.Extension++
	case StatusOverdue:
		t.Overdue++
	case StatusDraft:
		t.Draft++
	case StatusNotStarted:
		t.NotStarted++
	default:
		t.Unknown++
	}
}

// newHistogram returns the empty buckets -7 … +7.
func newHistogram() []DayBucket {
	h := make([]DayBucket, 0, 2*histogramDays+1)
	for d := -histogramDays; d <= histogramDays; d++ {
		var label string
		switch {
		case d == -histogramDays:
			label = "≤ −" + strconv.Itoa(histogramDays)
		case d == histogramDays:
			label = "≥ +" + strconv.Itoa(histogramDays)
		case d < 0:
			label = "−" + strconv.Itoa(-d)
		case d > 0:
			label = "+" + strconv.Itoa(d)
		default:
			label = "0"
		}
		h = append(h, DayBucket{Day: d, Label: label})
	}
	return h
}

// bucketOf returns the histogram index for a submission delta after due: whole days rounded
// up, so that on time is ≤ 0 and late is ≥ +1.
func bucketOf(delta time.Duration) int {
	d := int(math.Ceil(delta.Hours() / 24))
	return min(max(d, -histogramDays), histogramDays) + histogramDays
}

func medianDuration(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}
