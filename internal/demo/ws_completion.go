package demo

import (
	"fmt"
	"strings"
)

type wireActivityStatus struct {
	Cmid              int        `json:"cmid"`
	Modname           string     `json:"modname"`
	Instance          int        `json:"instance"`
	State             int        `json:"state"`
	Timecompleted     int64      `json:"timecompleted"`
	Tracking          int        `json:"tracking"`
	Overrideby        *int       `json:"overrideby"`
	Valueused         bool       `json:"valueused"`
	Hascompletion     bool       `json:"hascompletion"`
	Isautomatic       bool       `json:"isautomatic"`
	Istrackeduser     bool       `json:"istrackeduser"`
	Uservisible       bool       `json:"uservisible"`
	Details           []wireRule `json:"details"`
	Isoverallcomplete bool       `json:"isoverallcomplete"`
}

type wireActivitiesCompletion struct {
	Statuses []wireActivityStatus `json:"statuses"`
	Warnings []wireWarning        `json:"warnings"`
}

// completionTarget runs the checks both completion functions share and
// returns the course, the caller's enrolment and the target's (nil when the
// user is not enrolled).
func (c *call) completionTarget() (*course, *enrolment, *user, *enrolment, error) {
	cid, err := c.a.reqInt("courseid")
	if err != nil {
		return nil, nil, nil, nil, err
	}
	uid, err := c.a.reqInt("userid")
	if err != nil {
		return nil, nil, nil, nil, err
	}
	co, err := c.courseByID(cid)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	u, err := c.userByID(uid)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	me, err := c.enrolled(co)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return co, me, u, co.enrolByUser[u.id], nil
}

// groupVisible is groups_user_groups_visible: may the caller see the user
// given separate groups?
func groupVisible(co *course, me, target *enrolment) bool {
	if target == nil {
		return me.accessAllGroups || co.groupmode != separateGroups
	}
	return canSeeUser(co, me, target)
}

// activitiesCompletion answers core_completion_get_activities_completion_status:
// only activities with completion, in course order. A student may ask only
// about herself.
func activitiesCompletion(c *call) (any, error) {
	co, me, u, target, err := c.completionTarget()
	if err != nil {
		return nil, err
	}
	if u.id != c.u.id {
		if !me.isTeacher() {
			return nil, errNoCapability("View activity completion reports")
		}
		if !groupVisible(co, me, target) {
			return nil, errAccessDenied()
		}
	}
	out := wireActivitiesCompletion{Statuses: []wireActivityStatus{}, Warnings: []wireWarning{}}
	for _, m := range co.mods {
		if m.completion == 0 {
			continue
		}
		d := c.wireCompletion(co, target, m)
		out.Statuses = append(out.Statuses, wireActivityStatus{
			Cmid: m.cmid, Modname: m.modname, Instance: m.instance, State: d.State,
			Timecompleted: d.Timecompleted, Tracking: m.completion, Overrideby: d.Overrideby,
			Hascompletion: true, Isautomatic: d.Isautomatic, Istrackeduser: d.Istrackeduser,
			Uservisible: true, Details: d.Details, Isoverallcomplete: d.Isoverallcomplete,
		})
		c.work(1)
	}
	return out, nil
}

type wireCriterionDetails struct {
	Type        string `json:"type"`
	Criteria    string `json:"criteria"`
	Requirement string `json:"requirement"`
	Status      string `json:"status"`
}

type wireCriterion struct {
	Type          int                  `json:"type"`
	Title         string               `json:"title"`
	Status        string               `json:"status"`
	Complete      bool                 `json:"complete"`
	Timecompleted *int64               `json:"timecompleted"`
	Details       wireCriterionDetails `json:"details"`
}

type wireCompletionStatus struct {
	Completed   bool            `json:"completed"`
	Aggregation int             `json:"aggregation"`
	Completions []wireCriterion `json:"completions"`
}

type wireCourseCompletion struct {
	Completionstatus wireCompletionStatus `json:"completionstatus"`
	Warnings         []wireWarning        `json:"warnings"`
}

// requirementText is how the course completion report words an activity
// criterion's rules.
func requirementText(m *module) string {
	if m.completion == 1 {
		return "Marking complete"
	}
	var parts []string
	for _, r := range m.rules {
		switch r {
		case "completionview":
			parts = append(parts, "Viewing")
		case "completionusegrade":
			parts = append(parts, "Achieving grade")
		case "completionpassgrade":
			parts = append(parts, "Achieving passing grade")
		}
	}
	return strings.Join(parts, ", ")
}

// courseCompletion answers core_completion_get_course_completion_status:
// criteria are all the course's assignments (aggregation ALL). A student
// asking about someone else gets cannotviewreport; a user completion does
// not track (suspended, not a student) gets usernotenroled.
func courseCompletion(c *call) (any, error) {
	co, me, u, target, err := c.completionTarget()
	if err != nil {
		return nil, err
	}
	if u.id != c.u.id {
		if !me.isTeacher() {
			return nil, errMoodle("cannotviewreport", "You cannot view this report")
		}
		if !groupVisible(co, me, target) {
			return nil, errAccessDenied()
		}
	}
	if target == nil || !target.tracked() {
		if u.id == c.u.id {
			return nil, errMoodle("notenroled", "You are not enrolled in this course")
		}
		return nil, errMoodle("usernotenroled", "User is not enrolled in this course")
	}
	done, _ := co.courseComplete(target)
	out := wireCourseCompletion{
		Completionstatus: wireCompletionStatus{Completed: done, Aggregation: 1, Completions: []wireCriterion{}},
		Warnings:         []wireWarning{},
	}
	for _, m := range co.criteria {
		st := co.completionOf(target, m)
		w := wireCriterion{Type: 4, Title: "Activity completion", Status: "No",
			Details: wireCriterionDetails{Type: "Activity completion",
				Criteria:    fmt.Sprintf(`<a href="%s/mod/%s/view.php?id=%d">%s</a>`, c.base, m.modname, m.cmid, m.name),
				Requirement: requirementText(m)}}
		if isDone(st.state) {
			w.Status, w.Complete, w.Timecompleted = "Yes", true, ptr(st.time)
		}
		out.Completionstatus.Completions = append(out.Completionstatus.Completions, w)
	}
	return out, nil
}
