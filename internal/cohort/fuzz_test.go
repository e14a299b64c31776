package cohort_test

import (
	"errors"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
)

// FuzzParseQuery: any query string either parses into a query that is valid for the course
// and survives a round trip through Values, or fails with a *QueryError carrying a sentence.
func FuzzParseQuery(f *testing.F) {
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
		q, err := cohort.ParseQuery(v, c)
		if err != nil {
			var qe *cohort.QueryError
			if !errors.As(err, &qe) || qe.Error() == "" || !utf8.ValidString(qe.Error()) {
				t.Fatalf("ParseQuery(%q) error %#v is not a readable *QueryError", raw, err)
			}
			return
		}
		if q.Group != 0 && !c.HasGroup(q.Group) {
			t.Errorf("group %d accepted but not visible", q.Group)
		}
		if utf8.RuneCountInString(q.Search) > cohort.MaxSearchRunes || !utf8.ValidString(q.Search) {
			t.Errorf("search %q accepted", q.Search)
		}
		back, err := cohort.ParseQuery(q.Values(), c)
		if err != nil {
			t.Fatalf("ParseQuery(%v) of a parsed query = %v", q.Values(), err)
		}
		if diff := cmp.Diff(q, back); diff != "" {
			t.Errorf("round trip of %q (-first +second):\n%s", raw, diff)
		}
		_ = c.Rows(q)
	})
}
