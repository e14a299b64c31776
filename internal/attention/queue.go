package attention

import (
	"cmp"
	"slices"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// Order says on the queue page how it is ordered.
const Order = "Students you have not dealt with come first, then those you contacted and who are still flagged. " +
	cohort.UrgencyOrder + " Students you marked handled come back when a new reason appears; snoozed ones on their date, or earlier with a new reason."

// Item is one student of the queue.
type Item struct {
	Student cohort.Student
	State   State // effective now
	Mark    Mark  // what is stored (zero when nothing)
	Urgency cohort.Urgency
}

// Queue is the students a teacher has to look at.
type Queue struct {
	// Items are the flagged active students whose state is new or contacted, most urgent
	// first (Order).
	Items []Item
	// Aside are the flagged students set aside for now (handled, snoozed), soonest back
	// first, then by name.
	Aside []Item
}

// BuildQueue makes the queue of c for a teacher whose marks are marks (by user id).
// Suspended enrolments are left out: they are the administrator's matter.
func BuildQueue(c *cohort.Cohort, marks map[int64]Mark, now time.Time) Queue {
	var q Queue
	for _, s := range c.Students {
		if s.Suspended || len(s.Flags) == 0 {
			continue
		}
		m := marks[s.ID]
		it := Item{Student: s, Mark: m, State: m.Effective(Codes(s.Flags), now), Urgency: cohort.UrgencyOf(&s, now)}
		if it.State == New || it.State == Contacted {
			q.Items = append(q.Items, it)
		} else {
			q.Aside = append(q.Aside, it)
		}
	}
	slices.SortStableFunc(q.Items, func(a, b Item) int {
		return cmp.Or(cmp.Compare(stateRank(a.State), stateRank(b.State)), a.Urgency.Compare(b.Urgency))
	})
	slices.SortStableFunc(q.Aside, func(a, b Item) int {
		return cmp.Or(cmp.Compare(stateRank(a.State), stateRank(b.State)), a.Mark.Until.Compare(b.Mark.Until))
	})
	return q
}

func stateRank(s State) int {
	switch s {
	case New:
		return 0
	case Contacted:
		return 1
	case Snoozed:
		return 2
	}
	return 3
}

// Neighbours returns the user ids before and after id in ids (0 when none).
func Neighbours(ids []int64, id int64) (prev, next int64) {
	i := slices.Index(ids, id)
	if i < 0 {
		return 0, 0
	}
	if i > 0 {
		prev = ids[i-1]
	}
	if i+1 < len(ids) {
		next = ids[i+1]
	}
	return prev, next
}

// IDs returns the user ids of the queue's items, in order.
func (q Queue) IDs() []int64 {
	out := make([]int64, len(q.Items))
	for i, it := range q.Items {
		out[i] = it.Student.ID
	}
	return out
}
