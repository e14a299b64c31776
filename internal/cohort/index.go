package cohort

import "github.com/knowthystudents/kts/internal/moodle"

// assignIndex holds submissions, grades and extensions by [assignment][student] position,
// indexed once so that Build stays linear in the number of records.
type assignIndex struct {
	subs   [][]*moodle.Submission
	team   []map[int64]*moodle.Submission // group id → team submission, nil when none
	grades [][]*moodle.AssignGrade
	ext    [][]moodle.Time
}

// newAssignIndex indexes in's submissions, grades and user flags against c's assignments and
// students; records of users or assignments c does not hold are ignored.
func newAssignIndex(in Input, c *Cohort) *assignIndex {
	n, ns := len(c.Assignments), len(c.Students)
	x := &assignIndex{
		subs: make([][]*moodle.Submission, n), team: make([]map[int64]*moodle.Submission, n),
		grades: make([][]*moodle.AssignGrade, n), ext: make([][]moodle.Time, n),
	}
	subsAll := make([]*moodle.Submission, n*ns)
	gradesAll := make([]*moodle.AssignGrade, n*ns)
	extAll := make([]moodle.Time, n*ns)
	byAssign := make(map[int64]int, n)
	for i, a := range c.Assignments {
		byAssign[a.ID] = i
		x.subs[i] = subsAll[i*ns : (i+1)*ns]
		x.grades[i] = gradesAll[i*ns : (i+1)*ns]
		x.ext[i] = extAll[i*ns : (i+1)*ns]
	}
	if in.Submissions != nil {
		for _, as := range in.Submissions.Assignments {
			ai, ok := byAssign[as.AssignmentID]
			if !ok {
				continue
			}
			for k := range as.Submissions {
				x.addSubmission(ai, &as.Submissions[k], c.byID)
			}
		}
	}
	if in.Grades != nil {
		for _, ag := range in.Grades.Assignments {
			ai, ok := byAssign[ag.AssignmentID]
			if !ok {
				continue
			}
			for k := range ag.Grades {
				g := &ag.Grades[k]
				si, ok := c.byID[g.UserID]
				if !ok {
					continue
				}
				if old := x.grades[ai][si]; old == nil || newerGrade(g, old) {
					x.grades[ai][si] = g
				}
			}
		}
	}
	if in.UserFlags != nil {
		for _, af := range in.UserFlags.Assignments {
			ai, ok := byAssign[af.AssignmentID]
			if !ok {
				continue
			}
			for _, f := range af.UserFlags {
				if si, ok := c.byID[f.UserID]; ok {
					x.ext[ai][si] = f.ExtensionDueDate
				}
			}
		}
	}
	return x
}

// addSubmission keeps the latest attempt per user; a team submission (user 0) is kept by group.
func (x *assignIndex) addSubmission(ai int, s *moodle.Submission, byID map[int64]int) {
	if s.UserID == 0 && s.GroupID != 0 {
		if x.team[ai] == nil {
			x.team[ai] = make(map[int64]*moodle.Submission)
		}
		if old := x.team[ai][s.GroupID]; old == nil || s.AttemptNumber >= old.AttemptNumber {
			x.team[ai][s.GroupID] = s
		}
		return
	}
	si, ok := byID[s.UserID]
	if !ok {
		return
	}
	if old := x.subs[ai][si]; old == nil || s.AttemptNumber >= old.AttemptNumber {
		x.subs[ai][si] = s
	}
}

// submission returns the student's own latest submission, else their group's team submission.
func (x *assignIndex) submission(ai, si int, s *Student) *moodle.Submission {
	if sub := x.subs[ai][si]; sub != nil || x.team[ai] == nil {
		return sub
	}
	for _, g := range s.Groups {
		if sub := x.team[ai][g.ID]; sub != nil {
			return sub
		}
	}
	return nil
}

// newerGrade prefers the later attempt, then the later change.
func newerGrade(g, old *moodle.AssignGrade) bool {
	if g.AttemptNumber != old.AttemptNumber {
		return g.AttemptNumber > old.AttemptNumber
	}
	return g.TimeModified.Unix() >= old.TimeModified.Unix()
}
