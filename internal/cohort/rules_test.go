package cohort_test

import (
	"slices"
	"testing"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
)

func withRules(t *testing.T, edit func(*cohort.Config)) *cohort.Cohort {
	t.Helper()
	in, now := intaketest.KTS101(t)
	cfg := cohort.DefaultConfig()
	edit(&cfg)
	return cohort.Build(in, now, cfg)
}

func TestRulesOffDropsFlagAndCount(t *testing.T) {
	t.Parallel()
	c := withRules(t, func(cfg *cohort.Config) { cfg.Off = cfg.Off.With(cohort.FlagBehind) })
	for _, s := range c.Students {
		if s.HasFlag(cohort.FlagBehind) {
			t.Errorf("student %d still flagged behind with behind off", s.ID)
		}
	}
	if got := codes(student(t, c, oliver).Flags); !slices.Equal(got, []cohort.FlagCode{cohort.FlagInactive, cohort.FlagOverdue}) {
		t.Errorf("oliver's flags = %v, want inactive, overdue", got)
	}
	for _, fc := range c.FlagCounts {
		if fc.Code == cohort.FlagBehind {
			t.Errorf("FlagCounts still lists behind: %v", c.FlagCounts)
		}
	}
	if c.HasFlagCode(cohort.FlagBehind) || !c.HasFlagCode(cohort.FlagOverdue) {
		t.Errorf("FlagCodes = %v", c.FlagCodes())
	}
}

func TestRuleNotSubmittedAfterMatchesOverdue(t *testing.T) {
	t.Parallel()
	base := kts101(t)
	c := withRules(t, func(cfg *cohort.Config) {
		cfg.Rules[0] = cohort.Rule{Kind: cohort.RuleNotSubmittedAfter, CMID: cmA3, Days: 0}
		cfg.Rules[2] = cohort.Rule{Kind: cohort.RuleNotSubmittedAfter, CMID: cmA3, Days: 400}
	})
	// Zero days after the due date is exactly "overdue on A3".
	for _, s := range c.Students {
		a3 := assignment(t, base, s.ID, cmA3)
		want := a3.Status == cohort.StatusOverdue
		if got := s.HasFlag("rule_1"); got != want {
			t.Errorf("student %d: rule_1 = %v, want %v (A3 %s)", s.ID, got, want, a3.Status)
		}
		if s.HasFlag("rule_3") {
			t.Errorf("student %d flagged by a rule 400 days after the due date", s.ID)
		}
	}
	o := student(t, c, oliver)
	i := slices.IndexFunc(o.Flags, func(f cohort.Flag) bool { return f.Code == "rule_1" })
	if i < 0 || o.Flags[i].Reason != "A3 not submitted 0 days after its due date (20 Nov)" {
		t.Errorf("oliver's flags = %v", o.Flags)
	}
	if !slices.IsSortedFunc(o.Flags, func(a, b cohort.Flag) int { return compareCode(a.Code, b.Code) }) {
		t.Errorf("flags not sorted by code: %v", codes(o.Flags))
	}
	if got := c.FlagCodes(); !slices.Contains(got, "rule_1") || !slices.Contains(got, "rule_3") || slices.Contains(got, "rule_2") {
		t.Errorf("FlagCodes = %v, want rule_1 and rule_3 only", got)
	}
}

func compareCode(a, b cohort.FlagCode) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestRuleNotCompletedBy(t *testing.T) {
	t.Parallel()
	base := kts101(t)
	past := base.Now.Add(-day).Unix()
	future := base.Now.Add(day).Unix()
	c := withRules(t, func(cfg *cohort.Config) {
		cfg.Rules[0] = cohort.Rule{Kind: cohort.RuleNotCompletedBy, CMID: cmQuiz, By: past, ByLabel: "1 Dec"}
		cfg.Rules[1] = cohort.Rule{Kind: cohort.RuleNotCompletedBy, CMID: cmQuiz, By: future, ByLabel: "9 Dec"}
	})
	flagged := 0
	for _, s := range c.Students {
		st, listed := student(t, base, s.ID).ActivityState(cmQuiz)
		want := s.Completion.Loaded && listed && !st.State.Done()
		if got := s.HasFlag("rule_1"); got != want {
			t.Errorf("student %d: rule_1 = %v, want %v", s.ID, got, want)
		}
		if s.HasFlag("rule_2") {
			t.Errorf("student %d flagged before the date", s.ID)
		}
		if want {
			flagged++
		}
	}
	if flagged == 0 {
		t.Fatal("the rule flags nobody in KTS101: the test checks nothing")
	}
	for _, f := range student(t, c, bjorn).Flags {
		if f.Code == "rule_1" && f.Reason != "Week 2 check-in quiz not completed by 1 Dec" {
			t.Errorf("reason = %q", f.Reason)
		}
	}
}

func TestFlagFilterAndAttentionSort(t *testing.T) {
	t.Parallel()
	c := kts101(t)
	// Parsing flag=failed&sort=attention and linking back: the handlers' query_cohort_test.go.
	q := cohort.Query{Flag: cohort.FlagFailed, Sort: cohort.SortAttention}
	rows := c.Rows(q)
	want := 0
	for _, s := range c.Rows(cohort.Query{}) {
		if s.HasFlag(cohort.FlagFailed) {
			want++
		}
	}
	if len(rows) != want || want < 2 {
		t.Errorf("flag=failed shows %d rows, %d active students are failed", len(rows), want)
	}
	for _, s := range rows {
		if !s.HasFlag(cohort.FlagFailed) {
			t.Errorf("flag=failed shows student %d without it", s.ID)
		}
	}
	rows = c.Rows(cohort.Query{Sort: cohort.SortAttention})
	// Never opened the course comes first (ethan), then the inactive, longest away first
	// (soren 21 days before oliver 14); students without flags last.
	if rows[0].ID != ethan {
		t.Errorf("first = %d, want ethan (never accessed)", rows[0].ID)
	}
	pos := func(id int64) int { return slices.IndexFunc(rows, func(s cohort.Student) bool { return s.ID == id }) }
	if !(pos(soren) < pos(oliver) && pos(oliver) < pos(bjorn) && pos(bjorn) < pos(dmitri) && pos(dmitri) < pos(zoe)) {
		t.Errorf("attention order: ethan %d soren %d oliver %d bjorn %d dmitri %d zoe %d", pos(ethan), pos(soren), pos(oliver), pos(bjorn), pos(dmitri), pos(zoe))
	}
	for i := 1; i < len(rows); i++ {
		if cohort.UrgencyOf(&rows[i-1], c.Now).Compare(cohort.UrgencyOf(&rows[i], c.Now)) > 0 {
			t.Errorf("rows %d and %d out of urgency order", i-1, i)
		}
	}
}

func TestRuleNumber(t *testing.T) {
	t.Parallel()
	for code, want := range map[cohort.FlagCode]int{"rule_1": 1, "rule_9": 9, "rule_0": 0, "rule_10": 0, "rule_": 0, "overdue": 0} {
		n, ok := cohort.RuleNumber(code)
		if n != want || ok != (want > 0) {
			t.Errorf("RuleNumber(%q) = %d, %v", code, n, ok)
		}
	}
}
