package demo

import (
	"fmt"
	"strconv"
	"strings"
)

// Staff user ids, as in the fixtures.
const (
	teacherID = 3
	tutorID   = 4
)

// addStaff creates the two staff accounts shared by the courses.
func (s *Site) addStaff() {
	s.addUser(&user{
		id: teacherID, username: "kts.teacher", password: TeacherPassword,
		firstname: "Margaret", lastname: "Ellis", email: "margaret.ellis@staff.kts-lab.example",
		idnumber: "T1001", department: "Learning Sciences", institution: "KTS Lab School",
		city: "Aalborg", country: "DK", firstaccess: s.days(-60), lastaccess: s.now - 60,
		prefs: []pref{
			{"core_message_migrate_data", "1"},
			{"core_user_welcome", strconv.FormatInt(s.now-60, 10)},
			{"grade_report_studentsperpage", "20"},
			{"ifirst", ""},
			{"ilast", ""},
			{"last_time_enrolments_synced", strconv.FormatInt(s.now-300, 10)},
			{"login_failed_count_since_success", "1"},
			{"_lastloaded", s.now},
		},
	})
	s.addUser(&user{
		id: tutorID, username: "kts.tutor", password: TutorPassword,
		firstname: "Tomás", lastname: "Rivera", email: "tomas.rivera@staff.kts-lab.example",
		idnumber: "T1002", department: "Learning Sciences", institution: "KTS Lab School",
		city: "Aalborg", country: "DK", firstaccess: s.days(-60), lastaccess: s.at(-48),
		prefs: []pref{
			{"last_time_enrolments_synced", strconv.FormatInt(s.now-300, 10)},
			{"_lastloaded", s.now},
		},
	})
}

// cityOf spreads students over the lab's cities the way the seed did.
func cityOf(n int) (city, country string) {
	cities := [...][2]string{
		{"Aalborg", "DK"}, {"Aarhus", "DK"}, {"Copenhagen", "DK"}, {"Odense", "DK"},
		{"Hamburg", "DE"}, {"Dublin", "IE"}, {"Lyon", "FR"}, {"Kraków", "PL"},
		{"Hanoi", "VN"}, {"Lagos", "NG"},
	}
	c := cities[n%len(cities)]
	return c[0], c[1]
}

func studentPrefs(s *Site) []pref {
	return []pref{
		{"last_time_enrolments_synced", strconv.FormatInt(s.now-300, 10)},
		{"_lastloaded", s.now},
	}
}

