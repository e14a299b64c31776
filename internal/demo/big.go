package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// bigSpec says how to generate a large course: its ids and its size. Ids of
// different generated courses never overlap, and ids never depend on the
// random draws, so course 3 is the same whether or not course 4 exists.
type bigSpec struct {
	id                                 int
	shortname, fullname, idnumber      string
	summary                            string
	sortorder                          int
	students                           int
	firstUserID                        int
	firstCmid                          int // the news forum; the 25 activities follow
	firstSectionID                     int
	firstGroupID, groups               int
	firstAssignID, firstPage, firstURL int
	forumInstance                      int
	categoryID, courseItemID           int // assignment grade items follow the course item
	ctxid                              int
	usernamePrefix, idnumberPrefix     string
	width                              int
	seed                               uint64
	never, suspended                   []int // explicit user ids; nil = seeded random at the BIG500 rates
	firstSubmissionID, firstGradeID    int
	teacherAccessH                     int
}

// big500Spec is BIG500 as seed-data.json describes it: course 3, cmids
// 12–36, assign ids 4–8, groups 3–8, students 35–534 with the recorded
// never-logged-in and suspended ids.
func big500Spec(seed uint64) bigSpec {
	return bigSpec{
		id: BIG500CourseID, shortname: "BIG500", fullname: "Big Cohort 500", idnumber: "BIG500-2024",
		summary: "<p>Large cohort for performance testing.</p>", sortorder: 10001,
		students: 500, firstUserID: 35, firstCmid: 11, firstSectionID: 6,
		firstGroupID: 3, groups: 6, firstAssignID: 4, firstPage: 3, firstURL: 2, forumInstance: 3,
		categoryID: 2, courseItemID: 6, ctxid: 53,
		usernamePrefix: "big500.s", idnumberPrefix: "B500-", width: 3, seed: seed,
		never:             []int{68, 73, 101, 120, 141, 173, 233, 279, 323, 374, 392, 463, 470, 484, 507, 519, 520},
		suspended:         []int{47, 49, 81, 245, 304, 350, 405, 474, 509},
		firstSubmissionID: 1000, firstGradeID: 1000, teacherAccessH: 0,
	}
}

// bigCourseSpec is the optional benchmark course (course 4) with n students.
func bigCourseSpec(n int, seed uint64) bigSpec {
	width := len(strconv.Itoa(n))
	if width < 3 {
		width = 3
	}
	return bigSpec{
		id: BigCourseID, shortname: fmt.Sprintf("BIG%d", n), fullname: fmt.Sprintf("Big Cohort %d", n),
		idnumber: fmt.Sprintf("BIG%d-2024", n), summary: "<p>Generated cohort for benchmarks at scale.</p>",
		sortorder: 10000, students: n, firstUserID: 535, firstCmid: 37, firstSectionID: 15,
		firstGroupID: 9, groups: 6, firstAssignID: 9, firstPage: 13, firstURL: 12, forumInstance: 4,
		categoryID: 3, courseItemID: 12, ctxid: 200,
		usernamePrefix: fmt.Sprintf("big%d.s", n), idnumberPrefix: fmt.Sprintf("B%d-", n), width: width,
		seed: seed, firstSubmissionID: 100000, firstGradeID: 100000, teacherAccessH: -2,
	}
}

// bigLayout is the activity order of seed-data.json BIG500.cmids: p = page
// (completion: view), u = url (manual), a = assignment (submit).
const bigLayout = "pupuapupuapuapupuapupuapu"

// bigDueDays are the assignments' due dates in days from now.
func bigDueDays() []int { return []int{-42, -28, -14, -3, 7} }

