package load

import (
	"sync"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/moodle"
)

// Snapshot is one user's view of one course at one moment. It never changes once handed
// out: a load in progress hands out a new one each time a part lands.
type Snapshot struct {
	// Input is what Moodle replied, kept as Moodle's replies: a refresh merges and compares
	// them reply by reply. Cohort builds the domain's view of them.
	Input intake.Replies
	// LoadedAt is when the load or refresh that made it started: what Moodle changed after
	// that may be missing.
	LoadedAt time.Time
	// FullAt is when the last full load started; incremental refreshes keep it.
	FullAt time.Time
	Viewer moodle.EnrolledUser // the signed-in user's own roster entry
	// Version orders the snapshots of one Loader: a later one has a larger Version.
	Version uint64
	// Complete is false while a first load is still filling in: AssignmentsPending until
	// submissions, grades and extensions land, CompletionPending students until their
	// completion batches do.
	Complete           bool
	AssignmentsPending bool
	CompletionPending  int
	// RefreshFailed is when the last refresh of this snapshot failed (zero: it did not); the
	// data stays and the page says so. No new refresh starts before RetryAt.
	RefreshFailed time.Time
	RetryAt       time.Time

	memo *cohortMemo
}

// maxReuse bounds how long a built cohort is reused even when no status would change:
// durations that grow by the minute (how long work has waited for a grade) stay current.
const maxReuse = time.Minute

// cohortMemo is the cohort last built from a snapshot.
type cohortMemo struct {
	mu    sync.Mutex
	c     *cohort.Cohort
	cfg   cohort.Config
	until time.Time
}

// Cohort returns the cohort built from s as of now. Building is the costly part of a warm
// page (7 ms at 500 students, 150 ms at 5,000), so the last one is reused for as long as it
// would read the same (cohort.Cohort.Expires), at most a minute; concurrent callers build it
// once.
func (s *Snapshot) Cohort(now time.Time, cfg cohort.Config) *cohort.Cohort {
	if s.memo == nil { // a Snapshot made outside the Loader, e.g. in a test
		return intake.Build(s.Input, now, cfg)
	}
	m := s.memo
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.c != nil && m.cfg == cfg && !now.Before(m.c.Now) && now.Before(m.until) {
		return m.c
	}
	c := intake.Build(s.Input, now, cfg)
	until := now.Add(maxReuse)
	if exp := c.Expires(); !exp.IsZero() && exp.Before(until) {
		until = exp
	}
	m.c, m.cfg, m.until = c, cfg, until
	return c
}

// Estimated bytes per item kept alive by a snapshot and the cohort built from it, measured on
// the heap with the demo's BIG500: about 13 kB a student (TestSnapshotSizeEstimate keeps it
// honest).
const (
	bytesPerUser       = 700  // roster entry with groups and roles
	bytesPerStatus     = 330  // one activity's completion for one student, with its rules
	bytesPerCourseComp = 600  // a course completion status with its criteria
	bytesPerRecord     = 200  // a submission, grade or user flag
	bytesPerStudent    = 2400 // the built cohort's student, its statuses and flags
	bytesBase          = 64 << 10
)

// CacheSize estimates the bytes s keeps alive, the built cohort included, for the cache's
// byte bound.
func (s *Snapshot) CacheSize() int64 {
	in := &s.Input
	n := int64(bytesBase) + int64(len(in.Roster))*(bytesPerUser+bytesPerStudent)
	for _, c := range in.Completion {
		n += int64(len(c.Statuses)) * bytesPerStatus
	}
	n += int64(len(in.CourseCompletion)) * bytesPerCourseComp
	if in.Submissions != nil {
		for _, a := range in.Submissions.Assignments {
			n += int64(len(a.Submissions)) * bytesPerRecord
		}
	}
	if in.Grades != nil {
		for _, a := range in.Grades.Assignments {
			n += int64(len(a.Grades)) * bytesPerRecord
		}
	}
	if in.UserFlags != nil {
		for _, a := range in.UserFlags.Assignments {
			n += int64(len(a.UserFlags)) * bytesPerRecord
		}
	}
	if in.GradeItems != nil {
		for _, ug := range in.GradeItems.UserGrades {
			n += int64(len(ug.GradeItems)) * bytesPerRecord
		}
	}
	return n
}

// Age is how old the data is at now.
func (s *Snapshot) Age(now time.Time) time.Duration { return now.Sub(s.LoadedAt) }
