package cohort_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
)

func TestRowsPage(t *testing.T) {
	t.Parallel()
	c := cohort.Build(intaketest.Synthetic(250, benchNow()), benchNow(), cohort.DefaultConfig())
	q := cohort.Query{Sort: cohort.SortCompletion, Desc: true}
	all := ids(c.Rows(q))
	tests := []struct {
		name             string
		page, size       int
		wantPage         int
		wantFrom, wantTo int
	}{
		{"first page", 1, 100, 1, 0, 100},
		{"middle page", 2, 100, 2, 100, 200},
		{"last page is short", 3, 100, 3, 200, len(all)},
		{"past the last: the last", 9, 100, 3, 200, len(all)},
		{"page 0: the first", 0, 100, 1, 0, 100},
		{"size 0: everything", 2, 0, 1, 0, len(all)},
		{"everything fits", 1, 1000, 1, 0, len(all)},
	}
	for _, tt := range tests {
		rows, page, total := c.RowsPage(q, tt.page, tt.size)
		if total != len(all) || page != tt.wantPage {
			t.Errorf("%s: page %d of total %d; want page %d of %d", tt.name, page, total, tt.wantPage, len(all))
		}
		if d := cmp.Diff(all[tt.wantFrom:tt.wantTo], ids(rows)); d != "" {
			t.Errorf("%s: rows are not Rows' %d:%d (-want +got):\n%s", tt.name, tt.wantFrom, tt.wantTo, d)
		}
	}
}
