package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/views"
)

// cohortQuery parses the page's cohort query; a malformed value is a 400 with the parser's
// sentence.
func cohortQuery(r *http.Request, c *cohort.Cohort) (cohort.Query, error) {
	q, err := parseCohortQuery(r.URL.Query(), c)
	var qe *queryError
	if errors.As(err, &qe) {
		return q, badRequest(qe.Reason)
	}
	return q, err
}

// queryError is a cohort query parameter that does not parse. Its message is a sentence a
// teacher understands; cohortQuery answers it with a 400.
type queryError struct {
	Param  string // the parameter's name in the URL
	Value  string // what was sent (shortened)
	Reason string
}

// Error returns the sentence.
func (e *queryError) Error() string { return e.Reason }

// parseCohortQuery reads and validates the cohort query parameters of v against c (the
// inverse of views.CohortValues): the group must be one this user may see and an assignment
// sort key one of c's assignments. An empty group (group=) means every group, because that is
// what the "All groups" option of a group select sends without JavaScript. Parameters the
// contract does not name are ignored; every malformed one is a *queryError.
func parseCohortQuery(v url.Values, c *cohort.Cohort) (cohort.Query, error) {
	var q cohort.Query
	if s, ok, err := single(v, views.ParamGroup, "group"); err != nil {
		return cohort.Query{}, err
	} else if ok && s != "" { // group= is what a form's "All groups" option sends
		id, err := parseGroup(s, c)
		if err != nil {
			return cohort.Query{}, err
		}
		q.Group = id
	}
	if s, _, err := single(v, views.ParamSearch, "search"); err != nil {
		return cohort.Query{}, err
	} else if q.Search, err = parseSearch(s); err != nil {
		return cohort.Query{}, err
	}
	var err error
	if q.Attention, err = parseSwitch(v, views.ParamAttention, "“needs attention” filter"); err != nil {
		return cohort.Query{}, err
	}
	if q.Suspended, err = parseSwitch(v, views.ParamSuspended, "“show suspended” filter"); err != nil {
		return cohort.Query{}, err
	}
	if q.Flag, err = parseFlag(v, c); err != nil {
		return cohort.Query{}, err
	}
	if q.Sort, err = parseSort(v, c); err != nil {
		return cohort.Query{}, err
	}
	if q.Desc, err = parseDir(v); err != nil {
		return cohort.Query{}, err
	}
	if q.Cols, err = parseCols(v); err != nil {
		return cohort.Query{}, err
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
	for _, s := range v[views.ParamCols] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, &queryError{Param: views.ParamCols, Value: clip(s, 40), Reason: "The column “" + clip(s, 40) + "” is not an activity number."}
		}
		if !slices.Contains(cols, id) {
			cols = append(cols, id)
		}
		if len(cols) > maxCols {
			return nil, &queryError{Param: views.ParamCols, Reason: "Too many columns were asked for; choose fewer graded activities."}
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
		return "", false, &queryError{Param: name, Reason: "The " + what + " was given more than once; give it once."}
	}
	return vals[0], true, nil
}

func parseGroup(s string, c *cohort.Cohort) (int64, error) {
	bad := func(reason string) error {
		return &queryError{Param: views.ParamGroup, Value: clip(s, 40), Reason: reason}
	}
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, bad("The group “" + clip(s, 40) + "” is not a group number.")
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, bad("The group number “" + clip(s, 40) + "” is too large to be a group.")
	}
	if id <= 0 {
		return 0, bad("The group number must be positive; “" + clip(s, 40) + "” is not a group.")
	}
	if c == nil || !c.HasGroup(id) {
		return 0, bad("Group " + s + " is not one of the groups you can see in this course.")
	}
	return id, nil
}

func parseSearch(s string) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", &queryError{Param: views.ParamSearch, Reason: "The search contains characters that are not text."}
	}
	if utf8.RuneCountInString(s) > cohort.MaxSearchRunes {
		return "", &queryError{Param: views.ParamSearch, Value: clip(s, 40), Reason: "The search is too long: use at most " + strconv.Itoa(cohort.MaxSearchRunes) + " characters."}
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
	return false, &queryError{Param: name, Value: clip(s, 40), Reason: "The " + what + " can only be 1 (on) or 0 (off), not “" + clip(s, 40) + "”."}
}

func parseSort(v url.Values, c *cohort.Cohort) (string, error) {
	s, ok, err := single(v, views.ParamSort, "sort order")
	if err != nil || !ok {
		return "", err
	}
	switch s {
	case cohort.SortName:
		return "", nil // the default, kept canonical
	case cohort.SortAccess, cohort.SortCompletion, cohort.SortAttention:
		return s, nil
	}
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && s == cohort.SortAssignment(id) && c != nil {
		if _, ok := c.Assignment(id); ok {
			return s, nil
		}
	}
	return "", &queryError{Param: views.ParamSort, Value: clip(s, 40),
		Reason: "The table cannot be sorted by “" + clip(s, 40) + "”: sort by name, last access, completion, attention or one of the course's assignments."}
}

// parseFlag reads flag=<code>: one of the flags this cohort raises (its teacher's rules
// included). flag= means any flag, as a form's "All" option sends it.
func parseFlag(v url.Values, c *cohort.Cohort) (cohort.FlagCode, error) {
	s, ok, err := single(v, views.ParamFlag, "flag filter")
	if err != nil || !ok || s == "" {
		return "", err
	}
	if c == nil || !c.HasFlagCode(cohort.FlagCode(s)) {
		return "", &queryError{Param: views.ParamFlag, Value: clip(s, 40), Reason: "“" + clip(s, 40) + "” is not one of the attention flags of this course."}
	}
	return cohort.FlagCode(s), nil
}

func parseDir(v url.Values) (bool, error) {
	s, ok, err := single(v, views.ParamDir, "sort direction")
	if err != nil || !ok {
		return false, err
	}
	switch s {
	case "asc":
		return false, nil
	case "desc":
		return true, nil
	}
	return false, &queryError{Param: views.ParamDir, Value: clip(s, 40), Reason: "The sort direction must be asc or desc, not “" + clip(s, 40) + "”."}
}
