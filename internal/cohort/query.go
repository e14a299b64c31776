package cohort

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
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

// Query is the cohort view's filter and sort, as the URL carries them (contract: group, q,
// attention, suspended, sort, dir). The zero Query shows every active student by name.
type Query struct {
	Group     int64  // 0: every group the user can see
	Search    string // trimmed; matches full name and email, ignoring case and accents
	Attention bool   // only students with a flag
	Suspended bool   // include suspended enrolments
	Sort      string // "" (by name), SortAccess, SortCompletion, or SortAssignment(cmid)
	Desc      bool
}

// QueryError is a query parameter that does not parse. Its message is a sentence a teacher
// understands; handlers answer it with a 400.
type QueryError struct {
	Param  string // the parameter's name in the URL
	Value  string // what was sent (shortened)
	Reason string
}

// Error returns the sentence.
func (e *QueryError) Error() string { return e.Reason }

// ParseQuery reads and validates the cohort query parameters of v against c: the group must
// be one this user may see and an assignment sort key one of c's assignments. Parameters the
// contract does not name are ignored; every malformed one is a *QueryError.
func ParseQuery(v url.Values, c *Cohort) (Query, error) {
	var q Query
	if s, ok, err := single(v, "group", "group"); err != nil {
		return Query{}, err
	} else if ok {
		id, err := parseGroup(s, c)
		if err != nil {
			return Query{}, err
		}
		q.Group = id
	}
	if s, _, err := single(v, "q", "search"); err != nil {
		return Query{}, err
	} else if q.Search, err = parseSearch(s); err != nil {
		return Query{}, err
	}
	var err error
	if q.Attention, err = parseSwitch(v, "attention", "“needs attention” filter"); err != nil {
		return Query{}, err
	}
	if q.Suspended, err = parseSwitch(v, "suspended", "“show suspended” filter"); err != nil {
		return Query{}, err
	}
	if q.Sort, err = parseSort(v, c); err != nil {
		return Query{}, err
	}
	if q.Desc, err = parseDir(v); err != nil {
		return Query{}, err
	}
	return q, nil
}

// single returns the one value of parameter name; giving it twice is an error.
func single(v url.Values, name, what string) (string, bool, error) {
	vals, ok := v[name]
	if !ok {
		return "", false, nil
	}
	if len(vals) != 1 {
		return "", false, &QueryError{Param: name, Reason: "The " + what + " was given more than once; give it once."}
	}
	return vals[0], true, nil
}

func parseGroup(s string, c *Cohort) (int64, error) {
	bad := func(reason string) error { return &QueryError{Param: "group", Value: shorten(s), Reason: reason} }
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, bad("The group “" + shorten(s) + "” is not a group number.")
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, bad("The group number “" + shorten(s) + "” is too large to be a group.")
	}
	if id <= 0 {
		return 0, bad("The group number must be positive; “" + shorten(s) + "” is not a group.")
	}
	if c == nil || !c.HasGroup(id) {
		return 0, bad("Group " + s + " is not one of the groups you can see in this course.")
	}
	return id, nil
}

func parseSearch(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", &QueryError{Param: "q", Reason: "The search contains characters that are not text."}
	}
	if utf8.RuneCountInString(s) > MaxSearchRunes {
		return "", &QueryError{Param: "q", Value: shorten(s), Reason: "The search is too long: use at most " + strconv.Itoa(MaxSearchRunes) + " characters."}
	}
	return s, nil
}

// parseSwitch reads an on/off parameter: "1" on, "0" off.
func parseSwitch(v url.Values, name, what string) (bool, error) {
	s, ok, err := single(v, name, what)
	if err != nil || !ok {
		return false, err
	}
	switch s {
	case "1":
		return true, nil
	case "0":
		return false, nil
	}
	return false, &QueryError{Param: name, Value: shorten(s), Reason: "The " + what + " can only be 1 (on) or 0 (off), not “" + shorten(s) + "”."}
}

func parseSort(v url.Values, c *Cohort) (string, error) {
	s, ok, err := single(v, "sort", "sort order")
	if err != nil || !ok {
		return "", err
	}
	switch s {
	case SortName:
		return "", nil // the default, kept canonical
	case SortAccess, SortCompletion:
		return s, nil
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && s == SortAssignment(id) && c != nil {
		if _, ok := c.asgIndex[id]; ok {
			return s, nil
		}
	}
	return "", &QueryError{Param: "sort", Value: shorten(s),
		Reason: "The table cannot be sorted by “" + shorten(s) + "”: sort by name, last access, completion or one of the course's assignments."}
}

func parseDir(v url.Values) (bool, error) {
	s, ok, err := single(v, "dir", "sort direction")
	if err != nil || !ok {
		return false, err
	}
	switch s {
	case "asc":
		return false, nil
	case "desc":
		return true, nil
	}
	return false, &QueryError{Param: "dir", Value: shorten(s), Reason: "The sort direction must be asc or desc, not “" + shorten(s) + "”."}
}

// shorten keeps an echoed value short and valid UTF-8.
func shorten(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// SortKey returns the effective sort key: SortName when none is set.
func (q Query) SortKey() string {
	if q.Sort == "" {
		return SortName
	}
	return q.Sort
}

// Values returns the query as URL parameters, defaults left out, so that links rebuilt from
// it are short and canonical (url.Values.Encode orders the keys).
func (q Query) Values() url.Values {
	v := url.Values{}
	if q.Group > 0 {
		v.Set("group", strconv.FormatInt(q.Group, 10))
	}
	if q.Search != "" {
		v.Set("q", q.Search)
	}
	if q.Attention {
		v.Set("attention", "1")
	}
	if q.Suspended {
		v.Set("suspended", "1")
	}
	if k := q.SortKey(); k != SortName {
		v.Set("sort", k)
	}
	if q.Desc {
		v.Set("dir", "desc")
	}
	return v
}

// Link returns path with the query appended ("/course/2?group=1&sort=access"), path alone
// for the default query.
func (q Query) Link(path string) string {
	if enc := q.Values().Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
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
