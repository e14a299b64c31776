package demo

import "sort"

type wireUpdate struct {
	Name        string `json:"name"`
	Timeupdated *int64 `json:"timeupdated,omitempty"`
	Itemids     []int  `json:"itemids,omitempty"`
}

type wireInstance struct {
	Contextlevel string       `json:"contextlevel"`
	ID           int          `json:"id"`
	Updates      []wireUpdate `json:"updates"`
}

type wireUpdates struct {
	Instances []wireInstance `json:"instances"`
	Warnings  []wireWarning  `json:"warnings"`
}

// moduleUpdates lists what changed in module m at or after since, as the
// caller sees it. A teacher sees configuration, everyone's submissions,
// quiz questions, attempts and grades and forum discussions; a student sees
// her own submissions, attempts and grades. Like Moodle, there is no
// completion area for a teacher.
func (c *call) moduleUpdates(co *course, me *enrolment, m *module, since int64, areas map[string]bool) []wireUpdate {
	var out []wireUpdate
	add := func(u wireUpdate) {
		if len(areas) == 0 || areas[u.Name] {
			out = append(out, u)
		}
	}
	ids := func(name string, list []int) {
		if len(list) > 0 {
			sort.Ints(list)
			add(wireUpdate{Name: name, Itemids: list})
		}
	}
	if m.timemodified >= since {
		add(wireUpdate{Name: "configuration", Timeupdated: ptr(m.timemodified)})
	}
	teacher := me.isTeacher()
	switch m.modname {
	case "assign":
		var subs, grades []int
		for _, e := range co.enrols {
			if e.p == nil || !teacher && e != me {
				continue
			}
			if s := e.p.subs[m.assignIdx]; s.status != subNone && s.modified >= since {
				subs = append(subs, s.id)
			}
			if g := e.p.grades[m.assignIdx]; g.set && g.time >= since && !teacher {
				grades = append(grades, g.id)
			}
		}
		if teacher {
			ids("usersubmissions", subs)
		} else {
			ids("submissions", subs)
			ids("grades", grades)
		}
	case "quiz":
		if m.timemodified >= since {
			q := make([]int, co.quizQuestions)
			for i := range q {
				q[i] = i + 1
			}
			ids("questions", q)
		}
		var attempts []int
		for _, e := range co.enrols {
			if e.p == nil || !teacher && e != me {
				continue
			}
			if a := e.p.quiz; a.attemptID != 0 && a.time >= since {
				attempts = append(attempts, a.attemptID)
			}
		}
		if teacher {
			ids("userattempts", attempts)
			ids("usergrades", append([]int(nil), attempts...))
		} else {
			ids("attempts", attempts)
			ids("grades", append([]int(nil), attempts...))
		}
	case "forum":
		if m.completionPosts > 0 && co.discussionID != 0 && co.discussionTime >= since {
			ids("discussions", []int{co.discussionID})
		}
	}
	return out
}

func (c *call) updateAreas() (map[string]bool, error) {
	names, err := c.a.strs("filter")
	if err != nil {
		return nil, err
	}
	areas := map[string]bool{}
	for _, n := range names {
		areas[n] = true
	}
	return areas, nil
}

// updatesSince answers core_course_get_updates_since: one instance per
// module with something at or after since.
func updatesSince(c *call) (any, error) {
	cid, err := c.a.reqInt("courseid")
	if err != nil {
		return nil, err
	}
	since, err := c.a.reqInt("since")
	if err != nil {
		return nil, err
	}
	areas, err := c.updateAreas()
	if err != nil {
		return nil, err
	}
	co, me, err := c.courseAsMember(cid)
	if err != nil {
		return nil, err
	}
	out := wireUpdates{Instances: []wireInstance{}, Warnings: []wireWarning{}}
	for _, m := range co.mods {
		if ups := c.moduleUpdates(co, me, m, since, areas); len(ups) > 0 {
			out.Instances = append(out.Instances, wireInstance{Contextlevel: "module", ID: m.cmid, Updates: ups})
		}
	}
	return out, nil
}

// checkUpdates answers core_course_check_updates: the same as
// core_course_get_updates_since for the listed modules, each with its own
// since. Other context levels and unknown modules are warnings.
func checkUpdates(c *call) (any, error) {
	cid, err := c.a.reqInt("courseid")
	if err != nil {
		return nil, err
	}
	checks, err := c.a.objs("tocheck")
	if err != nil {
		return nil, err
	}
	areas, err := c.updateAreas()
	if err != nil {
		return nil, err
	}
	co, me, err := c.courseAsMember(cid)
	if err != nil {
		return nil, err
	}
	out := wireUpdates{Instances: []wireInstance{}, Warnings: []wireWarning{}}
	for _, ck := range checks {
		level, err := ck.reqStr("contextlevel")
		if err != nil {
			return nil, err
		}
		id, err := ck.reqInt("id")
		if err != nil {
			return nil, err
		}
		since, err := ck.reqInt("since")
		if err != nil {
			return nil, err
		}
		if level != "module" {
			out.Warnings = append(out.Warnings, wireWarning{Item: level, Itemid: int(id),
				Warningcode: "contextlevelnotsupported", Message: "Context level not yet supported " + level})
			continue
		}
		m := co.modByCmid[int(id)]
		if m == nil {
			out.Warnings = append(out.Warnings, wireWarning{Item: "module", Itemid: int(id),
				Warningcode: "missingcontext", Message: "The module was not found in the course"})
			continue
		}
		if ups := c.moduleUpdates(co, me, m, since, areas); len(ups) > 0 {
			out.Instances = append(out.Instances, wireInstance{Contextlevel: "module", ID: m.cmid, Updates: ups})
		}
	}
	return out, nil
}
