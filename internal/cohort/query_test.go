package cohort_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
)

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
