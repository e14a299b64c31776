package demo

import (
	"fmt"
	"math"
	"sort"
)

type wireGradeItem struct {
	ID                  int      `json:"id"`
	Itemname            *string  `json:"itemname"`
	Itemtype            string   `json:"itemtype"`
	Itemmodule          *string  `json:"itemmodule"`
	Iteminstance        int      `json:"iteminstance"`
	Itemnumber          *int     `json:"itemnumber"`
	Idnumber            *string  `json:"idnumber"`
	Categoryid          *int     `json:"categoryid"`
	Outcomeid           *int     `json:"outcomeid"`
	Scaleid             *int     `json:"scaleid"`
	Locked              bool     `json:"locked"`
	Cmid                *int     `json:"cmid,omitempty"`
	Weightraw           *float64 `json:"weightraw,omitempty"`
	Weightformatted     *string  `json:"weightformatted,omitempty"`
	Status              *string  `json:"status,omitempty"`
	Graderaw            *float64 `json:"graderaw"`
	Gradedatesubmitted  *int64   `json:"gradedatesubmitted"`
	Gradedategraded     *int64   `json:"gradedategraded"`
	Gradehiddenbydate   bool     `json:"gradehiddenbydate"`
	Gradeneedsupdate    bool     `json:"gradeneedsupdate"`
	Gradeishidden       bool     `json:"gradeishidden"`
	Gradeislocked       bool     `json:"gradeislocked"`
	Gradeisoverridden   bool     `json:"gradeisoverridden"`
	Gradeformatted      string   `json:"gradeformatted"`
	Grademin            float64  `json:"grademin"`
	Grademax            float64  `json:"grademax"`
	Rangeformatted      string   `json:"rangeformatted"`
	Percentageformatted string   `json:"percentageformatted"`
	Feedback            string   `json:"feedback"`
	Feedbackformat      int      `json:"feedbackformat"`
}

type wireUserGrades struct {
	Courseid       int             `json:"courseid"`
	Courseidnumber string          `json:"courseidnumber"`
	Userid         int             `json:"userid"`
	Userfullname   string          `json:"userfullname"`
	Useridnumber   string          `json:"useridnumber"`
	Maxdepth       int             `json:"maxdepth"`
	Gradeitems     []wireGradeItem `json:"gradeitems"`
}

type wireGradeItems struct {
	Usergrades []wireUserGrades `json:"usergrades"`
	Warnings   []wireWarning    `json:"warnings"`
}

// gradable returns the course's graded activities in course order: the
// assignments and the quiz.
func (co *course) gradable() []*module { return co.graded }

func gradeMax(m *module) float64 {
	if m.modname == "quiz" {
		return m.quizGrade
	}
	return 100
}

// hasGradeRecords: Moodle only has grade rows for a student once something
// was submitted, attempted or graded; before that the report shows no
// weights and no "novalue" status.
func hasGradeRecords(p *progress) bool {
	if p == nil {
		return false
	}
	if p.quiz.attemptID != 0 {
		return true
	}
	for i, s := range p.subs {
		if s.status == subDraft || s.status == subSubmitted || p.grades[i].set {
			return true
		}
	}
	return false
}

// gradeIcon is the pass/fail icon Moodle puts before a grade with a pass mark.
func gradeIcon(pass bool) string {
	if pass {
		return `<i class="icon fa fa-check text-success fa-fw inline"  title="Pass" role="img" aria-label="Pass"></i>`
	}
	return `<i class="icon fa fa-xmark text-danger fa-fw inline"  title="Fail" role="img" aria-label="Fail"></i>`
}

