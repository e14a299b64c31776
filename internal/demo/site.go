package demo

import (
	"sort"
	"strconv"
	"sync"
	"time"
)

// Course ids of the demo site, fixed so that links, tests and bookmarks made
// against one demo process work against the next.
const (
	// KTS101CourseID is "Know Thy Students 101", the fixtures' seeded course.
	KTS101CourseID = 2
	// BIG500CourseID is "Big Cohort 500", 500 generated students.
	BIG500CourseID = 3
	// BigCourseID is the optional generated benchmark course sized by
	// Options.BigStudents.
	BigCourseID = 4
)

// Options configure a demo site. The zero value is a usable site anchored at
// the current time, with no extra benchmark course and no latency.
type Options struct {
	// Now anchors every timestamp of the generated data: due dates, last
	// accesses and submissions are placed relative to it, as the fixtures are
	// relative to the moment the lab was seeded. Zero means time.Now(). It is
	// truncated to whole seconds.
	Now time.Time

	// Clock gives the time of writes (messages, notes, the submission record
	// a status read creates). Nil means Now plus the real time elapsed since
	// New, so writes stay in step with the data.
	Clock func() time.Time

	// BaseURL is the site URL written into replies (siteurl, module and image
	// URLs). Empty means the scheme and host of each request, which is right
	// for httptest servers whose address is not known in advance.
	BaseURL string

	// BigStudents, when above zero, adds course BigCourseID ("BIG<n>") with
	// that many generated students, for benchmarks at scale.
	BigStudents int

	// Seed changes the seeded-random engagement of the generated courses.
	// Zero keeps the default seed, so two sites built with the same options
	// answer identically.
	Seed uint64

	// Latency makes replies as slow as a real Moodle's. The zero value adds
	// no delay; see RealisticLatency.
	Latency Latency

	// Observe, when set, is told of every web-service request answered: the
	// function, the calls a batch ran, and how long the latency model made it.
	// Benchmarks use it to work out the model's own lower bound for a page.
	Observe func(RequestCost)

	// Timezone is the site's default zone ($CFG->timezone, tool_mobile_get_config), empty
	// meaning "99" (the server's); ForceTimezone is $CFG->forcetimezone. UserTimezones gives
	// users by username a profile zone; everyone else has "99" (the site default), as in the
	// fixtures.
	Timezone, ForceTimezone string
	UserTimezones           map[string]string
}

// Site is a demo Moodle site. It is safe for concurrent use.
type Site struct {
	opts     Options
	now      int64
	clock    func() time.Time
	themeRev string // theme revision in image URLs

	// Read-mostly data; writes (messages, notes, the submission record a
	// status read creates) take mu for writing.
	mu          sync.RWMutex
	users       map[int]*user
	userByName  map[string]*user
	userByEmail map[string]*user
	courses     []*course // by id
	order       []*course // by sortorder
	courseByID  map[int]*course
	assignByID  map[int]assignRef
	services    map[string]*service
	tokens      map[string]tokenInfo
	accounts    []Account
	funcs       map[string]*wsFunc

	nextSubmissionID int
	msgs             messaging
	notes            []*note
	nextNoteID       int

	stats stats
}

// New builds a demo site. Building is deterministic: the same Options give
// the same data and the same replies.
func New(opts Options) *Site {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.Truncate(time.Second)
	opts.Now = now
	s := &Site{
		opts:        opts,
		now:         now.Unix(),
		users:       map[int]*user{},
		userByName:  map[string]*user{},
		userByEmail: map[string]*user{},
		courseByID:  map[int]*course{},
		assignByID:  map[int]assignRef{},
		themeRev:    strconv.FormatInt(now.Unix()+34, 10),
	}
	s.clock = opts.Clock
	if s.clock == nil {
		started := time.Now()
		s.clock = func() time.Time { return now.Add(time.Since(started)) }
	}
	s.stats.init()
	s.msgs.init()
	s.nextNoteID = 1

	s.addStaff()
	s.addCourse(buildKTS101(s))
	s.addCourse(buildBig(s, big500Spec(s.seed())))
	if opts.BigStudents > 0 {
		s.addCourse(buildBig(s, bigCourseSpec(opts.BigStudents, s.seed())))
	}
	s.nextSubmissionID = s.maxSubmissionID() + 1
	s.funcs = s.registry()
	s.services = s.buildServices()
	s.buildAccounts()
	return s
}

