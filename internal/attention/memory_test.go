package attention_test

import (
	"context"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
)

func TestNextVisit(t *testing.T) {
	t.Parallel()
	t0 := now
	first := attention.Snapshot{1: {"inactive"}}
	second := attention.Snapshot{2: {"overdue"}}
	v := attention.NextVisit(attention.Visit{}, t0, first)
	if !v.Previous.IsZero() || !v.Current.Equal(t0) || v.CurrentFlags[1] == nil || v.PreviousFlags != nil {
		t.Fatalf("first visit = %+v", v)
	}
	// A reload ten minutes later is the same visit: the snapshot of its start stays.
	v = attention.NextVisit(v, t0.Add(10*time.Minute), second)
	if !v.Previous.IsZero() || !v.Current.Equal(t0.Add(10*time.Minute)) || v.CurrentFlags[1] == nil {
		t.Fatalf("same visit = %+v", v)
	}
	// Two hours later: a new visit; the previous one is kept with its flags.
	v = attention.NextVisit(v, t0.Add(130*time.Minute), second)
	if !v.Previous.Equal(t0.Add(10*time.Minute)) || v.PreviousFlags[1] == nil || v.CurrentFlags[2] == nil {
		t.Fatalf("new visit = %+v", v)
	}
}

func TestMemKeepsTeachersApart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := attention.NewMem()
	a := attention.Key{Site: "https://moodle.example", UserID: 3, CourseID: 2}
	b := a
	b.UserID = 4
	if err := m.SetMarks(ctx, a, []attention.Mark{{UserID: 14, State: attention.Handled}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := m.Marks(ctx, b); len(got) != 0 {
		t.Errorf("teacher b sees %v", got)
	}
	if got, _ := m.Marks(ctx, a); got[14].State != attention.Handled {
		t.Errorf("teacher a sees %v", got)
	}
	if err := m.SetMarks(ctx, a, []attention.Mark{{UserID: 14, State: attention.New}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := m.Marks(ctx, a); len(got) != 0 {
		t.Errorf("after new: %v", got)
	}
}
