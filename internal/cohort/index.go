package cohort

import "github.com/knowthystudents/kts/internal/when"

// assignIndex holds submissions, grades and extensions by [assignment][student] position,
// indexed once so that Build stays linear in the number of records.
type assignIndex struct {
	subs   [][]*Submission
	team   []map[int64]*Submission // group id → team submission, nil when none
	grades [][]*Grade
	ext    [][]when.Time
}

// newAssignIndex indexes in's submissions, grades and extensions against c's assignments and
// students; records of users or assignments c does not hold are ignored.
func newAssignIndex(in Input, c *Cohort) *assignIndex {
	n, ns := len(c.Assignments), len(c.Students)
	x := &assignIndex{
		subs: make([][]*Submission, n), team: make([]map[int64]*Submission, n),
		grades: make([][]*Grade, n), ext: make([][]when.Time, n),
	}
	subsAll := make([]*Submission, n*ns)
	gradesAll := make([]*Grade, n*ns)
	extAll := make([]when.Time, n*ns)
	byAssign := make(map[int64]int, n)
	for i, a := range c.Assignments {
		byAssign[a.ID] = i
		x.subs[i] = subsAll[i*ns : (i+1)*ns]
		x.grades[i] = gradesAll[i*ns : (i+1)*ns]
		x.ext[i] = extAll[i*ns : (i+1)*ns]
	}
	for _, as := range in.Submissions {
		ai, ok := byAssign[as.AssignmentID]
		if !ok {
			continue
		}
		for k := range as.Submissions {
			x.addSubmission(ai, &as.Submissions[k], c.byID)
		}
	}
	for k := range in.Grades {
		g := &in.Grades[k]
		ai, ok := byAssign[g.AssignmentID]
		if !ok {
			continue
		}
		si, ok := c.byID[g.UserID]
		if !ok {
			continue
		}
		if old := x.grades[ai][si]; old == nil || newerGrade(g, old) {
			x.grades[ai][si] = g
		}
	}
	for _, e := range in.Extensions {
		ai, ok := byAssign[e.AssignmentID]
		if !ok {
			continue
		}
		if si, ok := c.byID[e.UserID]; ok {
			x.ext[ai][si] = e.Until
		}
	}
	return x
}

// addSubmission keeps the latest attempt per user; a team submission (user 0) is kept by group.
func (x *assignIndex) addSubmission(ai int, s *Submission, byID map[int64]int) {
	if s.UserID == 0 && s.GroupID != 0 {
		if x.team[ai] == nil {
			x.team[ai] = make(map[int64]*Submission)
		}
		if old := x.team[ai][s.GroupID]; old == nil || s.Attempt >= old.Attempt {
			x.team[ai][s.GroupID] = s
		}
		return
	}
	si, ok := byID[s.UserID]
	if !ok {
		return
	}
	if old := x.subs[ai][si]; old == nil || s.Attempt >= old.Attempt {
		x.subs[ai][si] = s
	}
}

// submission returns the student's own latest submission, else their group's team submission.
func (x *assignIndex) submission(ai, si int, s *Student) *Submission {
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
func newerGrade(g, old *Grade) bool {
	if g.Attempt != old.Attempt {
		return g.Attempt > old.Attempt
	}
	return g.Modified.Unix() >= old.Modified.Unix()
}