// Now returns the moment the site's data is anchored at (Options.Now).
func (s *Site) Now() time.Time { return time.Unix(s.now, 0) }

func (s *Site) seed() uint64 {
	if s.opts.Seed != 0 {
		return s.opts.Seed
	}
	return 0x6b7473 // "kts"
}

// at returns the Unix time hours after (negative: before) the anchor.
func (s *Site) at(hours int) int64 { return s.now + int64(hours)*3600 }

// days returns the Unix time d days after (negative: before) the anchor.
func (s *Site) days(d int) int64 { return s.now + int64(d)*86400 }

func (s *Site) writeTime() int64 { return s.clock().Unix() }

func (s *Site) addUser(u *user) {
	s.users[u.id] = u
	s.userByName[u.username] = u
	s.userByEmail[u.email] = u
}

func (s *Site) addCourse(c *course) {
	sort.Slice(c.enrols, func(i, j int) bool { return c.enrols[i].user.id < c.enrols[j].user.id })
	c.enrolByUser = map[int]*enrolment{}
	for _, e := range c.enrols {
		c.enrolByUser[e.user.id] = e
	}
	c.modByCmid = map[int]*module{}
	c.groupByID = map[int]*group{}
	for _, g := range c.groups {
		c.groupByID[g.id] = g
	}
	for i, m := range c.mods {
		m.idx = i
		c.modByCmid[m.cmid] = m
		if m.completion > 0 {
			c.compCount++
		}
		if m.modname == "assign" || m.modname == "quiz" {
			c.graded = append(c.graded, m)
		}
	}
	for _, m := range c.assigns {
		s.assignByID[m.assignID] = assignRef{c, m}
	}
	s.courses = append(s.courses, c)
	s.courseByID[c.id] = c
	s.order = append([]*course(nil), s.courses...)
	sort.Slice(s.order, func(i, j int) bool { return s.order[i].sortorder < s.order[j].sortorder })
}

// assignRef locates an assignment by its instance id.
type assignRef struct {
	co *course
	m  *module
}

func (s *Site) maxSubmissionID() int {
	max := 0
	for _, c := range s.courses {
		for _, e := range c.enrols {
			if e.p == nil {
				continue
			}
			for _, sub := range e.p.subs {
				if sub.id > max {
					max = sub.id
				}
			}
		}
	}
	return max
}

// coursesOf returns the courses the user has an active enrolment in, in
// Moodle's course sort order.
func (s *Site) coursesOf(userID int) []*course {
	var out []*course
	for _, c := range s.sortedCourses() {
		if e := c.enrolByUser[userID]; e != nil && !e.suspended {
			out = append(out, c)
		}
	}
	return out
}

// sortedCourses returns every course by sortorder, as Moodle lists them.
// The slice is shared: do not modify it.
func (s *Site) sortedCourses() []*course { return s.order }

// sharesCourse reports whether two users are enrolled in a common course.
func (s *Site) sharesCourse(a, b int) bool {
	for _, c := range s.courses {
		if c.enrolByUser[a] != nil && c.enrolByUser[b] != nil {
			return true
		}
	}
	return false
}

// teachesAnywhere reports a teaching role in any course; Moodle gives those
// roles moodle/site:messageanyuser.
func (s *Site) teachesAnywhere(userID int) bool {
	for _, c := range s.courses {
		if e := c.enrolByUser[userID]; e != nil && e.isTeacher() {
			return true
		}
	}
	return false
}
