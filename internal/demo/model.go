package demo

// This file holds the in-memory model the web-service functions render from.
// It is compact on purpose: a generated course keeps one small progress record
// per student and every reply is built on request.

// Role short names as Moodle reports them in roles[].shortname.
const (
	roleEditingTeacher = "editingteacher"
	roleTeacher        = "teacher"
	roleStudent        = "student"
)

// roleID is the id Moodle's default install gives each role.
func roleID(shortname string) int {
	switch shortname {
	case roleEditingTeacher:
		return 3
	case roleTeacher:
		return 4
	default:
		return 5
	}
}

// user is a Moodle user account.
type user struct {
	id                      int
	username                string
	password                string
	firstname, lastname     string
	email, idnumber         string
	department, institution string
	city, country           string
	firstaccess, lastaccess int64 // Unix seconds, 0 = never
	prefs                   []pref
}

func (u *user) fullname() string { return u.firstname + " " + u.lastname }

// pref is one user preference; value is a string except _lastloaded, which
// Moodle reports as a number.
type pref struct {
	name  string
	value any
}

// course is a Moodle course with its structure and enrolments.
type course struct {
	id                            int
	shortname, fullname, idnumber string
	summary                       string
	sortorder                     int
	ctxid                         int
	categoryID                    int // grade category of the course total
	courseItemID                  int // grade item id of the course total
	startdate, enddate            int64
	timecreated, timemodified     int64
	cacherev                      int64
	groupmode                     int
	sections                      []*section
	mods                          []*module // course order
	graded                        []*module // assignments and quiz, course order
	modByCmid                     map[int]*module
	assigns                       []*module // assignments, course order
	quiz                          *module   // the course's quiz, if any
	groups                        []*group
	groupByID                     map[int]*group
	enrols                        []*enrolment // sorted by user id
	enrolByUser                   map[int]*enrolment
	criteria                      []*module // course completion: all these activities
	discussionID                  int       // the completion forum's discussion, 0 = none
	discussionTime                int64
	quizQuestions                 int
	compCount                     int // modules with completion
	gradeIdnumberPrefix           string
}

// section is a course section with its modules in order.
type section struct {
	id, num int
	name    string
	mods    []*module
}

// module is a course module (activity or resource).
type module struct {
	cmid, instance, ctxid int
	modname, name         string
	section               *section
	idx                   int // index in course.mods
	completion            int // 0 none, 1 manual, 2 automatic
	rules                 []string
	timemodified          int64

	// assign
	assignIdx          int // index in course.assigns, -1 otherwise
	assignID           int
	duedate, allowfrom int64
	gradeItemID        int
	gradePass          float64
	intro              string

	// quiz
	quizGrade float64

	// forum
	forumType       string
	completionPosts int

	// url
	externalURL string

	// label
	description string
}

// group is a course group.
type group struct {
	id                int
	name, description string
	idnumber          string
}

// enrolment is one user's enrolment in a course.
type enrolment struct {
	user             *user
	role             string
	suspended        bool
	groups           []int
	accessAllGroups  bool
	lastcourseaccess int64
	p                *progress // students only
}

func (e *enrolment) isStudent() bool { return e.role == roleStudent }

// isTeacher reports a teaching role (editing or not): the roles that may see
// other users' progress, grades and submissions.
func (e *enrolment) isTeacher() bool {
	return e.role == roleEditingTeacher || e.role == roleTeacher
}

func (e *enrolment) inGroup(id int) bool {
	for _, g := range e.groups {
		if g == id {
			return true
		}
	}
	return false
}

// tracked reports whether completion tracks this enrolment: an active
// student enrolment.
func (e *enrolment) tracked() bool { return e.isStudent() && !e.suspended }

// progress is what one student has done in one course.
type progress struct {
	done     []int64 // per course.mods index: when a view, manual or posts rule was met; 0 = not
	posts    int
	subs     []submission // per assignment
	grades   []grade      // per assignment
	flags    []userFlag   // per assignment
	quiz     quizResult
	override map[int]override // by cmid
}

// Submission statuses.
const (
	subNone uint8 = iota
	subNew
	subDraft
	subSubmitted
)

func subStatusName(st uint8) string {
	switch st {
	case subNew:
		return "new"
	case subDraft:
		return "draft"
	case subSubmitted:
		return "submitted"
	}
	return ""
}

// submission is the latest submission record of a student for an assignment.
type submission struct {
	id                int
	status            uint8
	created, modified int64
	text              string
}

// grade is an assignment grade.
type grade struct {
	id       int
	set      bool
	score    float64
	time     int64
	grader   int
	feedback string
}

// userFlag is an assign_user_flags row (created by grading or an extension).
type userFlag struct {
	id        int
	set       bool
	extension int64
}

// quizResult is a finished quiz attempt and its grade.
type quizResult struct {
	attemptID int // 0 = never attempted
	score     float64
	time      int64
}

// override is a teacher's manual override of an activity completion state.
type override struct {
	state int
	time  int64
	by    int
}
