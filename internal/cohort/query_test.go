package cohort_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
)

func TestParseQuery(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	tests := []struct {
		raw  string
		want cohort.Query
	}{
		{"", cohort.Query{}},
		{"group=1", cohort.Query{Group: groupA}},
		{"group=2&q=+M%C3%BCller+&attention=1&suspended=1&sort=access&dir=desc",
			cohort.Query{Group: groupB, Search: "Müller", Attention: true, Suspended: true, Sort: cohort.SortAccess, Desc: true}},
		{"attention=0&suspended=0&dir=asc", cohort.Query{}},
		{"sort=name", cohort.Query{}},
		{"sort=completion", cohort.Query{Sort: cohort.SortCompletion}},
		{"sort=8&dir=desc", cohort.Query{Sort: "8", Desc: true}},
		{"q=", cohort.Query{}},
		// The "All groups" option of the filter form sends an empty group: no group filter.
		{"group=&q=&attention=1", cohort.Query{Attention: true}},
		{"q=" + strings.Repeat("é", 100), cohort.Query{Search: strings.Repeat("é", 100)}},
		{"courseid=2&utm_source=moodle", cohort.Query{}},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			v, err := url.ParseQuery(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			got, err := cohort.ParseQuery(v, c)
			if err != nil {
				t.Fatalf("ParseQuery(%q) = %v", tt.raw, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseQuery(%q) (-want +got):\n%s", tt.raw, diff)
			}
		})
	}
}

func TestParseQueryMalformed(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	tests := []struct {
		raw, param, want string
	}{
		{"group=abc", "group", "The group “abc” is not a group number."},
		{"group=-1", "group", "The group number must be positive; “-1” is not a group."},
		{"group=0", "group", "The group number must be positive; “0” is not a group."},
		{"group=99999999999999999999", "group", "The group number “99999999999999999999” is too large to be a group."},
		{"group=1.5", "group", "The group “1.5” is not a group number."},
		{"group=%20", "group", "The group “ ” is not a group number."},
		{"group=%2B1", "group", "The group “+1” is not a group number."},
		{"group=%201", "group", "The group “ 1” is not a group number."},
		{"group=3", "group", "Group 3 is not one of the groups you can see in this course."},
		{"group=1&group=2", "group", "The group was given more than once; give it once."},
		{"q=" + strings.Repeat("a", 101), "q", "The search is too long: use at most 100 characters."},
		{"q=%FF", "q", "The search contains characters that are not text."},
		{"attention=yes", "attention", "The “needs attention” filter can only be 1 (on) or 0 (off), not “yes”."},
		{"attention=", "attention", "The “needs attention” filter can only be 1 (on) or 0 (off), not “”."},
		{"suspended=true", "suspended", "The “show suspended” filter can only be 1 (on) or 0 (off), not “true”."},
		{"sort=grade", "sort", "The table cannot be sorted by “grade”: sort by name, last access, completion, attention or one of the course's assignments."},
		{"sort=", "sort", "The table cannot be sorted by “”: sort by name, last access, completion, attention or one of the course's assignments."},
		{"sort=9", "sort", "The table cannot be sorted by “9”: sort by name, last access, completion, attention or one of the course's assignments."},
		{"sort=06", "sort", "The table cannot be sorted by “06”: sort by name, last access, completion, attention or one of the course's assignments."},
		{"sort=NAME", "sort", "The table cannot be sorted by “NAME”: sort by name, last access, completion, attention or one of the course's assignments."},
		{"dir=up", "dir", "The sort direction must be asc or desc, not “up”."},
		{"dir=", "dir", "The sort direction must be asc or desc, not “”."},
		{"dir=asc&dir=desc", "dir", "The sort direction was given more than once; give it once."},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			v, _ := url.ParseQuery(tt.raw)
			q, err := cohort.ParseQuery(v, c)
			var qe *cohort.QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("ParseQuery(%q) = %+v, %v; want a *QueryError", tt.raw, q, err)
			}
			if qe.Param != tt.param || qe.Error() != tt.want {
				t.Errorf("ParseQuery(%q) error = %q on %q, want %q on %q", tt.raw, qe.Error(), qe.Param, tt.want, tt.param)
			}
		})
	}
}

func TestParseQueryEchoIsShort(t *testing.T) {
	t.Parallel()
	v := url.Values{"sort": {strings.Repeat("x", 500)}}
	_, err := cohort.ParseQuery(v, kts101(t))
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("error echoes too much: %d bytes", len(err.Error()))
	}
}

func TestQueryValuesAndLinks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		q    cohort.Query
		want string
	}{
		{"default", cohort.Query{}, "/course/2"},
		{"name is the default sort", cohort.Query{Sort: cohort.SortName}, "/course/2"},
		{"everything", cohort.Query{Group: 2, Search: "zoë a", Attention: true, Suspended: true, Sort: "6", Desc: true},
			"/course/2?attention=1&dir=desc&group=2&q=zo%C3%AB+a&sort=6&suspended=1"},
		{"by name, descending", cohort.Query{Desc: true}, "/course/2?dir=desc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.q.Link("/course/2"); got != tt.want {
				t.Errorf("Link = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestQuerySortBy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		q    cohort.Query
		key  string
		want cohort.Query
	}{
		{"another column starts ascending", cohort.Query{Group: 1, Sort: cohort.SortAccess, Desc: true}, cohort.SortCompletion, cohort.Query{Group: 1, Sort: cohort.SortCompletion}},
		{"the same column flips", cohort.Query{Sort: cohort.SortAccess}, cohort.SortAccess, cohort.Query{Sort: cohort.SortAccess, Desc: true}},
		{"flips back", cohort.Query{Sort: cohort.SortAccess, Desc: true}, cohort.SortAccess, cohort.Query{Sort: cohort.SortAccess}},
		{"name is the default", cohort.Query{}, cohort.SortName, cohort.Query{Desc: true}},
		{"back to name", cohort.Query{Sort: "6", Desc: true}, cohort.SortName, cohort.Query{}},
		{"assignment", cohort.Query{Search: "a"}, cohort.SortAssignment(6), cohort.Query{Search: "a", Sort: "6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.q.SortBy(tt.key)); diff != "" {
				t.Errorf("SortBy(%q) (-want +got):\n%s", tt.key, diff)
			}
		})
	}
	if !(cohort.Query{}).IsSortedBy(cohort.SortName) || (cohort.Query{}).IsSortedBy(cohort.SortAccess) {
		t.Error("the zero query is sorted by name")
	}
}

// TestQueryRoundTrip: a parsed query rebuilt into a URL parses back to itself.
func TestQueryRoundTrip(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	for _, q := range []cohort.Query{
		{}, {Group: 1, Search: "O'Brien & co", Attention: true, Suspended: true, Sort: "8", Desc: true}, {Sort: cohort.SortCompletion},
	} {
		got, err := cohort.ParseQuery(q.Values(), c)
		if err != nil {
			t.Fatalf("ParseQuery(%v) = %v", q.Values(), err)
		}
		if diff := cmp.Diff(q, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
}