// userGradeItems computes one student's user report: the activity items in
// course order, then the course total (natural aggregation: the sum of the
// graded items, out of the sum of their maxima).
func userGradeItems(co *course, e *enrolment) wireUserGrades {
	p := e.p
	records := hasGradeRecords(p)
	mods := co.gradable()
	var sumMax, sumScore, allMax float64
	var lastGraded int64
	graded := 0
	for _, m := range mods {
		allMax += gradeMax(m)
		if p == nil {
			continue
		}
		if score, t, ok := co.gradeOf(p, m); ok {
			sumMax += gradeMax(m)
			sumScore += score
			lastGraded = max(lastGraded, t)
			graded++
		}
	}
	out := wireUserGrades{Courseid: co.id, Courseidnumber: co.idnumber, Userid: e.user.id,
		Userfullname: e.user.fullname(), Useridnumber: e.user.idnumber, Maxdepth: 2, Gradeitems: []wireGradeItem{}}
	fbFormat := 0
	if records {
		fbFormat = 2
	}
	for n, m := range mods {
		mx := gradeMax(m)
		it := wireGradeItem{
			ID: m.gradeItemID, Itemname: ptr(m.name), Itemtype: "mod", Itemmodule: ptr(m.modname),
			Iteminstance: m.instance, Itemnumber: ptr(0), Idnumber: ptr(fmt.Sprintf("%s-%s%d", lowerASCII(co.gradeIdnumberPrefix), gradeItemKind(m), n+1)),
			Categoryid: ptr(co.categoryID), Cmid: ptr(m.cmid), Gradeformatted: "-", Grademax: mx,
			Rangeformatted: fmt.Sprintf("0&ndash;%g", mx), Percentageformatted: "-", Feedbackformat: fbFormat,
		}
		if m.modname == "quiz" {
			it.Idnumber = ptr(lowerASCII(co.gradeIdnumberPrefix) + "-quiz")
		}
		score, t, ok := 0.0, int64(0), false
		if p != nil {
			score, t, ok = co.gradeOf(p, m)
		}
		if records {
			w := 0.0
			if ok {
				w = mx / sumMax
			}
			it.Weightraw = ptr(math.Round(w*100000) / 100000)
			it.Weightformatted = ptr(fmt.Sprintf("%.2f %%", w*100))
			if !ok {
				it.Status = ptr("novalue")
			}
			if m.modname == "quiz" && ok {
				it.Gradedatesubmitted = ptr(t)
			} else if m.assignIdx >= 0 && p.subs[m.assignIdx].status != subNone {
				it.Gradedatesubmitted = ptr(p.subs[m.assignIdx].modified)
			}
		}
		if ok {
			it.Graderaw = ptr(score)
			it.Gradedategraded = ptr(t)
			it.Gradeformatted = fmt.Sprintf("%.2f", score)
			if m.gradePass > 0 {
				it.Gradeformatted = gradeIcon(score >= m.gradePass) + it.Gradeformatted
			}
			it.Percentageformatted = fmt.Sprintf("%.2f %%", score/mx*100)
			if m.assignIdx >= 0 {
				if fb := p.grades[m.assignIdx].feedback; fb != "" {
					it.Feedback, it.Feedbackformat = fb, 1
				}
			}
		}
		out.Gradeitems = append(out.Gradeitems, it)
	}
	total := wireGradeItem{ID: co.courseItemID, Itemtype: "course", Iteminstance: co.categoryID,
		Gradeformatted: "-", Grademax: allMax, Rangeformatted: fmt.Sprintf("0&ndash;%g", allMax),
		Percentageformatted: "-", Feedbackformat: fbFormat}
	if graded > 0 {
		total.Graderaw = ptr(sumScore)
		total.Gradedategraded = ptr(lastGraded)
		total.Grademax = sumMax
		total.Rangeformatted = fmt.Sprintf("0&ndash;%g", sumMax)
		total.Gradeformatted = fmt.Sprintf("%.2f", sumScore)
		total.Percentageformatted = fmt.Sprintf("%.2f %%", sumScore/sumMax*100)
	}
	out.Gradeitems = append(out.Gradeitems, total)
	return out
}

func gradeItemKind(m *module) string {
	if m.modname == "quiz" {
		return "quiz"
	}
	return "a"
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// gradeReportUsers runs the checks of the user grade report functions and
// returns the students to report on: one (userid) or, for userid 0, every
// active student the caller may see (optionally in groupid), by last name.
func (c *call) gradeReportUsers() (*course, []*enrolment, error) {
	cid, err := c.a.reqInt("courseid")
	if err != nil {
		return nil, nil, err
	}
	uid, err := c.a.intOr("userid", 0)
	if err != nil {
		return nil, nil, err
	}
	gid, err := c.a.intOr("groupid", 0)
	if err != nil {
		return nil, nil, err
	}
	co, me, err := c.courseAsMember(cid)
	if err != nil {
		return nil, nil, err
	}
	if uid != int64(c.u.id) && !me.isTeacher() {
		return nil, nil, errNoCapability("View grades of other users")
	}
	if uid != 0 {
		if _, err := c.userByID(uid); err != nil {
			return nil, nil, err
		}
		target := co.enrolByUser[int(uid)]
		if target == nil {
			return nil, nil, errMoodle("notenrolled", "User is not enrolled in this course")
		}
		if !canSeeUser(co, me, target) {
			return nil, nil, errAccessDenied()
		}
		return co, []*enrolment{target}, nil
	}
	if gid != 0 && !canSeeGroup(co, me, int(gid)) {
		return nil, nil, errAccessDenied()
	}
	var list []*enrolment
	for _, e := range co.enrols {
		if e.tracked() && canSeeUser(co, me, e) && (gid == 0 || e.inGroup(int(gid))) {
			list = append(list, e)
		}
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].user, list[j].user
		if a.lastname != b.lastname {
			return a.lastname < b.lastname
		}
		return a.firstname < b.firstname
	})
	return co, list, nil
}

// gradeItems answers gradereport_user_get_grade_items (userid 0: every
// student; a student may only ask about herself).
func gradeItems(c *call) (any, error) {
	co, list, err := c.gradeReportUsers()
	if err != nil {
		return nil, err
	}
	out := wireGradeItems{Usergrades: []wireUserGrades{}, Warnings: []wireWarning{}}
	for _, e := range list {
		out.Usergrades = append(out.Usergrades, userGradeItems(co, e))
	}
	c.work(float64(len(list)))
	return out, nil
}
