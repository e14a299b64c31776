package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// TestEmptyCoursesSaySo: a course without students, activities with completion or
// assignments gets sentences, not an empty grid.
func TestEmptyCoursesSaySo(t *testing.T) {
	t.Parallel()
	now := time.Unix(1795376688, 0)
	teacher := cohort.Participant{ID: 3, FullName: "Margaret Ellis", Roles: []string{"editingteacher"}}
	student := cohort.Participant{ID: 5, FullName: "Zoë Andersen", Roles: []string{"student"}}
	tests := []struct {
		name   string
		roster []cohort.Participant
		want   []string
		grid   bool
	}{
		{"no students", []cohort.Participant{teacher}, []string{"no students yet", "no activity in this course has completion", "no assignments"}, false},
		{"students but nothing tracked", []cohort.Participant{teacher, student}, []string{"no activity in this course has completion", "no assignments"}, true},
	}
	for _, tt := range tests {
		c := cohort.Build(cohort.Input{Course: cohort.Course{ID: 9, FullName: "Empty"}, Roster: tt.roster}, now, cohort.DefaultConfig())
		q := cohort.Query{}
		rows := c.Rows(q)
		v := NewCohortView(CohortParams{Cohort: c, Query: q, Rows: rows, Total: len(rows), LoadedAt: now, Now: now, Loc: time.UTC})
		var buf bytes.Buffer
		if err := CohortResults(v).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		page := strings.ToLower(buf.String())
		for _, w := range tt.want {
			if !strings.Contains(page, strings.ToLower(w)) {
				t.Errorf("%s: the page does not say %q", tt.name, w)
			}
		}
		if got := strings.Contains(page, `data-testid="cohort-table"`); got != tt.grid {
			t.Errorf("%s: table shown = %v; want %v", tt.name, got, tt.grid)
		}
	}
}
