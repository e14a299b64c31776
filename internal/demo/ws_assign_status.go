package demo

import (
	"fmt"
	"sort"
	"strings"
)

type wireParticipantGroup struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type wireParticipant struct {
	ID                   int                    `json:"id"`
	Firstname            *string                `json:"firstname,omitempty"`
	Lastname             *string                `json:"lastname,omitempty"`
	Fullname             string                 `json:"fullname"`
	Email                *string                `json:"email,omitempty"`
	Firstaccess          *int64                 `json:"firstaccess,omitempty"`
	Lastaccess           *int64                 `json:"lastaccess,omitempty"`
	Suspended            *bool                  `json:"suspended,omitempty"`
	City                 *string                `json:"city,omitempty"`
	Country              *string                `json:"country,omitempty"`
	Profileimageurlsmall *string                `json:"profileimageurlsmall,omitempty"`
	Profileimageurl      *string                `json:"profileimageurl,omitempty"`
	Recordid             int                    `json:"recordid"`
	Groups               []wireParticipantGroup `json:"groups,omitempty"`
	Roles                []wireRole             `json:"roles,omitempty"`
	Enrolledcourses      []wireEnrolledCourse   `json:"enrolledcourses,omitempty"`
	Submitted            bool                   `json:"submitted"`
	Requiregrading       bool                   `json:"requiregrading"`
	Grantedextension     bool                   `json:"grantedextension"`
	Submissionstatus     string                 `json:"submissionstatus"`
}

// needsGrading: submitted and not graded since.
func needsGrading(sub submission, g grade) bool {
	return sub.status == subSubmitted && (!g.set || g.time < sub.modified)
}

// listParticipants answers mod_assign_list_participants: the active students
// the caller may see (suspended enrolments are left out), by last name, with
// their submission flags. Students are refused with nopermission.
func listParticipants(c *call) (any, error) {
	aid, err := c.a.reqInt("assignid")
	if err != nil {
		return nil, err
	}
	groupID, err := c.a.reqInt("groupid")
	if err != nil {
		return nil, err
	}
	filter, err := c.a.reqStr("filter")
	if err != nil {
		return nil, err
	}
	skip, err := c.a.intOr("skip", 0)
	if err != nil {
		return nil, err
	}
	limit, err := c.a.intOr("limit", 0)
	if err != nil {
		return nil, err
	}
	onlyIDs, err := c.a.boolOr("onlyids", false)
	if err != nil {
		return nil, err
	}
	withEnrolments, err := c.a.boolOr("includeenrolments", true)
	if err != nil {
		return nil, err
	}
	ref, ok := c.s.assignByID[int(aid)]
	if !ok {
		return nil, errMissingRecord("assign")
	}
	me, err := c.enrolled(ref.co)
	if err != nil {
		return nil, err
	}
	if !me.isTeacher() {
		return nil, errNoPermission()
	}
	var list []*enrolment
	// groups_group_visible: in separate groups, without accessallgroups, group 0 ("all") is
	// not visible and Moodle lists nobody; only the viewer's own groups list their members.
	visible := canSeeGroup(ref.co, me, int(groupID)) && (groupID != 0 || me.accessAllGroups || ref.co.groupmode != separateGroups)
	for _, e := range ref.co.enrols {
		if !visible || !e.tracked() || !canSeeUser(ref.co, me, e) || groupID != 0 && !e.inGroup(int(groupID)) {
			continue
		}
		if filter != "" && !strings.Contains(strings.ToLower(e.user.fullname()), strings.ToLower(filter)) {
			continue
		}
		list = append(list, e)
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].user, list[j].user
		if a.lastname != b.lastname {
			return a.lastname < b.lastname
		}
		return a.firstname < b.firstname
	})
	list = list[min(int(max(skip, 0)), len(list)):]
	if limit > 0 && int(limit) < len(list) {
		list = list[:limit]
	}
	out := []wireParticipant{}
	i := ref.m.assignIdx
	for _, e := range list {
		u, sub := e.user, e.p.subs[i]
		w := wireParticipant{ID: u.id, Fullname: u.fullname(), Recordid: -1,
			Submitted: sub.status == subSubmitted, Requiregrading: needsGrading(sub, e.p.grades[i]),
			Grantedextension: e.p.flags[i].extension > 0, Submissionstatus: subStatusName(sub.status)}
		if !onlyIDs {
			w.Firstname, w.Lastname, w.Email = ptr(u.firstname), ptr(u.lastname), ptr(u.email)
			w.Firstaccess, w.Lastaccess, w.Suspended = ptr(u.firstaccess), ptr(u.lastaccess), ptr(false)
			w.City, w.Country = ptr(u.city), ptr(u.country)
			w.Profileimageurlsmall, w.Profileimageurl = ptr(c.userPicture(true)), ptr(c.userPicture(false))
			for _, g := range c.userGroups(ref.co, e) {
				w.Groups = append(w.Groups, wireParticipantGroup{g.ID, g.Name, g.Description})
			}
			w.Roles = []wireRole{{Roleid: roleID(e.role), Shortname: e.role}}
			if withEnrolments {
				for _, co := range c.s.coursesOf(u.id) {
					w.Enrolledcourses = append(w.Enrolledcourses, wireEnrolledCourse{co.id, co.fullname, co.shortname})
				}
			}
		}
		out = append(out, w)
		c.work(1)
	}
	return out, nil
}

