package demo

import (
	"strings"
)

type wireUserCourse struct {
	ID                       int      `json:"id"`
	Shortname                string   `json:"shortname"`
	Fullname                 string   `json:"fullname"`
	Displayname              string   `json:"displayname"`
	Enrolledusercount        *int     `json:"enrolledusercount,omitempty"`
	Idnumber                 string   `json:"idnumber"`
	Visible                  int      `json:"visible"`
	Summary                  string   `json:"summary"`
	Summaryformat            int      `json:"summaryformat"`
	Format                   string   `json:"format"`
	Courseimage              string   `json:"courseimage"`
	Showgrades               bool     `json:"showgrades"`
	Lang                     string   `json:"lang"`
	Enablecompletion         bool     `json:"enablecompletion"`
	Completionhascriteria    bool     `json:"completionhascriteria"`
	Completionusertracked    bool     `json:"completionusertracked"`
	Category                 int      `json:"category"`
	Progress                 *float64 `json:"progress"`
	Completed                bool     `json:"completed"`
	Startdate                int64    `json:"startdate"`
	Enddate                  int64    `json:"enddate"`
	Marker                   int      `json:"marker"`
	Lastaccess               *int64   `json:"lastaccess"`
	Isfavourite              bool     `json:"isfavourite"`
	Hidden                   bool     `json:"hidden"`
	Overviewfiles            []any    `json:"overviewfiles"`
	Showactivitydates        bool     `json:"showactivitydates"`
	Showcompletionconditions bool     `json:"showcompletionconditions"`
	Timemodified             int64    `json:"timemodified"`
}

// usersCourses answers core_enrol_get_users_courses: the user's active
// enrolments (a suspended-only student gets []), each with the user's
// progress, completion and last access. Another user's courses are listed
// where the caller is enrolled too.
func usersCourses(c *call) (any, error) {
	id, err := c.a.reqInt("userid")
	if err != nil {
		return nil, err
	}
	withCount, err := c.a.boolOr("returnusercount", true)
	if err != nil {
		return nil, err
	}
	u, err := c.userByID(id)
	if err != nil {
		return nil, err
	}
	out := []wireUserCourse{}
	for _, co := range c.s.coursesOf(u.id) {
		if u.id != c.u.id {
			if me := co.enrolByUser[c.u.id]; me == nil || me.suspended {
				continue
			}
		}
		e := co.enrolByUser[u.id]
		w := wireUserCourse{
			ID: co.id, Shortname: co.shortname, Fullname: co.fullname, Displayname: co.fullname,
			Idnumber: co.idnumber, Visible: 1, Summary: co.summary, Summaryformat: 1, Format: "topics",
			Courseimage: c.courseImageURL(co), Showgrades: true, Enablecompletion: true,
			Completionhascriteria: len(co.criteria) > 0, Completionusertracked: e.tracked(), Category: 1,
			Startdate: co.startdate, Enddate: co.enddate, Overviewfiles: []any{},
			Showcompletionconditions: true, Timemodified: co.timemodified,
		}
		if withCount {
			w.Enrolledusercount = ptr(len(co.enrols))
		}
		if pct, ok := co.progressPercent(e); ok {
			w.Progress = ptr(pct)
		}
		w.Completed, _ = co.courseComplete(e)
		if e.lastcourseaccess > 0 {
			w.Lastaccess = ptr(e.lastcourseaccess)
		}
		out = append(out, w)
	}
	return out, nil
}

// enrolledUsers answers core_enrol_get_enrolled_users. Moodle pages the
// enrolment query first (limitfrom, limitnumber, by user id) and then drops
// the users the caller may not see (separate groups), so a non-editing
// teacher's page can hold fewer users than asked for; the demo does the
// same. Suspended enrolments are listed unless onlyactive=1.
func enrolledUsers(c *call) (any, error) {
	id, err := c.a.reqInt("courseid")
	if err != nil {
		return nil, err
	}
	opts, err := c.a.options()
	if err != nil {
		return nil, err
	}
	co, err := c.courseByID(id)
	if err != nil {
		return nil, err
	}
	me := co.enrolByUser[c.u.id]
	if me == nil || me.suspended {
		return nil, errCourseContext(co.id)
	}
	intOpt := func(name string) (int64, error) {
		if v, ok := opts[name]; ok {
			return parseInt(v)
		}
		return 0, nil
	}
	groupID, err := intOpt("groupid")
	if err != nil {
		return nil, err
	}
	onlyActive, err := parseBool(opts["onlyactive"])
	if err != nil {
		return nil, err
	}
	limitFrom, err := intOpt("limitfrom")
	if err != nil {
		return nil, err
	}
	limitNumber, err := intOpt("limitnumber")
	if err != nil {
		return nil, err
	}
	capability := opts["withcapability"]
	if capability != "" && !me.isTeacher() {
		return nil, errNoCapability("Review permissions for others")
	}
	if groupID != 0 && !canSeeGroup(co, me, int(groupID)) {
		return nil, errNoCapability("Access all groups")
	}
	if onlyActive && me.role != roleEditingTeacher {
		return nil, errNoCapability("Review course enrolments")
	}
	var fields fieldSet
	if uf, ok := opts["userfields"]; ok {
		fields = fieldSet{"id": true}
		for _, f := range strings.Split(uf, ",") {
			fields[strings.TrimSpace(f)] = true
		}
	}

	var matched []*enrolment
	for _, e := range co.enrols {
		if onlyActive && e.suspended || groupID != 0 && !e.inGroup(int(groupID)) ||
			capability != "" && !hasCapability(e, capability) {
			continue
		}
		matched = append(matched, e)
	}
	from := min(int(max(limitFrom, 0)), len(matched))
	matched = matched[from:]
	if limitNumber > 0 && int(limitNumber) < len(matched) {
		matched = matched[:limitNumber]
	}
	out := []wireUserDetails{}
	for _, e := range matched {
		if !canSeeUser(co, me, e) {
			continue
		}
		out = append(out, c.userDetails(e.user, detailOpts{
			fields: fields, teacherView: me.isTeacher(), self: e.user.id == c.u.id,
			withCourseAcc: true, co: co, e: e, withEnrolments: true,
			hideEmail: !me.isTeacher() && e.suspended,
		}))
	}
	units := float64(len(out))
	if fields != nil {
		units *= 0.645 // a trimmed userfields list is cheaper, as measured
	}
	c.work(units)
	return out, nil
}

// hasCapability answers whether an enrolment's role has a capability in the
// course, for the capabilities clients pass as withcapability.
func hasCapability(e *enrolment, capability string) bool {
	switch capability {
	case "mod/assign:submit", "mod/quiz:attempt", "moodle/course:isincompletionreports":
		return e.isStudent()
	case "moodle/course:viewparticipants", "mod/assign:view", "moodle/grade:view":
		return true
	case "moodle/course:managegroups", "moodle/course:update", "moodle/course:enrolreview":
		return e.role == roleEditingTeacher
	default: // grading, reports and viewing capabilities of teachers
		return e.isTeacher()
	}
}
