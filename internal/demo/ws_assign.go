package demo

import "sort"

type wireAssignConfig struct {
	Plugin  string `json:"plugin"`
	Subtype string `json:"subtype"`
	Name    string `json:"name"`
	Value   string `json:"value"`
}

type wireAssignment struct {
	ID                          int                `json:"id"`
	Cmid                        int                `json:"cmid"`
	Course                      int                `json:"course"`
	Name                        string             `json:"name"`
	Nosubmissions               int                `json:"nosubmissions"`
	Submissiondrafts            int                `json:"submissiondrafts"`
	Sendnotifications           int                `json:"sendnotifications"`
	Sendlatenotifications       int                `json:"sendlatenotifications"`
	Sendstudentnotifications    int                `json:"sendstudentnotifications"`
	Duedate                     int64              `json:"duedate"`
	Allowsubmissionsfromdate    int64              `json:"allowsubmissionsfromdate"`
	Grade                       int                `json:"grade"`
	Timemodified                int64              `json:"timemodified"`
	Completionsubmit            int                `json:"completionsubmit"`
	Cutoffdate                  int64              `json:"cutoffdate"`
	Gradingduedate              int64              `json:"gradingduedate"`
	Teamsubmission              int                `json:"teamsubmission"`
	Requireallteammemberssubmit int                `json:"requireallteammemberssubmit"`
	Teamsubmissiongroupingid    int                `json:"teamsubmissiongroupingid"`
	Blindmarking                int                `json:"blindmarking"`
	Hidegrader                  int                `json:"hidegrader"`
	Revealidentities            int                `json:"revealidentities"`
	Attemptreopenmethod         string             `json:"attemptreopenmethod"`
	Maxattempts                 int                `json:"maxattempts"`
	Markingworkflow             int                `json:"markingworkflow"`
	Markingallocation           int                `json:"markingallocation"`
	Markinganonymous            int                `json:"markinganonymous"`
	Requiresubmissionstatement  int                `json:"requiresubmissionstatement"`
	Preventsubmissionnotingroup int                `json:"preventsubmissionnotingroup"`
	Configs                     []wireAssignConfig `json:"configs"`
	Intro                       string             `json:"intro"`
	Introformat                 int                `json:"introformat"`
	Introfiles                  []any              `json:"introfiles"`
	Introattachments            []any              `json:"introattachments"`
	Timelimit                   int                `json:"timelimit"`
	Submissionattachments       int                `json:"submissionattachments"`
}

type wireAssignCourse struct {
	ID           int              `json:"id"`
	Fullname     string           `json:"fullname"`
	Shortname    string           `json:"shortname"`
	Timemodified int64            `json:"timemodified"`
	Assignments  []wireAssignment `json:"assignments"`
}

type wireAssignments struct {
	Courses  []wireAssignCourse `json:"courses"`
	Warnings []wireWarning      `json:"warnings"`
}

// assignments answers mod_assign_get_assignments for the given courses (none:
// every course of the caller). capabilities[] keeps only the assignments
// where the caller has them all; a course the caller is not in is a warning.
func assignments(c *call) (any, error) {
	ids, err := c.a.ints("courseids")
	if err != nil {
		return nil, err
	}
	caps, err := c.a.strs("capabilities")
	if err != nil {
		return nil, err
	}
	if _, err := c.a.boolOr("includenotenrolledcourses", false); err != nil {
		return nil, err
	}
	out := wireAssignments{Courses: []wireAssignCourse{}, Warnings: []wireWarning{}}
	var list []*course
	if len(ids) == 0 {
		list = c.s.coursesOf(c.u.id)
	}
	for _, id := range ids {
		co := c.s.courseByID[int(id)]
		if co == nil || co.enrolByUser[c.u.id] == nil || co.enrolByUser[c.u.id].suspended {
			out.Warnings = append(out.Warnings, wireWarning{Item: "course", Itemid: int(id), Warningcode: "1",
				Message: "User is not enrolled or does not have requested capability"})
			continue
		}
		list = append(list, co)
	}
	for _, co := range list {
		me := co.enrolByUser[c.u.id]
		wc := wireAssignCourse{ID: co.id, Fullname: co.fullname, Shortname: co.shortname,
			Timemodified: co.timemodified, Assignments: []wireAssignment{}}
		for _, m := range co.assigns {
			allowed := true
			for _, cp := range caps {
				allowed = allowed && hasCapability(me, cp)
			}
			if allowed {
				wc.Assignments = append(wc.Assignments, wireAssign(co, m))
			}
		}
		out.Courses = append(out.Courses, wc)
	}
	return out, nil
}

func wireAssign(co *course, m *module) wireAssignment {
	return wireAssignment{
		ID: m.assignID, Cmid: m.cmid, Course: co.id, Name: m.name, Submissiondrafts: 1,
		Duedate: m.duedate, Allowsubmissionsfromdate: m.allowfrom, Grade: 100, Timemodified: m.timemodified,
		Completionsubmit: 1, Gradingduedate: m.duedate + 7*86400, Attemptreopenmethod: "untilpass",
		Maxattempts: 1,
		Configs: []wireAssignConfig{
			{"onlinetext", "assignsubmission", "enabled", "1"},
			{"onlinetext", "assignsubmission", "wordlimit", "0"},
			{"onlinetext", "assignsubmission", "wordlimitenabled", "0"},
			{"comments", "assignsubmission", "enabled", "0"},
			{"comments", "assignfeedback", "enabled", "1"},
			{"comments", "assignfeedback", "commentinline", "0"},
		},
		Intro: m.intro, Introformat: 1, Introfiles: []any{}, Introattachments: []any{},
	}
}