type wireGradingSummary struct {
	Participantcount            int    `json:"participantcount"`
	Submissiondraftscount       int    `json:"submissiondraftscount"`
	Submissionsenabled          bool   `json:"submissionsenabled"`
	Submissionssubmittedcount   int    `json:"submissionssubmittedcount"`
	Submissionsneedgradingcount int    `json:"submissionsneedgradingcount"`
	Warnofungroupedusers        string `json:"warnofungroupedusers"`
}

type wireLastAttempt struct {
	Submission                            *wireSubmission `json:"submission,omitempty"`
	Submissiongroupmemberswhoneedtosubmit []any           `json:"submissiongroupmemberswhoneedtosubmit"`
	Submissionsenabled                    bool            `json:"submissionsenabled"`
	Locked                                bool            `json:"locked"`
	Graded                                bool            `json:"graded"`
	Canedit                               bool            `json:"canedit"`
	Caneditowner                          bool            `json:"caneditowner"`
	Cansubmit                             bool            `json:"cansubmit"`
	Extensionduedate                      *int64          `json:"extensionduedate"`
	Timelimit                             int             `json:"timelimit"`
	Blindmarking                          bool            `json:"blindmarking"`
	Gradingstatus                         string          `json:"gradingstatus"`
	Usergroups                            []int           `json:"usergroups"`
}

type wireFeedback struct {
	Grade           wireGrade    `json:"grade"`
	Gradefordisplay string       `json:"gradefordisplay"`
	Gradeddate      int64        `json:"gradeddate"`
	Plugins         []wirePlugin `json:"plugins"`
}

type wireAssignmentData struct {
	Attachments struct {
		Intro []any `json:"intro"`
	} `json:"attachments"`
}

type wireSubmissionStatus struct {
	Gradingsummary *wireGradingSummary `json:"gradingsummary,omitempty"`
	Lastattempt    wireLastAttempt     `json:"lastattempt"`
	Feedback       *wireFeedback       `json:"feedback,omitempty"`
	Assignmentdata wireAssignmentData  `json:"assignmentdata"`
	Warnings       []wireWarning       `json:"warnings"`
}

