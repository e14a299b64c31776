package cohort

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Rows returns the students q selects, in q's order: suspended enrolments only with
// q.Suspended, then the group, the flag and the name search filters. Ties are broken by name,
// then id, so that the order is stable between requests.
func (c *Cohort) Rows(q Query) []Student {
	return c.students(c.order(q))
}

// RowsPage is Rows cut into pages of size rows (0: one page of everything): the rows of
// page (1-based, brought into range), the page they are, and how many rows q selects in all.
// Only the page's rows are copied, which matters at 5,000 students.
func (c *Cohort) RowsPage(q Query, page, size int) (rows []Student, inRange, total int) {
	idx := c.order(q)
	total = len(idx)
	if size <= 0 || total <= size {
		return c.students(idx), 1, total
	}
	pages := (total + size - 1) / size
	page = min(max(page, 1), pages)
	return c.students(idx[(page-1)*size : min(page*size, total)]), page, total
}

// students copies the students at idx.
func (c *Cohort) students(idx []int) []Student {
	out := make([]Student, len(idx))
	for k, i := range idx {
		out[k] = c.Students[i]
	}
	return out
}

// order returns the indexes in Students of the rows of q, in q's order.
func (c *Cohort) order(q Query) []int {
	words := strings.Fields(fold(q.Search))
	idx := make([]int, 0, len(c.Students))
	for i := range c.Students {
		if c.selects(i, q, words) {
			idx = append(idx, i)
		}
	}
	primary := c.primaryKey(q.SortKey())
	slices.SortFunc(idx, func(a, b int) int {
		p := primary(a, b)
		if q.Desc {
			p = -p
		}
		return cmp.Or(p, cmp.Compare(c.keys[a].name, c.keys[b].name), cmp.Compare(c.Students[a].ID, c.Students[b].ID))
	})
	return idx
}

// selects reports whether student i passes q's filters; words are the folded search words,
// each of which must occur in the name or the email.
func (c *Cohort) selects(i int, q Query, words []string) bool {
	s := &c.Students[i]
	if s.Suspended && !q.Suspended || q.Attention && len(s.Flags) == 0 || q.Group != 0 && !s.InGroup(q.Group) ||
		q.Flag != "" && !s.HasFlag(q.Flag) {
		return false
	}
	for _, w := range words {
		if !strings.Contains(c.keys[i].search, w) {
			return false
		}
	}
	return true
}

// primaryKey returns the comparison of the sort key. Never-accessed sorts as the oldest
// access, unknown completion below 0 %, and an assignment by how far along the work is
// (overdue first), then by grade.
func (c *Cohort) primaryKey(key string) func(a, b int) int {
	st := c.Students
	switch key {
	case SortAccess:
		return func(a, b int) int {
			return cmp.Compare(st[a].LastCourseAccess.Unix(), st[b].LastCourseAccess.Unix())
		}
	case SortCompletion:
		pct := func(i int) int {
			if !st[i].Completion.Loaded {
				return -1
			}
			return st[i].Completion.Percent
		}
		return func(a, b int) int { return cmp.Compare(pct(a), pct(b)) }
	case SortAttention:
		urg := make([]Urgency, len(st))
		for i := range st {
			urg[i] = UrgencyOf(&st[i], c.Now)
		}
		return func(a, b int) int { return urg[a].Compare(urg[b]) }
	}
	if id, err := strconv.ParseInt(key, 10, 64); err == nil {
		if ai, ok := c.asgIndex[id]; ok {
			return func(a, b int) int {
				x, y := st[a].Assignments[ai], st[b].Assignments[ai]
				return cmp.Or(cmp.Compare(statusRank(x.Status), statusRank(y.Status)), cmp.Compare(gradeKey(x), gradeKey(y)))
			}
		}
	}
	return func(a, b int) int { return cmp.Compare(c.keys[a].name, c.keys[b].name) }
}

// statusRank orders statuses from "needs action" to "done".
func statusRank(s Status) int {
	switch s {
	case StatusOverdue:
		return 0
	case StatusNotStarted:
		return 1
	case StatusDraft:
		return 2
	case StatusExtension:
		return 3
	case StatusLate:
		return 4
	case StatusSubmitted:
		return 5
	}
	return -1
}

func gradeKey(a AssignmentStatus) float64 {
	if !a.Graded {
		return -1
	}
	return a.Grade
}