// buildKTS101 builds "Know Thy Students 101" exactly as the fixtures README
// describes it: sections, cmids 1–10, assign ids 1–3, groups A and B, the
// 30 students with their states, and the staff.
func buildKTS101(s *Site) *course {
	c := &course{
		id: KTS101CourseID, shortname: "KTS101", fullname: "Know Thy Students 101",
		idnumber: "KTS101-2024", summary: "<p>A small realistic cohort for testing the Know Thy Students dashboard.</p>",
		sortorder: 10002, ctxid: 13, categoryID: 1, courseItemID: 1,
		startdate: s.days(-42), enddate: s.days(70), timecreated: s.now, timemodified: s.now,
		cacherev: s.now + 40, groupmode: 1, quizQuestions: 10, discussionID: 1,
		gradeIdnumberPrefix: "kts",
	}
	sec := func(id, num int, name string) *section {
		sc := &section{id: id, num: num, name: name}
		c.sections = append(c.sections, sc)
		return sc
	}
	add := func(sc *section, m *module) *module {
		m.section = sc
		m.timemodified = s.now
		m.assignIdx = -1
		sc.mods = append(sc.mods, m)
		c.mods = append(c.mods, m)
		return m
	}
	addAssign := func(sc *section, m *module) *module {
		add(sc, m)
		m.assignIdx = len(c.assigns)
		c.assigns = append(c.assigns, m)
		return m
	}
	s0 := sec(1, 0, "General")
	s1 := sec(2, 1, "Getting started")
	s2 := sec(3, 2, "Week 1: Writing to learn")
	s3 := sec(4, 3, "Week 2: Projects")
	s4 := sec(5, 4, "Further study")

	add(s0, &module{cmid: 1, modname: "forum", instance: 1, ctxid: 580, name: "Announcements",
		forumType: "news", intro: "General news and announcements"})
	handbook := add(s1, &module{cmid: 2, modname: "page", instance: 1, ctxid: 14, name: "Course handbook",
		completion: 2, rules: []string{"completionview"}})
	reading := add(s1, &module{cmid: 3, modname: "url", instance: 1, ctxid: 15, name: "Reading: How people learn",
		completion: 1, externalURL: "https://docs.moodle.org/405/en/Activity_completion"})
	forum := add(s1, &module{cmid: 4, modname: "forum", instance: 2, ctxid: 16, name: "Introduce yourself",
		completion: 2, rules: []string{"completionposts"}, completionPosts: 2, forumType: "general",
		intro: "Post at least twice: introduce yourself and reply to a classmate."})
	add(s2, &module{cmid: 5, modname: "label", instance: 1, ctxid: 17,
		name:        "Assignments: submit online text. Late work is acce...",
		description: `<div class="no-overflow"><p><strong>Assignments</strong>: submit online text. Late work is accepted but flagged.</p></div>`})
	addAssign(s2, &module{cmid: 6, modname: "assign", instance: 1, ctxid: 18, name: "A1 Essay: Learning styles",
		completion: 2, rules: []string{"completionsubmit", "completionusegrade", "completionpassgrade"},
		assignID: 1, duedate: s.days(-21), allowfrom: s.days(-35), gradeItemID: 2, gradePass: 50,
		intro: "Write 800 words on learning styles."})
	addAssign(s2, &module{cmid: 7, modname: "assign", instance: 2, ctxid: 19, name: "A2 Reflection journal",
		completion: 2, rules: []string{"completionsubmit"},
		assignID: 2, duedate: s.days(7), allowfrom: s.days(-14), gradeItemID: 3, intro: "Weekly reflection."})
	addAssign(s3, &module{cmid: 8, modname: "assign", instance: 3, ctxid: 20, name: "A3 Project proposal",
		completion: 2, rules: []string{"completionsubmit"},
		assignID: 3, duedate: s.days(-2), allowfrom: s.days(-20), gradeItemID: 4, intro: "One page project proposal."})
	c.quiz = add(s3, &module{cmid: 9, modname: "quiz", instance: 1, ctxid: 21, name: "Week 2 check-in quiz",
		completion: 2, rules: []string{"completionusegrade", "completionpassgrade"},
		gradeItemID: 5, quizGrade: 10, gradePass: 5, intro: "Ten quick true/false questions."})
	further := add(s4, &module{cmid: 10, modname: "page", instance: 2, ctxid: 22, name: "Further reading",
		completion: 2, rules: []string{"completionview"}})
	for i, m := range c.mods {
		m.idx = i
	}
	c.criteria = append([]*module(nil), c.assigns...)
	c.groups = []*group{
		{id: 1, name: "Group A", description: "Monday seminar group", idnumber: "KTS101-A"},
		{id: 2, name: "Group B", description: "Thursday seminar group", idnumber: "KTS101-B"},
	}

	c.enrols = append(c.enrols,
		&enrolment{user: s.users[teacherID], role: roleEditingTeacher, accessAllGroups: true, lastcourseaccess: s.at(-1)},
		&enrolment{user: s.users[tutorID], role: roleTeacher, groups: []int{1}, lastcourseaccess: s.at(-48)},
	)

	subsByKey := map[[2]int]kts101SubmissionRow{}
	for _, r := range kts101Submissions() {
		subsByKey[[2]int{r.assign, r.user}] = r
	}
	gradeByUser := map[int]kts101GradeRow{}
	for _, g := range kts101Grades() {
		gradeByUser[g.user] = g
	}
	attempt := 0
	for _, r := range kts101Roster() {
		city, country := cityOf(r.n)
		u := &user{
			id: r.id, username: r.username, password: StudentPassword,
			firstname: r.first, lastname: r.last,
			email:    r.username + "@students.kts-lab.example",
			idnumber: fmt.Sprintf("S2024%03d", r.n), department: "BSc Education", institution: "KTS Lab School",
			city: city, country: country, prefs: studentPrefs(s),
		}
		e := &enrolment{user: u, role: roleStudent, suspended: r.suspended, groups: []int{r.group}}
		if !r.never {
			u.firstaccess = s.days(-44)
			u.lastaccess = s.at(r.siteAccessH)
			e.lastcourseaccess = s.at(r.courseAccessH)
		}
		s.addUser(u)

		p := &progress{
			done:   make([]int64, len(c.mods)),
			posts:  r.posts,
			subs:   make([]submission, len(c.assigns)),
			grades: make([]grade, len(c.assigns)),
			flags:  make([]userFlag, len(c.assigns)),
		}
		hours := func(h int) int64 {
			if h == 0 {
				return 0
			}
			return s.at(h)
		}
		p.done[handbook.idx] = hours(r.handbookH)
		p.done[reading.idx] = hours(r.readingH)
		if r.posts >= forum.completionPosts {
			p.done[forum.idx] = hours(r.forumH)
		}
		if r.furtherOverride {
			p.override = map[int]override{further.cmid: {state: 1, time: hours(r.furtherH), by: teacherID}}
		} else {
			p.done[further.idx] = hours(r.furtherH)
		}
		for i, code := range []string{r.a1, r.a2, r.a3} {
			applyKTS101Code(s, c, p, i, code, r, subsByKey, gradeByUser)
		}
		if r.quiz >= 0 {
			attempt++
			p.quiz = quizResult{attemptID: attempt, score: float64(r.quiz), time: s.at(r.quizH)}
		}
		e.p = p
		c.enrols = append(c.enrols, e)
		c.discussionTime = max(c.discussionTime, p.done[forum.idx])
	}
	return c
}

