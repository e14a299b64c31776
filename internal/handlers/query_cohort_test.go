package handlers

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
	"github.com/knowthystudents/kts/views"
)

// The groups of the recorded course KTS101.
const (
	groupA = 1
	groupB = 2
)

// kts101 is the recorded course as its teacher sees it.
func kts101(t testing.TB) *cohort.Cohort {
	t.Helper()
	in, now := intaketest.KTS101(t)
	return cohort.Build(in, now, cohort.DefaultConfig())
}

func TestParseCohortQuery(t *testing.T) {
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
			got, err := parseCohortQuery(v, c)
			if err != nil {
				t.Fatalf("parseCohortQuery(%q) = %v", tt.raw, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseCohortQuery(%q) (-want +got):\n%s", tt.raw, diff)
			}
		})
	}
}

func TestParseCohortQueryMalformed(t *testing.T) {
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
			q, err := parseCohortQuery(v, c)
			var qe *queryError
			if !errors.As(err, &qe) {
				t.Fatalf("parseCohortQuery(%q) = %+v, %v; want a *queryError", tt.raw, q, err)
			}
			if qe.Param != tt.param || qe.Error() != tt.want {
				t.Errorf("parseCohortQuery(%q) error = %q on %q, want %q on %q", tt.raw, qe.Error(), qe.Param, tt.want, tt.param)
			}
		})
	}
}

func TestParseCohortQueryEchoIsShort(t *testing.T) {
	t.Parallel()
	v := url.Values{"sort": {strings.Repeat("x", 500)}}
	_, err := parseCohortQuery(v, kts101(t))
	if err == nil || len(err.Error()) > 200 {
		t.Errorf("error echoes too much: %d bytes", len(err.Error()))
	}
}

func TestCohortQueryLinks(t *testing.T) {
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
			if got := views.WithQuery("/course/2", tt.q); got != tt.want {
				t.Errorf("WithQuery = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCohortQueryRoundTrip: a parsed query rebuilt into a URL parses back to itself.
func TestCohortQueryRoundTrip(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	for _, q := range []cohort.Query{
		{}, {Group: 1, Search: "O'Brien & co", Attention: true, Suspended: true, Sort: "8", Desc: true}, {Sort: cohort.SortCompletion},
	} {
		got, err := parseCohortQuery(views.CohortValues(q), c)
		if err != nil {
			t.Fatalf("parseCohortQuery(%v) = %v", views.CohortValues(q), err)
		}
		if diff := cmp.Diff(q, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
	}
}

// FuzzParseCohortQuery: any query string either parses into a query that is valid for the course
// and survives a round trip through views.CohortValues, or fails with a *queryError carrying a sentence.
func FuzzParseCohortQuery(f *testing.F) {
	for _, seed := range []string{
		"", "group=1", "group=abc", "group=-1", "group=0", "group=99999999999999999999", "group=1.5", "group=",
		"q=Zo%C3%AB&attention=1&suspended=1&sort=6&dir=desc", "sort=access&dir=asc", "sort=7", "dir=sideways",
		"q=%FF", "group=1&group=2", "sort=name&sort=access",
	} {
		f.Add(seed)
	}
	c := kts101(f)
	f.Fuzz(func(t *testing.T, raw string) {
		v, _ := url.ParseQuery(raw)
		q, err := parseCohortQuery(v, c)
		if err != nil {
			var qe *queryError
			if !errors.As(err, &qe) || qe.Error() == "" || !utf8.ValidString(qe.Error()) {
				t.Fatalf("parseCohortQuery(%q) error %#v is not a readable *QueryError", raw, err)
			}
			return
		}
		if q.Group != 0 && !c.HasGroup(q.Group) {
			t.Errorf("group %d accepted but not visible", q.Group)
		}
		if utf8.RuneCountInString(q.Search) > cohort.MaxSearchRunes || !utf8.ValidString(q.Search) {
			t.Errorf("search %q accepted", q.Search)
		}
		back, err := parseCohortQuery(views.CohortValues(q), c)
		if err != nil {
			t.Fatalf("parseCohortQuery(%v) of a parsed query = %v", views.CohortValues(q), err)
		}
		if diff := cmp.Diff(q, back); diff != "" {
			t.Errorf("round trip of %q (-first +second):\n%s", raw, diff)
		}
		_ = c.Rows(q)
	})
}

// TestParseCohortQueryFlagAndAttentionSort: flag= takes the course's own flags only, and a
// flag filter sorted by attention links back to itself (moved from cohort's rules test).
func TestParseCohortQueryFlagAndAttentionSort(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	q, err := parseCohortQuery(url.Values{"flag": {"failed"}, "sort": {"attention"}}, c)
	if err != nil {
		t.Fatal(err)
	}
	if want := (cohort.Query{Flag: cohort.FlagFailed, Sort: cohort.SortAttention}); q.Flag != want.Flag || q.Sort != want.Sort {
		t.Errorf("parsed %+v, want %+v", q, want)
	}
	if views.WithQuery("/course/2", q) != "/course/2?flag=failed&sort=attention" {
		t.Errorf("link = %q", views.WithQuery("/course/2", q))
	}
	if _, err := parseCohortQuery(url.Values{"flag": {"rule_1"}}, c); err == nil {
		t.Error("flag=rule_1 accepted in a course without rules")
	}
}
