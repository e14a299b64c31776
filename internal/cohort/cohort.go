package cohort

import "time"

// Config holds the thresholds behind the "needs attention" flags. They are server
// configuration because what counts as "inactive" or "behind" differs between courses.
type Config struct {
	// InactiveAfter is how long without opening the course makes a student inactive.
	InactiveAfter time.Duration
	// BehindRatio: a student is behind when their completion percent is below this share of
	// the course median.
	BehindRatio float64
	// Location is the time zone a person reads the flag reasons in (the teacher's Moodle
	// zone); nil means UTC. It changes words only, never which flags are raised.
	Location *time.Location
	// Off are default flags a teacher switched off for the course; Rules are the teacher's
	// own rules, rule n raising rule_<n> (an empty slot raises nothing). Both empty: the
	// server's defaults.
	Off   FlagSet
	Rules [MaxRules]Rule
}

// DefaultConfig returns the thresholds the contract documents: 7 days, half the median.
func DefaultConfig() Config {
	return Config{InactiveAfter: 7 * 24 * time.Hour, BehindRatio: 0.5}
}

// withDefaults fills zero or negative thresholds, so that Config{} behaves like DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.InactiveAfter <= 0 {
		c.InactiveAfter = d.InactiveAfter
	}
	if c.BehindRatio <= 0 {
		c.BehindRatio = d.BehindRatio
	}
	if c.Location == nil {
		c.Location = time.UTC
	}
	return c
}

// Group is a course group the user may filter by.
type Group struct {
	ID   int64
	Name string
}

// Cohort is one course as one teacher sees it at one moment: its activities in course order,
// its students with their completion, assignment statuses and flags, and the course-level
// figures the flags are measured against. Build makes it; it is read-only afterwards and safe
// for concurrent readers.
type Cohort struct {
	Course Course
	// Now is the moment the statuses and flags were computed for.
	Now    time.Time
	Config Config
	// Modules are every module of the course in course order, labels and activities without
	// completion included.
	Modules []Activity
	// Activities are the activities with completion, in course order: the columns of the
	// completion grid and the rows of the activity report.
	Activities []Activity
	// Assignments are the course's assignments in course order.
	Assignments []Assignment
	// Graded are the activities other than assignments with a grade item in the gradebook
	// (quizzes, forums with ratings, external tools, ...), in course order: the columns a
	// teacher may add. Empty when the grade report was not loaded.
	Graded []GradedActivity
	// Groups are the groups this user may filter by (the group selector's, "All participants"
	// left out), in Moodle's order.
	Groups []Group
	// Students are every student this user can see, suspended enrolments included, sorted by
	// name then id.
	Students []Student
	// ActiveCount and SuspendedCount split Students by enrolment status.
	ActiveCount    int
	SuspendedCount int
	// MedianCompletion is the median completion percent of the active students whose
	// completion is known; MedianKnown is false when there are none. "behind" is measured
	// against it.
	MedianCompletion float64
	MedianKnown      bool
	// FlagCounts counts the active students per flag (suspended: the suspended ones), in
	// FlagOrder.
	FlagCounts []FlagCount
	// CompletionMissing counts the students whose completion was not loaded (yet).
	CompletionMissing int
	// Missing names the parts of the input that failed to load, for a notice.
	Missing []string

	byID     map[int64]int  // student id → index in Students
	keys     []studentKey   // per student, same index: sort and search keys
	actIndex map[int64]int  // cmid → index in Activities
	modIndex map[int64]int  // cmid → index in Modules
	asgIndex map[int64]int  // cmid → index in Assignments
	groupIDs map[int64]bool // visible group ids
}

// studentKey holds what Rows compares, computed once in Build.
type studentKey struct {
	name   string // folded full name
	search string // folded full name and email, NUL-separated
}

// Student returns the student with Moodle user id, and false when this user cannot see them.
func (c *Cohort) Student(id int64) (Student, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Student{}, false
	}
	return c.Students[i], true
}

// Activity returns the activity with completion whose course-module id is cmid.
func (c *Cohort) Activity(cmid int64) (Activity, bool) {
	i, ok := c.actIndex[cmid]
	if !ok {
		return Activity{}, false
	}
	return c.Activities[i], true
}

// Module returns any module of the course by cmid, with or without completion.
func (c *Cohort) Module(cmid int64) (Activity, bool) {
	if i, ok := c.modIndex[cmid]; ok {
		return c.Modules[i], true
	}
	return c.Activity(cmid)
}

// Assignment returns the assignment whose course-module id is cmid.
func (c *Cohort) Assignment(cmid int64) (Assignment, bool) {
	i, ok := c.asgIndex[cmid]
	if !ok {
		return Assignment{}, false
	}
	return c.Assignments[i], true
}

// HasGroup reports whether id is a group this user may filter by.
func (c *Cohort) HasGroup(id int64) bool { return c.groupIDs[id] }

// GroupName returns the name of a visible group, "" when unknown.
func (c *Cohort) GroupName(id int64) string {
	for _, g := range c.Groups {
		if g.ID == id {
			return g.Name
		}
	}
	return ""
}
