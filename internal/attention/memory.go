package attention

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// Key is one teacher's memory of one course: the Moodle site, the teacher's Moodle user id
// and the course. Nothing in the memory is shared between two keys, so another teacher or a
// tutor of the same course never sees it.
type Key struct {
	Site     string
	UserID   int64
	CourseID int64
}

// Visit is when the teacher came to a course: the current visit (a sitting: requests less
// than VisitGap apart) and the one before it, each with the flags its students had when it
// began.
type Visit struct {
	Previous, Current           time.Time // the last request of each visit; zero: none
	PreviousStart, CurrentStart time.Time // when each visit began (when its snapshot was taken)
	PreviousFlags, CurrentFlags Snapshot  // nil: none
}

// VisitGap is how long without a request to a course ends a visit to it.
const VisitGap = time.Hour

// Memory is where a teacher's working memory lives: the store in production (durable,
// shared by replicas), Mem in tests.
type Memory interface {
	// Marks returns the teacher's marks for the course by student id.
	Marks(ctx context.Context, k Key) (map[int64]Mark, error)
	// SetMarks sets or replaces marks (a state of New deletes the mark).
	SetMarks(ctx context.Context, k Key, marks []Mark) error
	// Visit records a request to the course at now: a new visit when the current one is
	// older than VisitGap (then flags become its snapshot), else the current visit goes on.
	// It returns the visits as they stand after the request.
	Visit(ctx context.Context, k Key, now time.Time, flags Snapshot) (Visit, error)
	// LastVisit returns the visits without recording one.
	LastVisit(ctx context.Context, k Key) (Visit, error)
	// Rules returns the teacher's rules for the course (zero Rules when none).
	Rules(ctx context.Context, k Key) (Rules, error)
	SetRules(ctx context.Context, k Key, r Rules, now time.Time) error
	// Contacts returns the messages the teacher sent in the course from the dashboard.
	Contacts(ctx context.Context, k Key) ([]Contact, error)
	// AddContacts records messages sent, with the flag codes each student had then.
	AddContacts(ctx context.Context, k Key, cs []Contact) error
}

// Mem is a Memory in the process's memory: NOT DURABLE (lost at a restart, not shared between
// replicas). For tests, and a server started without a store.
type Mem struct {
	mu       sync.Mutex
	marks    map[Key]map[int64]Mark
	visits   map[Key]Visit
	rules    map[Key]Rules
	contacts map[Key][]Contact
}

// NewMem returns an empty in-memory Memory.
func NewMem() *Mem {
	return &Mem{marks: map[Key]map[int64]Mark{}, visits: map[Key]Visit{}, rules: map[Key]Rules{}, contacts: map[Key][]Contact{}}
}

func (m *Mem) Marks(_ context.Context, k Key) (map[int64]Mark, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[int64]Mark, len(m.marks[k]))
	for id, mk := range m.marks[k] {
		mk.Reasons = slices.Clone(mk.Reasons)
		out[id] = mk
	}
	return out, nil
}

func (m *Mem) SetMarks(_ context.Context, k Key, marks []Mark) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.marks[k] == nil {
		m.marks[k] = map[int64]Mark{}
	}
	for _, mk := range marks {
		if mk.State == New || mk.State == "" {
			delete(m.marks[k], mk.UserID)
			continue
		}
		mk.Reasons = slices.Clone(mk.Reasons)
		m.marks[k][mk.UserID] = mk
	}
	return nil
}

func (m *Mem) Visit(_ context.Context, k Key, now time.Time, flags Snapshot) (Visit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v := m.visits[k]
	v = NextVisit(v, now, flags)
	m.visits[k] = v
	return v, nil
}

// StartsVisit reports whether a request at now begins a new visit after v.
func StartsVisit(v Visit, now time.Time) bool {
	return v.Current.IsZero() || now.Sub(v.Current) >= VisitGap
}

// NextVisit is the visits after a request at now: Memory implementations share it.
func NextVisit(v Visit, now time.Time, flags Snapshot) Visit {
	if StartsVisit(v, now) {
		v.Previous, v.PreviousStart, v.PreviousFlags = v.Current, v.CurrentStart, v.CurrentFlags
		v.CurrentStart, v.CurrentFlags = now, flags
	}
	if now.After(v.Current) {
		v.Current = now
	}
	return v
}

func (m *Mem) LastVisit(_ context.Context, k Key) (Visit, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.visits[k], nil
}

func (m *Mem) Rules(_ context.Context, k Key) (Rules, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.rules[k], nil
}

func (m *Mem) SetRules(_ context.Context, k Key, r Rules, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rules[k] = r
	return nil
}

func (m *Mem) Contacts(_ context.Context, k Key) ([]Contact, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.contacts[k]), nil
}

func (m *Mem) AddContacts(_ context.Context, k Key, cs []Contact) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range cs {
		c.Codes = slices.Clone(c.Codes)
		m.contacts[k] = append(m.contacts[k], c)
	}
	return nil
}

// ContactsFor returns contacts for the students who got a message at, with their flags then.
func ContactsFor(c *cohort.Cohort, ids []int64, at time.Time) []Contact {
	out := make([]Contact, 0, len(ids))
	for _, id := range ids {
		s, _ := c.Student(id)
		out = append(out, Contact{UserID: id, At: at, Codes: Codes(s.Flags)})
	}
	return out
}
