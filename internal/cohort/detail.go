package cohort

// ActivityDetail is one activity's page: who has completed it, who failed it, who has not,
// and for whom Moodle does not track it.
type ActivityDetail struct {
	Activity Activity
	// Assignment is set, with IsAssignment, when the activity is an assignment; each row then
	// carries the student's assignment status too.
	Assignment   Assignment
	IsAssignment bool
	Group        int64
	// Completed are in state complete or complete-pass, Failed in complete-fail, NotCompleted
	// incomplete; NotListed are students of the filter whose completion for it is not known
	// (not loaded, or Moodle does not list it for them). Each list is sorted by name.
	Completed    []DetailRow
	Failed       []DetailRow
	NotCompleted []DetailRow
	NotListed    []DetailRow
	// AwaitingGrade are the students of NotCompleted (also listed there) who submitted the
	// assignment and wait for the teacher's grade: nothing is theirs to do.
	AwaitingGrade []DetailRow
}

// ToRemind are the students a message about this activity goes to by default: those who have
// not completed it or failed it, leaving out those who wait for a grade.
func (d ActivityDetail) ToRemind() []DetailRow {
	var out []DetailRow
	for _, r := range append(append([]DetailRow{}, d.NotCompleted...), d.Failed...) {
		if !r.Assignment.NeedsGrading {
			out = append(out, r)
		}
	}
	return out
}

// DetailRow is one student on an activity page.
type DetailRow struct {
	Student Student
	// State is the student's completion state (its zero value for NotListed rows).
	State ActivityState
	// Assignment is the student's status when the activity is an assignment.
	Assignment AssignmentStatus
}

// ActivityDetail returns the page of the module cmid over the students in group (0 for every
// visible group), suspended enrolments only when includeSuspended; false when the course has
// no such module.
func (c *Cohort) ActivityDetail(cmid int64, group int64, includeSuspended bool) (ActivityDetail, bool) {
	a, ok := c.Module(cmid)
	if !ok {
		return ActivityDetail{}, false
	}
	d := ActivityDetail{Activity: a, Group: group}
	ai, isAsg := c.asgIndex[cmid]
	if isAsg {
		d.Assignment, d.IsAssignment = c.Assignments[ai], true
	}
	for _, s := range c.Students {
		if s.Suspended && !includeSuspended || group != 0 && !s.InGroup(group) {
			continue
		}
		row := DetailRow{Student: s}
		if isAsg {
			row.Assignment = s.Assignments[ai]
		}
		st, listed := s.ActivityState(cmid)
		row.State = st
		switch {
		case !listed:
			d.NotListed = append(d.NotListed, row)
		case st.State.Done():
			d.Completed = append(d.Completed, row)
		case st.State == StateCompleteFail:
			d.Failed = append(d.Failed, row)
		default:
			d.NotCompleted = append(d.NotCompleted, row)
			if isAsg && row.Assignment.NeedsGrading {
				d.AwaitingGrade = append(d.AwaitingGrade, row)
			}
		}
	}
	return d, true
}