// buildBig generates a large course: 8 weekly sections, 25 activities,
// 5 assignments, 6 groups filled round robin, and students whose seeded
// engagement decides what they did. Engagement falls off later in the
// course; some students never log in, some are suspended, some are ghosts
// who barely do anything.
func buildBig(s *Site, sp bigSpec) *course {
	c := &course{
		id: sp.id, shortname: sp.shortname, fullname: sp.fullname, idnumber: sp.idnumber,
		summary: sp.summary, sortorder: sp.sortorder, ctxid: sp.ctxid,
		categoryID: sp.categoryID, courseItemID: sp.courseItemID,
		startdate: s.days(-63), enddate: s.days(49), timecreated: s.now, timemodified: s.now,
		cacherev: s.now + 90, groupmode: 1, gradeIdnumberPrefix: sp.shortname,
	}
	c.sections = append(c.sections, &section{id: sp.firstSectionID, num: 0, name: "General"})
	for w := 1; w <= 8; w++ {
		c.sections = append(c.sections, &section{id: sp.firstSectionID + w, num: w, name: fmt.Sprintf("Week %d", w)})
	}
	add := func(sc *section, m *module) *module {
		m.section, m.timemodified, m.assignIdx = sc, s.now, -1
		sc.mods = append(sc.mods, m)
		c.mods = append(c.mods, m)
		return m
	}
	ctx := sp.ctxid + 1
	add(c.sections[0], &module{cmid: sp.firstCmid, modname: "forum", instance: sp.forumInstance, ctxid: ctx,
		name: "Announcements", forumType: "news", intro: "General news and announcements"})
	page, url, assign := sp.firstPage, sp.firstURL, 0
	due := bigDueDays()
	for pos, kind := range bigLayout {
		ctx++
		sc := c.sections[pos*8/len(bigLayout)+1]
		m := &module{cmid: sp.firstCmid + 1 + pos, ctxid: ctx}
		switch kind {
		case 'p':
			m.modname, m.instance, m.completion, m.rules = "page", page, 2, []string{"completionview"}
			m.name = fmt.Sprintf("%s: reading %d", sc.name, pos+1)
			page++
		case 'u':
			m.modname, m.instance, m.completion = "url", url, 1
			m.name = fmt.Sprintf("%s: resource %d", sc.name, pos+1)
			m.externalURL = fmt.Sprintf("https://docs.moodle.org/405/en/Resource_%d", pos+1)
			url++
		case 'a':
			m.modname, m.instance, m.completion, m.rules = "assign", sp.firstAssignID+assign, 2, []string{"completionsubmit"}
			m.assignID = sp.firstAssignID + assign
			m.name = fmt.Sprintf("Assignment %d", assign+1)
			m.intro = fmt.Sprintf("Submit your work for assignment %d.", assign+1)
			m.duedate = s.days(due[assign])
			m.allowfrom = m.duedate - 21*86400
			m.gradeItemID = sp.courseItemID + 1 + assign
			assign++
		}
		add(sc, m)
		if kind == 'a' {
			m.assignIdx = len(c.assigns)
			c.assigns = append(c.assigns, m)
		}
	}
	for i, m := range c.mods {
		m.idx = i
	}
	c.criteria = append([]*module(nil), c.assigns...)
	for g := 0; g < sp.groups; g++ {
		c.groups = append(c.groups, &group{id: sp.firstGroupID + g, name: fmt.Sprintf("Cohort group %d", g+1),
			description: fmt.Sprintf("Tutorial slot %d", g+1), idnumber: fmt.Sprintf("%s-G%d", sp.shortname, g+1)})
	}
	c.enrols = append(c.enrols, &enrolment{user: s.users[teacherID], role: roleEditingTeacher,
		accessAllGroups: true, lastcourseaccess: s.at(sp.teacherAccessH) - 600})
	newBigGen(s, c, sp).students()
	return c
}

// bigGen draws the students of one generated course.
type bigGen struct {
	s          *Site
	c          *course
	sp         bigSpec
	r          *rand.Rand
	never      map[int]bool
	suspended  map[int]bool
	nextSub    int
	nextGrade  int
	target     []int64 // per activity position: when the cohort works on it
	firstNames []string
	lastNames  []string
}

func newBigGen(s *Site, c *course, sp bigSpec) *bigGen {
	g := &bigGen{s: s, c: c, sp: sp, r: rand.New(rand.NewPCG(sp.seed, uint64(sp.id))),
		nextSub: sp.firstSubmissionID, nextGrade: sp.firstGradeID,
		firstNames: firstNames(), lastNames: lastNames()}
	g.never, g.suspended = idSet(sp.never), idSet(sp.suspended)
	// The cohort works through the course from its start (63 days ago) to
	// the last assignment (due in 7 days), one activity after the other.
	last := len(bigLayout) - 3
	for pos := range bigLayout {
		t := c.startdate + int64(float64(pos)/float64(last)*float64(s.days(7)-c.startdate))
		g.target = append(g.target, t)
	}
	return g
}