// submissionStatus answers mod_assign_get_submission_status for the caller
// or (teachers) a student. Like Moodle, reading the status of a student who
// has no submission record creates a "new" one: the first reply has no
// submission, later reads (and mod_assign_get_submissions with since) see
// the record.
func submissionStatus(c *call) (any, error) {
	aid, err := c.a.reqInt("assignid")
	if err != nil {
		return nil, err
	}
	uid, err := c.a.intOr("userid", 0)
	if err != nil {
		return nil, err
	}
	if _, err := c.a.intOr("groupid", 0); err != nil {
		return nil, err
	}
	ref, ok := c.s.assignByID[int(aid)]
	if !ok {
		return nil, errMissingRecord("assign")
	}
	co, m := ref.co, ref.m
	me, err := c.enrolled(co)
	if err != nil {
		return nil, err
	}
	if uid == 0 {
		uid = int64(c.u.id)
	}
	if _, err := c.userByID(uid); err != nil {
		return nil, err
	}
	target := co.enrolByUser[int(uid)]
	if int(uid) != c.u.id && (!me.isTeacher() || target == nil || !canSeeUser(co, me, target)) {
		return nil, errNoPermission()
	}
	out := wireSubmissionStatus{Warnings: []wireWarning{}}
	out.Assignmentdata.Attachments.Intro = []any{}
	if me.isTeacher() {
		out.Gradingsummary = gradingSummary(co, m)
	}
	la := wireLastAttempt{Submissiongroupmemberswhoneedtosubmit: []any{}, Submissionsenabled: true,
		Gradingstatus: "notgraded", Usergroups: []int{}}
	if target != nil {
		la.Usergroups = append(la.Usergroups, target.groups...)
	}
	if target != nil && target.p != nil {
		p, i := target.p, m.assignIdx
		sub, g, f := p.subs[i], p.grades[i], p.flags[i]
		if sub.status != subNone {
			w := wireSub(target.user.id, sub)
			w.Assignment, w.Latest = ptr(m.assignID), ptr(1)
			la.Submission = &w
		}
		la.Graded = g.set
		la.Gradingstatus = gradingStatus(p, i)
		la.Caneditowner = sub.status != subSubmitted
		la.Canedit = int(uid) == c.u.id && la.Caneditowner
		la.Cansubmit = sub.status == subDraft && sub.text != ""
		if f.set {
			la.Extensionduedate = ptr(f.extension)
		}
		if g.set {
			wg := wireGradeOf(target.user.id, g)
			wg.Assignment = ptr(m.assignID)
			out.Feedback = &wireFeedback{Grade: wg,
				Gradefordisplay: fmt.Sprintf("%.2f&nbsp;/&nbsp;100.00", g.score), Gradeddate: g.time,
				Plugins: []wirePlugin{{Type: "comments", Name: "Feedback comments",
					Fileareas:    []wireFileArea{{Area: "feedback", Files: []any{}}},
					Editorfields: []wireEditorField{{Name: "comments", Description: "Feedback comments", Text: g.feedback, Format: 1}}}}}
		}
		if sub.status == subNone && target.isStudent() {
			// The side effect of a real Moodle: opening the status creates
			// an empty "new" submission record.
			now := c.s.writeTime()
			p.subs[i] = submission{id: c.s.nextSubmissionID, status: subNew, created: now, modified: now}
			c.s.nextSubmissionID++
		}
	}
	out.Lastattempt = la
	return out, nil
}

// gradingSummary counts the active students' submissions of an assignment.
func gradingSummary(co *course, m *module) *wireGradingSummary {
	gs := &wireGradingSummary{Submissionsenabled: true}
	for _, e := range co.enrols {
		if !e.tracked() {
			continue
		}
		gs.Participantcount++
		sub, g := e.p.subs[m.assignIdx], e.p.grades[m.assignIdx]
		switch sub.status {
		case subDraft:
			gs.Submissiondraftscount++
		case subSubmitted:
			gs.Submissionssubmittedcount++
		}
		if needsGrading(sub, g) {
			gs.Submissionsneedgradingcount++
		}
	}
	return gs
}
