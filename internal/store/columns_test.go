package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/internal/store/storetest"
)

// A teacher's graded columns are kept per teacher and course, replaced by a new choice,
// removed by the reset, and forgotten with the teacher.
func TestGradedColumns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		teacher := attention.Key{Site: "https://moodle.example", UserID: 3, CourseID: 2}
		tutor := attention.Key{Site: "https://moodle.example", UserID: 4, CourseID: 2}
		other := attention.Key{Site: "https://moodle.example", UserID: 3, CourseID: 7}
		now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
		got := func(k attention.Key) []int64 {
			t.Helper()
			cols, err := s.GradedColumns(ctx, k)
			if err != nil {
				t.Fatal(err)
			}
			return cols
		}
		if cols := got(teacher); cols != nil {
			t.Fatalf("nothing saved: %v; want none", cols)
		}
		if err := s.SetGradedColumns(ctx, teacher, []int64{12, 9}, now); err != nil {
			t.Fatal(err)
		}
		if err := s.SetGradedColumns(ctx, other, []int64{40}, now); err != nil {
			t.Fatal(err)
		}
		if cols := got(teacher); !slices.Equal(cols, []int64{12, 9}) {
			t.Errorf("saved [12 9], read %v", cols)
		}
		if cols := got(tutor); cols != nil {
			t.Errorf("the tutor reads the teacher's columns %v", cols)
		}
		if err := s.SetGradedColumns(ctx, teacher, []int64{9}, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if cols := got(teacher); !slices.Equal(cols, []int64{9}) {
			t.Errorf("after a new choice [9], read %v", cols)
		}
		if err := s.SetGradedColumns(ctx, teacher, nil, now); err != nil {
			t.Fatal(err)
		}
		if cols := got(teacher); cols != nil {
			t.Errorf("after the reset, read %v; want none", cols)
		}
		if cols := got(other); !slices.Equal(cols, []int64{40}) {
			t.Errorf("the reset of course 2 touched course 7: %v", cols)
		}
		if n, err := s.Forget(ctx, other.Site, other.UserID); err != nil || n != 1 {
			t.Errorf("Forget: %d rows, %v; want the one row of graded columns", n, err)
		}
		if cols := got(other); cols != nil {
			t.Errorf("after Forget, read %v", cols)
		}
	})
}
