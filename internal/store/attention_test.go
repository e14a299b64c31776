package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/internal/store/storetest"
)

var (
	teacher = attention.Key{Site: "https://moodle.example", UserID: 3, CourseID: 2}
	tutor   = attention.Key{Site: "https://moodle.example", UserID: 4, CourseID: 2}
	monday  = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
)

func TestAttentionMarks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := s.Memory()
		marks := []attention.Mark{
			{UserID: 14, State: attention.Snoozed, Until: monday.Add(48 * time.Hour), Reasons: []cohort.FlagCode{"inactive", "overdue"}, Updated: monday},
			{UserID: 30, State: attention.Handled, Reasons: []cohort.FlagCode{"never_accessed"}, Updated: monday},
		}
		if err := m.SetMarks(ctx, teacher, marks); err != nil {
			t.Fatal(err)
		}
		got, err := m.Marks(ctx, teacher)
		if err != nil {
			t.Fatal(err)
		}
		if g := got[14]; g.State != attention.Snoozed || !g.Until.Equal(monday.Add(48*time.Hour)) || !slices.Equal(g.Reasons, marks[0].Reasons) || !g.Updated.Equal(monday) {
			t.Errorf("mark 14 = %+v", g)
		}
		if other, _ := m.Marks(ctx, tutor); len(other) != 0 {
			t.Errorf("the tutor sees the teacher's states: %v", other)
		}
		// Replace one, reset the other to new (deleted).
		if err := m.SetMarks(ctx, teacher, []attention.Mark{{UserID: 14, State: attention.Contacted, Updated: monday.Add(time.Hour)}, {UserID: 30, State: attention.New}}); err != nil {
			t.Fatal(err)
		}
		got, _ = m.Marks(ctx, teacher)
		if len(got) != 1 || got[14].State != attention.Contacted || !got[14].Until.IsZero() || got[14].Reasons != nil {
			t.Errorf("after update = %+v", got)
		}
		if n, err := s.Forget(ctx, teacher.Site, teacher.UserID); err != nil || n != 1 {
			t.Errorf("Forget = %d, %v; want the 1 mark", n, err)
		}
	})
}

func TestAttentionVisits(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := s.Memory()
		if v, err := m.LastVisit(ctx, teacher); err != nil || !v.Current.IsZero() {
			t.Fatalf("no visit yet: %+v, %v", v, err)
		}
		first := attention.Snapshot{14: {"inactive", "overdue"}, 30: {"never_accessed"}}
		v, err := m.Visit(ctx, teacher, monday, first)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Previous.IsZero() || v.PreviousFlags != nil || !v.Current.Equal(monday) || len(v.CurrentFlags) != 2 {
			t.Fatalf("first visit = %+v", v)
		}
		// A reload within the hour goes on with the visit: its snapshot stays.
		v, _ = m.Visit(ctx, teacher, monday.Add(20*time.Minute), attention.Snapshot{})
		if !v.Previous.IsZero() || len(v.CurrentFlags) != 2 {
			t.Fatalf("same visit = %+v", v)
		}
		// The next day: a new visit; the previous one keeps its flags.
		second := attention.Snapshot{14: {"inactive"}}
		v, _ = m.Visit(ctx, teacher, monday.Add(24*time.Hour), second)
		if !v.Previous.Equal(monday.Add(20*time.Minute)) || !slices.Equal(v.PreviousFlags[14], first[14]) || len(v.PreviousFlags) != 2 ||
			len(v.CurrentFlags) != 1 || !slices.Equal(v.CurrentFlags[14], second[14]) {
			t.Fatalf("second visit = %+v", v)
		}
		last, err := m.LastVisit(ctx, teacher)
		if err != nil || !last.Current.Equal(v.Current) || !last.Previous.Equal(v.Previous) || len(last.PreviousFlags) != 2 {
			t.Errorf("LastVisit = %+v, %v", last, err)
		}
		if other, _ := m.LastVisit(ctx, tutor); !other.Current.IsZero() {
			t.Errorf("the tutor has the teacher's visit: %+v", other)
		}
	})
}

func TestAttentionRulesAndContactsSurviveRestart(t *testing.T) {
	t.Parallel()
	storetest.EachURL(t, func(t *testing.T, url, dir string) {
		ctx := context.Background()
		r := attention.Rules{InactiveDays: 10, Off: []cohort.FlagCode{"behind"},
			Own: []attention.OwnRule{{N: 1, Kind: cohort.RuleNotSubmittedAfter, CMID: 8, Days: 3}}}
		s1 := storetest.Open(t, url, dir)
		if err := s1.Memory().SetRules(ctx, teacher, r, monday); err != nil {
			t.Fatal(err)
		}
		cs := []attention.Contact{{UserID: 14, At: monday, Codes: []cohort.FlagCode{"inactive"}}, {UserID: 30, At: monday}}
		if err := s1.Memory().AddContacts(ctx, teacher, cs); err != nil {
			t.Fatal(err)
		}
		// The same contacts again (a retry) are recorded once.
		if err := s1.Memory().AddContacts(ctx, teacher, cs); err != nil {
			t.Fatal(err)
		}
		s1.Close()
		s2 := storetest.Open(t, url, dir)
		m := s2.Memory()
		got, err := m.Rules(ctx, teacher)
		if err != nil || got.InactiveDays != 10 || len(got.Own) != 1 || got.Own[0].Days != 3 || !slices.Equal(got.Off, r.Off) {
			t.Errorf("rules after a restart = %+v, %v", got, err)
		}
		if none, _ := m.Rules(ctx, tutor); none.InactiveDays != 0 || none.Own != nil {
			t.Errorf("the tutor has the teacher's rules: %+v", none)
		}
		back, err := m.Contacts(ctx, teacher)
		if err != nil || len(back) != 2 || back[0].UserID != 14 || !slices.Equal(back[0].Codes, cs[0].Codes) || back[1].Codes != nil || !back[0].At.Equal(monday) {
			t.Errorf("contacts after a restart = %+v, %v", back, err)
		}
		// A contact half a year later drops the ones older than the retention.
		later := monday.Add(store.ContactRetention + time.Hour)
		if err := m.AddContacts(ctx, teacher, []attention.Contact{{UserID: 14, At: later}}); err != nil {
			t.Fatal(err)
		}
		if back, _ := m.Contacts(ctx, teacher); len(back) != 1 || !back[0].At.Equal(later) {
			t.Errorf("after retention: %+v", back)
		}
	})
}

func TestAttentionVisitBigSnapshot(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		m := s.Memory()
		big := attention.Snapshot{}
		for id := int64(1); id <= 4350; id++ { // 87 % of the 5,000-student demo course
			big[id] = []cohort.FlagCode{"behind", "inactive"}
		}
		if _, err := m.Visit(ctx, teacher, monday, big); err != nil {
			t.Fatal(err)
		}
		v, err := m.Visit(ctx, teacher, monday.Add(2*time.Hour), attention.Snapshot{})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.PreviousFlags) != 4350 || !slices.Equal(v.PreviousFlags[4350], big[4350]) || len(v.CurrentFlags) != 0 {
			t.Errorf("previous %d, current %d", len(v.PreviousFlags), len(v.CurrentFlags))
		}
	})
}
