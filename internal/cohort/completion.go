package cohort

import (
	"slices"
	"strconv"
)

// fillCompletion gives every student whose completion was loaded their activity states in
// course order, their totals and Moodle's progress percent; it also marks pass or fail on
// assignments whose completion requires a passing grade.
func (c *Cohort) fillCompletion(comp map[int64][]CompletionStatus, course map[int64]bool, names map[int64]string) {
	total := 0
	for _, s := range c.Students {
		total += len(comp[s.ID])
	}
	all := make([]ActivityState, 0, total)
	var order []int
	asgOf := c.assignmentPositions()
	for si := range c.Students {
		s := &c.Students[si]
		ac, ok := comp[s.ID]
		if !ok {
			c.CompletionMissing++
			continue
		}
		start := len(all)
		order = order[:0]
		next := 0 // statuses come in course order: try the next activity before the map
		for k := range ac {
			st := &ac[k]
			pos := next
			if pos >= len(c.Activities) || c.Activities[pos].CMID != st.CMID {
				pos = c.activityFor(st)
				asgOf = c.assignmentPositions()
			}
			next = pos + 1
			order = append(order, pos)
			all = append(all, stateOf(st, names))
		}
		states := all[start:len(all):len(all)]
		if !slices.IsSorted(order) {
			sortByOrder(states, order)
		}
		s.Activities = states
		s.Completion = completionOf(states, course[s.ID])
		for k, st := range states {
			if ai := asgOf[order[k]]; ai >= 0 && st.PassGrade {
				s.Assignments[ai].Result = resultOf(st.State)
			}
		}
	}
}

// assignmentPositions maps each activity's position to its assignment's position, -1 for an
// activity that is no assignment.
func (c *Cohort) assignmentPositions() []int {
	out := make([]int, len(c.Activities))
	for i, a := range c.Activities {
		out[i] = -1
		if ai, ok := c.asgIndex[a.CMID]; ok {
			out[i] = ai
		}
	}
	return out
}

// stateOf converts one Moodle status.
func stateOf(st *CompletionStatus, names map[int64]string) ActivityState {
	a := ActivityState{CMID: st.CMID, State: st.State, TimeCompleted: st.TimeCompleted, Tracking: st.Tracking, PassGrade: st.PassGrade}
	if st.OverrideBy != 0 {
		a.OverrideBy = st.OverrideBy
		a.OverrideByName = names[a.OverrideBy]
	}
	return a
}

// completionOf sums the states up as Moodle does: complete-fail is not done, and a completed
// course is 100 %.
func completionOf(states []ActivityState, courseCompleted bool) Completion {
	c := Completion{Loaded: true, Total: len(states)}
	for _, st := range states {
		switch {
		case st.State.Done():
			c.Completed++
		case st.State == StateCompleteFail:
			c.Failed++
		}
	}
	c.CourseCompleted = courseCompleted
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
func (c *Cohort) activityFor(st *CompletionStatus) int {
	if i, ok := c.actIndex[st.CMID]; ok {
		return i
	}
	a := Activity{CMID: st.CMID, ModName: st.ModName, Completion: st.Tracking, Visible: true}
	if m, ok := c.modIndex[st.CMID]; ok {
		a = c.Modules[m]
		a.Completion = st.Tracking
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

// sortByOrder sorts states by their activity positions (order, same length), both in place.
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
		order[i], states[i] = ps[i].pos, ps[i].st
	}
}
