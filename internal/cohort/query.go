package cohort

import (
	"slices"
	"strconv"
)

// Sort keys of the cohort table; an assignment column sorts by its cmid (SortAssignment).
const (
	SortName       = "name"
	SortAccess     = "access"
	SortCompletion = "completion"
)

// MaxSearchRunes bounds the name search: longer input is a mistake, not a name.
const MaxSearchRunes = 100

// SortAssignment returns the sort key of an assignment column.
func SortAssignment(cmid int64) string { return strconv.FormatInt(cmid, 10) }

// Query is the cohort view's filter and sort, a plain value: writing it into an address and
// reading it back is the views' and the handlers' business, not the domain's. The zero Query
// shows every active student by name.
type Query struct {
	Group     int64    // 0: every group the user can see
	Search    string   // trimmed; matches full name and email, ignoring case and accents
	Attention bool     // only students with a flag
	Suspended bool     // include suspended enrolments
	Flag      FlagCode // "": any; else only students with this flag
	Sort      string   // "" (by name), SortAccess, SortCompletion, or SortAssignment(cmid)
	Desc      bool
	// Cols are the graded activities (cmids, Cohort.Graded) the teacher added as columns
	// (cols, repeated); none by default.
	Cols []int64
}

// WithoutCols returns q with no graded-activity columns chosen.
func (q Query) WithoutCols() Query {
	q.Cols = nil
	return q
}

// HasCol reports whether the graded activity cmid is one of the chosen columns.
func (q Query) HasCol(cmid int64) bool { return slices.Contains(q.Cols, cmid) }

// SortKey returns the effective sort key: SortName when none is set.
func (q Query) SortKey() string {
	if q.Sort == "" {
		return SortName
	}
	return q.Sort
}

// SortBy returns the query a column header links to: sorted by key ascending, or, when the
// table is already sorted by key, the same key in the other direction.
func (q Query) SortBy(key string) Query {
	if q.SortKey() == key {
		q.Desc = !q.Desc
		return q
	}
	q.Sort, q.Desc = key, false
	if key == SortName {
		q.Sort = ""
	}
	return q
}

// IsSortedBy reports whether the table is sorted by key (for aria-sort and arrows).
func (q Query) IsSortedBy(key string) bool { return q.SortKey() == key }
