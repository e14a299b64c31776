package cohort

import (
	"slices"
	"strconv"

	"github.com/knowthystudents/kts/internal/moodle"
)

// fillCompletion gives every student whose completion was loaded their activity states in
// course order, their totals and Moodle's progress percent; it also marks pass or fail on
// assignments whose completion requires a passing grade.
func (c *Cohort) fillCompletion(comp map[int64]*moodle.ActivitiesCompletion, course map[int64]*moodle.CourseCompletion, names map[int64]string) {
	total := 0
	for _, s := range c.Students {
		if ac := comp[s.ID]; ac != nil {
			total += len(ac.Statuses)
		}
	}
	all := make([]ActivityState, 0, total)
	var order []int
	for si := range c.Students {
		s := &c.Students[si]
		ac := comp[s.ID]
		if ac == nil {
			c.CompletionMissing++
			continue
		}
		start := len(all)
		order = order[:0]
		for _, st := range ac.Statuses {
			order = append(order, c.activityFor(st))
			all = append(all, stateOf(st, names))
		}
		states := all[start:len(all):len(all)]
		if !slices.IsSorted(order) {
			sortByOrder(states, order)
		}
		s.Activities = states
		s.Completion = completionOf(states, course[s.ID])
		for _, st := range states {
			if ai, ok := c.asgIndex[st.CMID]; ok && st.PassGrade {
				s.Assignments[ai].Result = resultOf(st.State)
			}
		}
	}
}

// stateOf converts one Moodle status.
func stateOf(st moodle.ActivityStatus, names map[int64]string) ActivityState {
	a := ActivityState{CMID: st.CMID, State: State(st.State), TimeCompleted: st.TimeCompleted, Tracking: Tracking(st.Tracking)}
	if st.OverrideBy != nil && *st.OverrideBy != 0 {
		a.OverrideBy = *st.OverrideBy
		a.OverrideByName = names[a.OverrideBy]
	}
	for _, d := range st.Details {
		if d.RuleName == "completionpassgrade" {
			a.PassGrade = true
		}
	}
	return a
}

// completionOf sums the states up as Moodle does: complete-fail is not done, and a completed
// course is 100 %.
func completionOf(states []ActivityState, course *moodle.CourseCompletion) Completion {
	c := Completion{Loaded: true, Total: len(states)}
	for _, st := range states {
		switch {
		case st.State.Done():
			c.Completed++
		case st.State == StateCompleteFail:
			c.Failed++
		}
	}
	c.CourseCompleted = course != nil && course.CompletionStatus.Completed
	switch {
	case c.CourseCompleted:
		c.Percent = 100
	case c.Total > 0:
		c.Percent = c.Completed * 100 / c.Total
	}
	return c
}

func resultOf(s State) GradeResult {
	switch s {
	case StateCompletePass:
		return ResultPass
	case StateCompleteFail:
		return ResultFail
	}
	return ResultUnknown
}

// activityFor returns the course-order position of a status's activity. An activity the
// course contents do not list with completion (contents not loaded, or changed since) is
// added at the end, so that no completion Moodle reports is lost.
func (c *Cohort) activityFor(st moodle.ActivityStatus) int {
	if i, ok := c.actIndex[st.CMID]; ok {
		return i
	}
	a := Activity{CMID: st.CMID, ModName: st.ModName, Completion: Tracking(st.Tracking), Visible: true}
	if m, ok := c.modIndex[st.CMID]; ok {
		a = c.Modules[m]
		a.Completion = Tracking(st.Tracking)
	} else if ai, ok := c.asgIndex[st.CMID]; ok {
		a.Name, a.Section = c.Assignments[ai].Name, c.Assignments[ai].Section
	} else {
		a.Name = st.ModName + " " + strconv.FormatInt(st.CMID, 10)
	}
	if a.Completion == TrackingNone {
		a.Completion = TrackingAutomatic
	}
	c.actIndex[st.CMID] = len(c.Activities)
	c.Activities = append(c.Activities, a)
	return len(c.Activities) - 1
}

// sortByOrder sorts states by their activity positions (order, same length), in place.
func sortByOrder(states []ActivityState, order []int) {
	type pair struct {
		pos int
		st  ActivityState
	}
	ps := make([]pair, len(states))
	for i := range states {
		ps[i] = pair{order[i], states[i]}
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return a.pos - b.pos })
	for i := range ps {
		states[i] = ps[i].st
	}
}

// fillFlags computes the median the "behind" flag compares with, then every student's flags
// and the course's flag counts.
func (c *Cohort) fillFlags() {
	var hist [101]int
	n := 0
	for _, s := range c.Students {
		if !s.Suspended && s.Completion.comparable() {
			hist[min(max(s.Completion.Percent, 0), 100)]++
			n++
		}
	}
	if n > 0 {
		c.MedianCompletion, c.MedianKnown = medianOf(hist[:], n), true
	}
	fc := flagContext{
		now: c.Now, cfg: c.Config, median: c.MedianCompletion, medianKnown: c.MedianKnown,
		assignments: c.Assignments, activityNames: make(map[int64]string, len(c.Activities)),
	}
	for _, a := range c.Activities {
		fc.activityNames[a.CMID] = a.Name
	}
	for i := range c.Students {
		c.Students[i].Flags = flagsOf(&c.Students[i], fc)
	}
	var active []Student
	for _, s := range c.Students {
		if !s.Suspended {
			active = append(active, s)
		}
	}
	c.FlagCounts = CountFlags(active)
	for i := range c.FlagCounts {
		if c.FlagCounts[i].Code == FlagSuspended {
			c.FlagCounts[i].Count = c.SuspendedCount
		}
	}
}

// medianOf returns the median of n values given as a histogram of whole percents.
func medianOf(hist []int, n int) float64 {
	nth := func(k int) int { // the k-th smallest, 0-based
		for v, cnt := range hist {
			if k < cnt {
				return v
			}
			k -= cnt
		}
		return len(hist) - 1
	}
	if n%2 == 1 {
		return float64(nth(n / 2))
	}
	return float64(nth(n/2-1)+nth(n/2)) / 2
}
