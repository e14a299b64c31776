package demo

import (
	"fmt"
	"sort"
)

type wireGrade struct {
	ID            int    `json:"id"`
	Assignment    *int   `json:"assignment,omitempty"`
	Userid        int    `json:"userid"`
	Attemptnumber int    `json:"attemptnumber"`
	Timecreated   int64  `json:"timecreated"`
	Timemodified  int64  `json:"timemodified"`
	Grader        int    `json:"grader"`
	Grade         string `json:"grade"`
}

type wireAssignGrades struct {
	Assignmentid int         `json:"assignmentid"`
	Grades       []wireGrade `json:"grades"`
}

type wireGradesReply struct {
	Assignments []wireAssignGrades `json:"assignments"`
	Warnings    []wireWarning      `json:"warnings"`
}

func wireGradeOf(userID int, g grade) wireGrade {
	return wireGrade{ID: g.id, Userid: userID, Timecreated: g.time, Timemodified: g.time, Grader: g.grader,
		Grade: fmt.Sprintf("%.5f", g.score)}
}

// assignGrades answers mod_assign_get_grades: grades modified at or after
// since. An assignment without any is left out and only warned about.
func assignGrades(c *call) (any, error) {
	ids, err := c.a.ints("assignmentids")
	if err != nil {
		return nil, err
	}
	since, err := c.a.intOr("since", 0)
	if err != nil {
		return nil, err
	}
	out := wireGradesReply{Assignments: []wireAssignGrades{}, Warnings: []wireWarning{}}
	for _, id := range ids {
		ref, ok := c.gradingAssign(id)
		if !ok {
			out.Warnings = append(out.Warnings, noAccessWarning(int(id)))
			continue
		}
		var list []wireGrade
		for _, e := range ref.co.enrols {
			if e.p == nil {
				continue
			}
			if g := e.p.grades[ref.m.assignIdx]; g.set && g.time >= since {
				list = append(list, wireGradeOf(e.user.id, g))
			}
		}
		c.work(float64(len(list)))
		if len(list) == 0 {
			out.Warnings = append(out.Warnings, wireWarning{Item: "assignment", Itemid: ref.m.assignID,
				Warningcode: "3", Message: "No grades found"})
			continue
		}
		sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
		out.Assignments = append(out.Assignments, wireAssignGrades{Assignmentid: ref.m.assignID, Grades: list})
	}
	return out, nil
}

type wireUserFlag struct {
	ID               int    `json:"id"`
	Userid           int    `json:"userid"`
	Locked           int    `json:"locked"`
	Mailed           int    `json:"mailed"`
	Extensionduedate int64  `json:"extensionduedate"`
	Workflowstate    string `json:"workflowstate"`
	Allocatedmarker  int    `json:"allocatedmarker"`
}

type wireAssignFlags struct {
	Assignmentid int            `json:"assignmentid"`
	Userflags    []wireUserFlag `json:"userflags"`
}

type wireFlagsReply struct {
	Assignments []wireAssignFlags `json:"assignments"`
	Warnings    []wireWarning     `json:"warnings"`
}

// userFlags answers mod_assign_get_user_flags: extensions (and the flags
// grading creates). An assignment without flags is only warned about.
func userFlags(c *call) (any, error) {
	ids, err := c.a.ints("assignmentids")
	if err != nil {
		return nil, err
	}
	out := wireFlagsReply{Assignments: []wireAssignFlags{}, Warnings: []wireWarning{}}
	for _, id := range ids {
		ref, ok := c.gradingAssign(id)
		if !ok {
			out.Warnings = append(out.Warnings, noAccessWarning(int(id)))
			continue
		}
		var list []wireUserFlag
		for _, e := range ref.co.enrols {
			if e.p == nil {
				continue
			}
			if f := e.p.flags[ref.m.assignIdx]; f.set {
				list = append(list, wireUserFlag{ID: f.id, Userid: e.user.id, Mailed: 2, Extensionduedate: f.extension})
			}
		}
		if len(list) == 0 {
			out.Warnings = append(out.Warnings, wireWarning{Item: "assignment", Itemid: ref.m.assignID,
				Warningcode: "3", Message: "No user flags found"})
			continue
		}
		out.Assignments = append(out.Assignments, wireAssignFlags{Assignmentid: ref.m.assignID, Userflags: list})
	}
	return out, nil
}
