package cohort_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
)

func TestRowsFilter(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	tests := []struct {
		name string
		q    cohort.Query
		want []int64
	}{
		{"accents ignored", cohort.Query{Search: "zoe"}, []int64{zoe}},
		{"case ignored", cohort.Query{Search: "LUKASZ"}, []int64{lukasz}},
		{"Vietnamese", cohort.Query{Search: "nguyen"}, []int64{an}},
		{"typed with the accent", cohort.Query{Search: "Søren"}, []int64{soren}},
		{"every word must match", cohort.Query{Search: "smith oliver"}, []int64{oliver}},
		{"email", cohort.Query{Search: "mei.chen@"}, []int64{mei}},
		{"suspended hidden by default", cohort.Query{Search: "léa"}, nil},
		{"suspended on request", cohort.Query{Search: "lea", Suspended: true}, []int64{lea}},
		{"group and search", cohort.Query{Group: groupB, Search: "an"}, []int64{aisha /* Rahman */, an, ethan, hiroshi /* Tanaka */}},
		{"attention in group A", cohort.Query{Group: groupA, Attention: true}, []int64{23 /* Ana-Maria */, bjorn, emily, hannah}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, ids(c.Rows(tt.q))); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
	if got := len(c.Rows(cohort.Query{})); got != 29 {
		t.Errorf("default rows = %d, want the 29 active students", got)
	}
	if got := len(c.Rows(cohort.Query{Suspended: true})); got != 30 {
		t.Errorf("rows with suspended = %d, want 30", got)
	}
}

func TestRowsSort(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	tests := []struct {
		name string
		q    cohort.Query
		want []int64 // the first rows
	}{
		{"name", cohort.Query{}, []int64{aisha, amara, an}},
		{"name, descending", cohort.Query{Desc: true}, []int64{zoe, soren, 29 /* Sofia */}},
		{"access: never is oldest", cohort.Query{Sort: cohort.SortAccess}, []int64{ethan, noah, soren, oliver}},
		{"access, descending: never is last", cohort.Query{Sort: cohort.SortAccess, Desc: true}, []int64{siobhan, zoe, isabella}},
		{"completion, ties by name", cohort.Query{Sort: cohort.SortCompletion}, []int64{ethan, noah, soren, bjorn, hannah, liam, oliver}},
		{"completion, descending, ties by name", cohort.Query{Sort: cohort.SortCompletion, Desc: true}, []int64{aisha, amara, an}},
		{"A3: overdue first", cohort.Query{Sort: cohort.SortAssignment(cmA3), Group: groupB}, []int64{ethan, 28, liam, noah, oliver, soren}},
		{"A1: best grade first", cohort.Query{Sort: cohort.SortAssignment(cmA1), Desc: true}, []int64{27 /* Grace 97 */, aisha, zoe}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ids(c.Rows(tt.q))
			if len(got) > len(tt.want) {
				got = got[:len(tt.want)]
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("first rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRowsDoesNotShareOrder(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	before := ids(c.Students)
	_ = c.Rows(cohort.Query{Sort: cohort.SortAccess, Desc: true})
	if diff := cmp.Diff(before, ids(c.Students)); diff != "" {
		t.Errorf("Rows reordered c.Students (-before +after):\n%s", diff)
	}
}
