package demo

import "fmt"

type wireGroup struct {
	ID                int     `json:"id"`
	Courseid          int     `json:"courseid"`
	Name              string  `json:"name"`
	Description       string  `json:"description"`
	Descriptionformat int     `json:"descriptionformat"`
	Enrolmentkey      *string `json:"enrolmentkey"`
	Idnumber          string  `json:"idnumber"`
	Visibility        int     `json:"visibility"`
	Participation     bool    `json:"participation"`
}

// courseGroups answers core_group_get_course_groups, which needs
// moodle/course:managegroups: editing teachers only. A non-editing teacher
// uses core_group_get_groups_for_selector instead.
func courseGroups(c *call) (any, error) {
	id, err := c.a.reqInt("courseid")
	if err != nil {
		return nil, err
	}
	// Moodle validates the course context first: an unknown course and a
	// course the caller is not in both fail as errorcoursecontextnotvalid.
	co := c.s.courseByID[int(id)]
	if co == nil || co.enrolByUser[c.u.id] == nil || co.enrolByUser[c.u.id].suspended {
		return nil, errCourseContext(int(id))
	}
	me := co.enrolByUser[c.u.id]
	if !hasCapability(me, "moodle/course:managegroups") {
		return nil, errNoCapability("Manage groups")
	}
	out := []wireGroup{}
	for _, g := range co.groups {
		out = append(out, wireGroup{ID: g.id, Courseid: co.id, Name: g.name, Description: g.description,
			Descriptionformat: 1, Idnumber: g.idnumber, Participation: true})
	}
	return out, nil
}

type wireSelectorGroup struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Groupimageurl string `json:"groupimageurl"`
}

type wireGroupsForSelector struct {
	Groups   []wireSelectorGroup `json:"groups"`
	Warnings []wireWarning       `json:"warnings"`
}

// groupsForSelector answers core_group_get_groups_for_selector: the groups
// the caller may pick, with "All participants" (id "0") first for those who
// may see every group. Ids are strings, as Moodle sends them.
func groupsForSelector(c *call) (any, error) {
	id, err := c.a.reqInt("courseid")
	if err != nil {
		return nil, err
	}
	co, me, err := c.courseAsMember(id)
	if err != nil {
		return nil, err
	}
	out := wireGroupsForSelector{Groups: []wireSelectorGroup{}, Warnings: []wireWarning{}}
	if me.accessAllGroups || co.groupmode != separateGroups {
		out.Groups = append(out.Groups, wireSelectorGroup{ID: "0", Name: "All participants",
			Groupimageurl: c.base + "/theme/image.php/boost/core/" + c.themeRev() + "/g/g1"})
	}
	for _, g := range co.groups {
		if !canSeeGroup(co, me, g.id) {
			continue
		}
		out.Groups = append(out.Groups, wireSelectorGroup{ID: itoa(g.id), Name: g.name,
			Groupimageurl: fmt.Sprintf("%s/pluginfile.php/%d/group/generated/%d/group.svg", c.base, co.ctxid, g.id)})
	}
	return out, nil
}