// applyKTS101Code turns one README state code (g:92, late, ext, ...) into
// the student's submission, grade and user flags for assignment i.
func applyKTS101Code(s *Site, c *course, p *progress, i int, code string, r kts101Row,
	subs map[[2]int]kts101SubmissionRow, grades map[int]kts101GradeRow) {
	a := c.assigns[i]
	if code == "-" {
		return
	}
	rec, ok := subs[[2]int{a.assignID, r.id}]
	if !ok {
		panic(fmt.Sprintf("demo: no KTS101 submission row for user %d assign %d", r.id, a.assignID))
	}
	sub := submission{id: rec.id, created: s.at(rec.createdH), modified: s.at(rec.modifiedH)}
	switch {
	case code == "new" || code == "g0":
		sub.status = subNew
	case code == "draft" || code == "ext":
		sub.status = subDraft
	default: // sub, late, g:NN, lg:NN
		sub.status = subSubmitted
	}
	if sub.status != subNew {
		sub.text = fmt.Sprintf("<p>%s's work for %s. Lorem ipsum dolor sit amet.</p>", r.first, a.name)
	}
	p.subs[i] = sub

	var score float64 = -1
	switch {
	case code == "g0":
		score = 0
	case strings.HasPrefix(code, "g:"), strings.HasPrefix(code, "lg:"):
		n, err := strconv.Atoi(code[strings.IndexByte(code, ':')+1:])
		if err != nil {
			panic("demo: bad KTS101 code " + code)
		}
		score = float64(n)
	}
	if score >= 0 {
		g := grades[r.id]
		p.grades[i] = grade{id: g.id, set: true, score: score, time: s.at(g.gradedH), grader: teacherID,
			feedback: feedbackFor(score, code == "g0")}
		p.flags[i] = userFlag{id: g.id, set: true}
	}
	if code == "ext" {
		// The one extension of the recording: flag id 23, five days from now.
		p.flags[i] = userFlag{id: 23, set: true, extension: s.days(5)}
	}
}

// feedbackFor picks the lab's feedback comment for a grade out of 100.
func feedbackFor(score float64, nothingSubmitted bool) string {
	switch {
	case nothingSubmitted:
		return "<p>No submission received by the due date.</p>"
	case score >= 80:
		return "<p>Excellent work: clear argument and well-chosen sources.</p>"
	case score >= 50:
		return "<p>Good effort. Tighten your structure and cite more carefully.</p>"
	default:
		return "<p>Below the pass mark. Please book a tutorial so we can go through it.</p>"
	}
}