func idSet(ids []int) map[int]bool {
	if ids == nil {
		return nil
	}
	m := map[int]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func (g *bigGen) students() {
	for i := 0; i < g.sp.students; i++ {
		g.student(i)
	}
}

func (g *bigGen) student(i int) {
	s, c, sp, r := g.s, g.c, g.sp, g.r
	id := sp.firstUserID + i
	num := fmt.Sprintf("%0*d", sp.width, i+1)
	username := sp.usernamePrefix + num
	city, country := cityOf(i)
	u := &user{
		id: id, username: username, password: StudentPassword,
		firstname: g.firstNames[r.IntN(len(g.firstNames))], lastname: g.lastNames[r.IntN(len(g.lastNames))],
		email: username + "@students.kts-lab.example", idnumber: sp.idnumberPrefix + num,
		department: "BSc Education", institution: "KTS Lab School", city: city, country: country,
		prefs: studentPrefs(s),
	}
	s.addUser(u)
	e := &enrolment{user: u, role: roleStudent, groups: []int{sp.firstGroupID + i%sp.groups}}
	never, suspended := g.never[id], g.suspended[id]
	if g.never == nil {
		never = r.Float64() < 17.0/500
	}
	if g.suspended == nil {
		suspended = r.Float64() < 9.0/500
	}
	e.suspended = suspended
	p := &progress{
		done:   make([]int64, len(c.mods)),
		subs:   make([]submission, len(c.assigns)),
		grades: make([]grade, len(c.assigns)),
		flags:  make([]userFlag, len(c.assigns)),
	}
	e.p = p
	c.enrols = append(c.enrols, e)
	engagement := 0.25 + 0.75*math.Pow(r.Float64(), 0.8)
	if r.Float64() < 0.06 {
		engagement = 0.02 + 0.06*r.Float64() // a ghost
	}
	if never {
		return
	}
	u.firstaccess = c.startdate + 86400
	latest := u.firstaccess + int64(r.Float64()*float64(s.now-u.firstaccess))
	for pos, kind := range bigLayout {
		m := c.mods[pos+1]
		// Calibrated on the lab's BIG500: about 6,000 completions and 1,400
		// submission records over 500 students.
		chance := 1.2 * engagement * (1 - 0.5*float64(pos)/float64(len(bigLayout)-1))
		if kind == 'a' {
			chance *= 1.2
		}
		if g.target[pos] > s.now {
			chance *= 0.3 // working ahead
		}
		if r.Float64() >= chance {
			continue
		}
		t := g.when(g.target[pos], 7*86400)
		if kind == 'a' {
			t = g.assignment(p, m, engagement, t)
		} else {
			p.done[m.idx] = t
		}
		latest = max(latest, t)
	}
	e.lastcourseaccess = min(s.now-60, latest+int64(r.Float64()*3*86400))
	u.lastaccess = min(s.now-30, e.lastcourseaccess+int64(r.Float64()*2*86400))
}

// when returns a time in [from, from+spread), clamped between the course
// start and an hour ago.
func (g *bigGen) when(from int64, spread int64) int64 {
	t := from + int64(g.r.Float64()*float64(spread))
	return max(g.c.startdate+86400, min(t, g.s.now-3600))
}

// assignment draws one student's work on one assignment and returns the
// time of the student's last action on it.
func (g *bigGen) assignment(p *progress, m *module, engagement float64, t int64) int64 {
	r, s := g.r, g.s
	i := m.assignIdx
	sub := submission{id: g.nextSub}
	g.nextSub++
	switch x := r.Float64(); {
	case x < 0.76:
		sub.status = subSubmitted
		if r.Float64() < 0.11 && m.duedate+3600 < s.now-3600 {
			sub.modified = min(s.now-3600, m.duedate+3600+int64(r.Float64()*4*86400))
		} else {
			sub.modified = max(m.allowfrom+3600, min(s.now-3600, m.duedate-7200-int64(r.Float64()*5*86400)))
		}
	case x < 0.90:
		sub.status = subDraft
		sub.modified = t
	default:
		sub.status = subNew
		sub.modified = t
	}
	sub.created = sub.modified - int64(r.Float64()*2*86400)
	if sub.status != subNew {
		sub.text = fmt.Sprintf("<p>Work for %s.</p>", m.name)
	}
	p.subs[i] = sub
	if sub.status == subSubmitted && i < 3 && r.Float64() < 0.85 {
		score := math.Round(math.Max(0, math.Min(100, 35+60*engagement+r.NormFloat64()*12)))
		when := min(s.now-3600, m.duedate+int64((5+r.Float64()*7)*86400))
		p.grades[i] = grade{id: g.nextGrade, set: true, score: score, time: when, grader: teacherID,
			feedback: feedbackFor(score, false)}
		p.flags[i] = userFlag{id: g.nextGrade, set: true}
		g.nextGrade++
	}
	if sub.status != subSubmitted && m.duedate < s.now && m.duedate > s.now-7*86400 && r.Float64() < 0.05 {
		// A few extensions on the most recent past-due assignment.
		p.flags[i] = userFlag{id: g.nextGrade, set: true, extension: s.days(4)}
		g.nextGrade++
	}
	return sub.modified
}
