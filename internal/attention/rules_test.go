package attention_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
)

const (
	cmA3   = 8
	cmQuiz = 9
)

func TestRulesValidate(t *testing.T) {
	t.Parallel()
	in, at := intaketest.KTS101(t)
	c := cohort.Build(in, at, cohort.DefaultConfig())
	ok := attention.Rules{InactiveDays: 10, BehindPercent: 40, Off: []cohort.FlagCode{"behind"}, Own: []attention.OwnRule{
		{N: 1, Kind: cohort.RuleNotCompletedBy, CMID: cmQuiz, Date: "2026-11-30"},
		{N: 2, Kind: cohort.RuleNotSubmittedAfter, CMID: cmA3, Days: 3},
	}}
	if err := ok.Validate(c, time.UTC); err != nil {
		t.Fatalf("valid rules: %v", err)
	}
	tests := []struct {
		name string
		edit func(*attention.Rules)
		want string
	}{
		{"inactive too long", func(r *attention.Rules) { r.InactiveDays = 400 }, "“Inactive after” must be"},
		{"behind above 100", func(r *attention.Rules) { r.BehindPercent = 101 }, "“Behind” must be"},
		{"off unknown", func(r *attention.Rules) { r.Off = []cohort.FlagCode{"rule_1"} }, "is not a flag that can be switched off"},
		{"number twice", func(r *attention.Rules) { r.Own[1].N = 1 }, "each once"},
		{"number 10", func(r *attention.Rules) { r.Own[1].N = 10 }, "numbered 1 to 9"},
		{"activity not in course", func(r *attention.Rules) { r.Own[0].CMID = 999 }, "Rule 1: choose an activity"},
		{"bad date", func(r *attention.Rules) { r.Own[0].Date = "30/11/2026" }, "Rule 1: the date must be"},
		{"assignment not in course", func(r *attention.Rules) { r.Own[1].CMID = cmQuiz }, "Rule 2: choose one of the course's assignments"},
		{"negative days", func(r *attention.Rules) { r.Own[1].Days = -1 }, "Rule 2: the days after"},
		{"no kind", func(r *attention.Rules) { r.Own[1].Kind = "" }, "Rule 2: choose what the rule checks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			r.Own = append([]attention.OwnRule(nil), ok.Own...)
			tt.edit(&r)
			err := r.Validate(c, time.UTC)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestRulesConfigAndPreview(t *testing.T) {
	t.Parallel()
	in, at := intaketest.KTS101(t)
	tokyo := time.FixedZone("JST", 9*3600)
	day := at.In(tokyo).Format(time.DateOnly) // today in the teacher's zone: not over yet
	yesterday := at.In(tokyo).AddDate(0, 0, -1).Format(time.DateOnly)
	r := attention.Rules{InactiveDays: 20, Off: []cohort.FlagCode{"behind"}, Own: []attention.OwnRule{
		{N: 2, Kind: cohort.RuleNotCompletedBy, CMID: cmQuiz, Date: yesterday},
		{N: 3, Kind: cohort.RuleNotCompletedBy, CMID: cmQuiz, Date: day},
	}}
	cfg := r.Config(cohort.DefaultConfig(), tokyo)
	if cfg.InactiveAfter != 20*24*time.Hour || cfg.BehindRatio != 0.5 || !cfg.Off.Has("behind") || cfg.Rules[0].Kind != "" {
		t.Errorf("config = %+v", cfg)
	}
	if want := time.Date(at.In(tokyo).Year(), at.In(tokyo).Month(), at.In(tokyo).Day(), 0, 0, 0, 0, tokyo).Unix(); cfg.Rules[1].By != want {
		t.Errorf("rule 2 by = %v, want the end of yesterday in Tokyo", time.Unix(cfg.Rules[1].By, 0))
	}
	c := cohort.Build(in, at, cfg)
	pv := attention.PreviewOf(c)
	counts := map[cohort.FlagCode]int{}
	for _, p := range pv {
		counts[p.Code] = len(p.Students)
	}
	for _, fc := range c.FlagCounts {
		if fc.Code != cohort.FlagSuspended && counts[fc.Code] != fc.Count {
			t.Errorf("preview of %s: %d students, the cohort counts %d", fc.Code, counts[fc.Code], fc.Count)
		}
	}
	if _, listed := counts["behind"]; listed {
		t.Error("preview lists behind, which is off")
	}
	if counts["rule_2"] == 0 || counts["rule_3"] != 0 {
		t.Errorf("rule 2 (yesterday) flags %d, rule 3 (today, not over) %d", counts["rule_2"], counts["rule_3"])
	}
	// Soren (21 days away) is inactive at 20 days, Oliver (14) is not.
	if s, _ := c.Student(18); !s.HasFlag("inactive") {
		t.Error("soren not inactive at 20 days")
	}
	if s, _ := c.Student(14); s.HasFlag("inactive") {
		t.Error("oliver inactive at 20 days")
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back attention.Rules
	if err := json.Unmarshal(b, &back); err != nil || back.Own[1].Date != day || back.InactiveDays != 20 {
		t.Errorf("JSON round trip: %s → %+v, %v", b, back, err)
	}
	if n := r.FreeNumber(); n != 1 {
		t.Errorf("free number = %d, want 1", n)
	}
}
