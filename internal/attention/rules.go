package attention

import (
	"slices"
	"strconv"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// Rules are a teacher's flag rules for one course: thresholds, default flags switched off
// and rules of their own. The zero Rules are the server's defaults. They are stored as JSON.
type Rules struct {
	// InactiveDays: days without course access that make a student inactive (0: default).
	InactiveDays int `json:"inactive_days,omitempty"`
	// BehindPercent: a student is behind below this share of the median, 1–100 (0: default).
	BehindPercent int               `json:"behind_percent,omitempty"`
	Off           []cohort.FlagCode `json:"off,omitempty"`
	Own           []OwnRule         `json:"own,omitempty"`
}

// OwnRule is a rule of the teacher's own; N (1–9) is its number, its flag is rule_<N>.
type OwnRule struct {
	N    int             `json:"n"`
	Kind cohort.RuleKind `json:"kind"`
	CMID int64           `json:"cmid"`
	Date string          `json:"date,omitempty"` // YYYY-MM-DD, not_completed_by
	Days int             `json:"days,omitempty"` // not_submitted_after
}

// RulesError is rules that do not validate; Reason is a sentence for the teacher.
type RulesError struct{ Reason string }

func (e *RulesError) Error() string { return e.Reason }

func invalid(reason string) error { return &RulesError{Reason: reason} }

// Limits of the thresholds.
const (
	MaxInactiveDays = 365
	MaxDaysAfterDue = 365
)

// Validate checks r against the course c: each threshold in range, each flag switched off a
// default flag, each own rule about an activity with completion or an assignment of c. The
// error is a sentence a teacher understands.
func (r Rules) Validate(c *cohort.Cohort, loc *time.Location) error {
	if r.InactiveDays < 0 || r.InactiveDays > MaxInactiveDays {
		return invalid("“Inactive after” must be a number of days from 1 to " + strconv.Itoa(MaxInactiveDays) + ".")
	}
	if r.BehindPercent < 0 || r.BehindPercent > 100 {
		return invalid("“Behind” must be a share of the median from 1 to 100 %.")
	}
	for _, code := range r.Off {
		if !slices.Contains(cohort.FlagOrder(), code) {
			return invalid("“" + clip(string(code)) + "” is not a flag that can be switched off.")
		}
	}
	seen := map[int]bool{}
	for _, o := range r.Own {
		n := strconv.Itoa(o.N)
		if o.N < 1 || o.N > cohort.MaxRules || seen[o.N] {
			return invalid("Rules are numbered 1 to " + strconv.Itoa(cohort.MaxRules) + ", each once.")
		}
		seen[o.N] = true
		switch o.Kind {
		case cohort.RuleNotCompletedBy:
			if _, ok := c.Activity(o.CMID); !ok {
				return invalid("Rule " + n + ": choose an activity with completion tracking.")
			}
			if _, ok := DayStart(o.Date, loc); !ok {
				return invalid("Rule " + n + ": the date must be a day such as 2026-11-30.")
			}
		case cohort.RuleNotSubmittedAfter:
			if _, ok := c.Assignment(o.CMID); !ok {
				return invalid("Rule " + n + ": choose one of the course's assignments.")
			}
			if o.Days < 0 || o.Days > MaxDaysAfterDue {
				return invalid("Rule " + n + ": the days after the due date must be from 0 to " + strconv.Itoa(MaxDaysAfterDue) + ".")
			}
		default:
			return invalid("Rule " + n + ": choose what the rule checks.")
		}
	}
	return nil
}

// Config returns the cohort configuration r makes of the server's defaults def: dates are
// days in loc, and an activity must be completed by the end of its day.
func (r Rules) Config(def cohort.Config, loc *time.Location) cohort.Config {
	cfg := def
	if r.InactiveDays > 0 {
		cfg.InactiveAfter = time.Duration(r.InactiveDays) * 24 * time.Hour
	}
	if r.BehindPercent > 0 {
		cfg.BehindRatio = float64(r.BehindPercent) / 100
	}
	for _, code := range r.Off {
		cfg.Off = cfg.Off.With(code)
	}
	for _, o := range r.Own {
		if o.N < 1 || o.N > cohort.MaxRules {
			continue
		}
		rule := cohort.Rule{Kind: o.Kind, CMID: o.CMID, Days: o.Days}
		if o.Kind == cohort.RuleNotCompletedBy {
			start, ok := DayStart(o.Date, loc)
			if !ok {
				continue
			}
			rule.By = start.AddDate(0, 0, 1).Unix()
			rule.ByLabel = start.Format("2 Jan 2006")
		}
		cfg.Rules[o.N-1] = rule
	}
	return cfg
}

// Describe says rule o in words: "Week 2 quiz not completed by 30 Nov 2026".
func (o OwnRule) Describe(c *cohort.Cohort) string {
	switch o.Kind {
	case cohort.RuleNotCompletedBy:
		a, _ := c.Activity(o.CMID)
		return a.Name + " not completed by the end of " + o.Date
	case cohort.RuleNotSubmittedAfter:
		a, _ := c.Assignment(o.CMID)
		return a.Name + " not submitted " + strconv.Itoa(o.Days) + " days after its due date"
	}
	return ""
}

// FreeNumber returns the lowest rule number r does not use, 0 when all are taken.
func (r Rules) FreeNumber() int {
	for n := 1; n <= cohort.MaxRules; n++ {
		if !slices.ContainsFunc(r.Own, func(o OwnRule) bool { return o.N == n }) {
			return n
		}
	}
	return 0
}

// Preview is how many and which active students one flag code flags under some rules.
type Preview struct {
	Code     cohort.FlagCode
	Students []cohort.Student
}

// PreviewOf lists, per flag code c raises, the active students it flags, in c's code order.
func PreviewOf(c *cohort.Cohort) []Preview {
	codes := c.FlagCodes()
	out := make([]Preview, len(codes))
	for i, code := range codes {
		out[i].Code = code
	}
	for _, s := range c.Students {
		if s.Suspended {
			continue
		}
		for _, f := range s.Flags {
			if i := slices.Index(codes, f.Code); i >= 0 {
				out[i].Students = append(out[i].Students, s)
			}
		}
	}
	return out
}

func clip(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}
