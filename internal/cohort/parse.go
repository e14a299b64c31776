package cohort

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
// be one this user may see and an assignment sort key one of c's assignments. An empty group
// (group=) means every group, because that is what the "All groups" option of a group select
// sends without JavaScript. Parameters the contract does not name are ignored; every
// malformed one is a *QueryError.
func ParseQuery(v url.Values, c *Cohort) (Query, error) {
	var q Query
	if s, ok, err := single(v, "group", "group"); err != nil {
		return Query{}, err
	} else if ok && s != "" { // group= is what a form's "All groups" option sends
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
	if q.Flag, err = parseFlag(v, c); err != nil {
		return Query{}, err
	}
	if q.Sort, err = parseSort(v, c); err != nil {
		return Query{}, err
	}
	if q.Desc, err = parseDir(v); err != nil {
		return Query{}, err
	}
	if q.Cols, err = parseCols(v); err != nil {
		return Query{}, err
	}
	return q, nil
}

// maxCols bounds the graded-activity columns one address may ask for.
const maxCols = 100

// parseCols reads the chosen graded-activity columns: activity numbers (cmids), each once, in
// the order given. A number that is not a graded activity of the course is kept, not
// refused: a first load shows the page before Moodle's grade report is in, and an activity
// removed from the course simply has no column.
func parseCols(v url.Values) ([]int64, error) {
	var cols []int64
	for _, s := range v["cols"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, &QueryError{Param: "cols", Value: shorten(s), Reason: "The column “" + shorten(s) + "” is not an activity number."}
		}
		if !slices.Contains(cols, id) {
			cols = append(cols, id)
		}
		if len(cols) > maxCols {
			return nil, &QueryError{Param: "cols", Reason: "Too many columns were asked for; choose fewer graded activities."}
		}
	}
	return cols, nil
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
	case SortAccess, SortCompletion, SortAttention:
		return s, nil
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && s == SortAssignment(id) && c != nil {
		if _, ok := c.asgIndex[id]; ok {
			return s, nil
		}
	}
	return "", &QueryError{Param: "sort", Value: shorten(s),
		Reason: "The table cannot be sorted by “" + shorten(s) + "”: sort by name, last access, completion, attention or one of the course's assignments."}
}

// parseFlag reads flag=<code>: one of the flags this cohort raises (its teacher's rules
// included). flag= means any flag, as a form's "All" option sends it.
func parseFlag(v url.Values, c *Cohort) (FlagCode, error) {
	s, ok, err := single(v, "flag", "flag filter")
	if err != nil || !ok || s == "" {
		return "", err
	}
	if c == nil || !c.HasFlagCode(FlagCode(s)) {
		return "", &QueryError{Param: "flag", Value: shorten(s), Reason: "“" + shorten(s) + "” is not one of the attention flags of this course."}
	}
	return FlagCode(s), nil
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