type wireFileArea struct {
	Area  string `json:"area"`
	Files []any  `json:"files"`
}

type wireEditorField struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Text        string `json:"text"`
	Format      int    `json:"format"`
}

type wirePlugin struct {
	Type         string            `json:"type"`
	Name         string            `json:"name"`
	Fileareas    []wireFileArea    `json:"fileareas,omitempty"`
	Editorfields []wireEditorField `json:"editorfields,omitempty"`
}

type wireSubmission struct {
	ID            int          `json:"id"`
	Userid        int          `json:"userid"`
	Attemptnumber int          `json:"attemptnumber"`
	Timecreated   int64        `json:"timecreated"`
	Timemodified  int64        `json:"timemodified"`
	Timestarted   *int64       `json:"timestarted"`
	Status        string       `json:"status"`
	Groupid       int          `json:"groupid"`
	Assignment    *int         `json:"assignment,omitempty"`
	Latest        *int         `json:"latest,omitempty"`
	Plugins       []wirePlugin `json:"plugins"`
	Gradingstatus string       `json:"gradingstatus,omitempty"`
}

func submissionPlugins(sub submission) []wirePlugin {
	format := 1
	if sub.status == subNew {
		format = 0
	}
	return []wirePlugin{
		{Type: "onlinetext", Name: "Online text",
			Fileareas:    []wireFileArea{{Area: "submissions_onlinetext", Files: []any{}}},
			Editorfields: []wireEditorField{{Name: "onlinetext", Description: "Online text submissions", Text: sub.text, Format: format}}},
		{Type: "comments", Name: "Submission comments"},
	}
}

func wireSub(userID int, sub submission) wireSubmission {
	return wireSubmission{ID: sub.id, Userid: userID, Timecreated: sub.created, Timemodified: sub.modified,
		Status: subStatusName(sub.status), Plugins: submissionPlugins(sub)}
}

func gradingStatus(p *progress, i int) string {
	if p.grades[i].set {
		return "graded"
	}
	return "notgraded"
}

type wireAssignSubmissions struct {
	Assignmentid int              `json:"assignmentid"`
	Submissions  []wireSubmission `json:"submissions"`
}

type wireSubmissionsReply struct {
	Assignments []wireAssignSubmissions `json:"assignments"`
	Warnings    []wireWarning           `json:"warnings"`
}

func noAccessWarning(assignID int) wireWarning {
	return wireWarning{Item: "assignment", Itemid: assignID, Warningcode: "1", Message: "No access rights in module context"}
}

// gradingAssign resolves an assignment id for a caller who must grade it;
// ok is false when the caller may not (Moodle then warns, not fails).
func (c *call) gradingAssign(id int64) (assignRef, bool) {
	ref, found := c.s.assignByID[int(id)]
	if !found {
		return ref, false
	}
	me := ref.co.enrolByUser[c.u.id]
	return ref, me != nil && !me.suspended && me.isTeacher()
}

// submissions answers mod_assign_get_submissions: the latest submission of
// every student (suspended ones too), filtered by status and by since/before
// on timemodified. Every assignment is listed; one with nothing matching
// also gets a warning. A student gets no assignments, only warnings.
func submissions(c *call) (any, error) {
	ids, err := c.a.ints("assignmentids")
	if err != nil {
		return nil, err
	}
	status, err := c.a.strOr("status", "")
	if err != nil {
		return nil, err
	}
	since, err := c.a.intOr("since", 0)
	if err != nil {
		return nil, err
	}
	before, err := c.a.intOr("before", 0)
	if err != nil {
		return nil, err
	}
	out := wireSubmissionsReply{Assignments: []wireAssignSubmissions{}, Warnings: []wireWarning{}}
	for _, id := range ids {
		ref, ok := c.gradingAssign(id)
		if !ok {
			out.Warnings = append(out.Warnings, noAccessWarning(int(id)))
			continue
		}
		list := []wireSubmission{}
		for _, e := range ref.co.enrols {
			if e.p == nil {
				continue
			}
			// Moodle's cost is per student of the assignment when it lists them all, per
			// record it returns when since narrows the query (the window is SQL; the cost is
			// building each record's plugins).
			if since == 0 {
				c.work(1)
			}
			sub := e.p.subs[ref.m.assignIdx]
			if sub.status == subNone || status != "" && subStatusName(sub.status) != status ||
				sub.modified < since || before > 0 && sub.modified > before {
				continue
			}
			if since > 0 {
				c.work(1)
			}
			w := wireSub(e.user.id, sub)
			w.Gradingstatus = gradingStatus(e.p, ref.m.assignIdx)
			list = append(list, w)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
		out.Assignments = append(out.Assignments, wireAssignSubmissions{Assignmentid: ref.m.assignID, Submissions: list})
		if len(list) == 0 {
			out.Warnings = append(out.Warnings, wireWarning{Item: "module", Itemid: ref.m.assignID,
				Warningcode: "3", Message: "No submissions found"})
		}
	}
	return out, nil
}
