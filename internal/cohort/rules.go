package cohort

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxRules is how many rules of a teacher's own one course can have; rule n (1-based) raises
// the flag rule_<n>. Nine keeps the codes one digit, so that sorting them as text sorts them
// by number.
const MaxRules = 9

// RuleKind is what a teacher's own rule checks.
type RuleKind string

// Rule kinds.
const (
	// RuleNotCompletedBy: the activity CMID is not completed when By has passed.
	RuleNotCompletedBy RuleKind = "not_completed_by"
	// RuleNotSubmittedAfter: the assignment CMID is not submitted Days days after the
	// student's due date (the extension when they have one).
	RuleNotSubmittedAfter RuleKind = "not_submitted_after"
)

// Rule is one rule of a teacher's own. The zero Rule is an empty slot. Rule is comparable,
// so that a Config holding rules still is (the loader reuses a cohort built with an equal
// Config).
type Rule struct {
	Kind RuleKind
	CMID int64
	// By is the instant the activity must be completed by (RuleNotCompletedBy): the end of
	// the day the teacher chose, in their zone. ByLabel is that day as the teacher wrote it
	// for the reason ("12 Nov").
	By      int64 // Unix seconds
	ByLabel string
	// Days is how many days after the due date the work must be in (RuleNotSubmittedAfter).
	Days int
}

// FlagSet is a set of the default flag codes, one bit per code in FlagOrder.
type FlagSet uint8

// Has reports whether code is in the set.
func (s FlagSet) Has(code FlagCode) bool {
	i := slices.Index(FlagOrder(), code)
	return i >= 0 && s&(1<<i) != 0
}

// With returns the set with code added; a code that is not a default flag changes nothing.
func (s FlagSet) With(code FlagCode) FlagSet {
	if i := slices.Index(FlagOrder(), code); i >= 0 {
		return s | 1<<i
	}
	return s
}

// RuleCode is the flag code of the teacher's rule n (1-based): rule_1.
func RuleCode(n int) FlagCode { return FlagCode("rule_" + strconv.Itoa(n)) }

// RuleNumber returns n for the code rule_<n>, and false for any other code.
func RuleNumber(code FlagCode) (int, bool) {
	s, ok := strings.CutPrefix(string(code), "rule_")
	if !ok || len(s) != 1 || s[0] < '1' || s[0] > '0'+MaxRules {
		return 0, false
	}
	return int(s[0] - '0'), true
}

// FlagCodes returns the flag codes this cohort can raise, in summary order: the default
// ones that are not switched off, then the teacher's rules by number.
func (c *Cohort) FlagCodes() []FlagCode {
	var out []FlagCode
	for _, code := range FlagOrder() {
		if !c.Config.Off.Has(code) {
			out = append(out, code)
		}
	}
	for i, r := range c.Config.Rules {
		if r.Kind != "" {
			out = append(out, RuleCode(i+1))
		}
	}
	return out
}

// HasFlagCode reports whether code is a flag this cohort can raise.
func (c *Cohort) HasFlagCode(code FlagCode) bool { return slices.Contains(c.FlagCodes(), code) }

// applyRules drops the flags switched off and adds those of the teacher's own rules, keeping
// out sorted by code.
func applyRules(out []Flag, s *Student, fc flagContext) []Flag {
	if fc.cfg.Off != 0 {
		out = slices.DeleteFunc(out, func(f Flag) bool { return fc.cfg.Off.Has(f.Code) })
	}
	added := false
	for i, r := range fc.cfg.Rules {
		if reason := ruleReason(r, s, fc); reason != "" {
			out = append(out, Flag{RuleCode(i + 1), reason})
			added = true
		}
	}
	if added {
		slices.SortStableFunc(out, func(a, b Flag) int { return strings.Compare(string(a.Code), string(b.Code)) })
	}
	return out
}

// ruleReason is the reason rule r flags s for, or "" when it does not. Unknown data (completion
// or submissions not loaded) never flags.
func ruleReason(r Rule, s *Student, fc flagContext) string {
	switch r.Kind {
	case RuleNotCompletedBy:
		if !s.Completion.Loaded || fc.now.Unix() < r.By {
			return ""
		}
		st, listed := s.ActivityState(r.CMID)
		if !listed || st.State.Done() {
			return ""
		}
		return fc.activityNames[r.CMID] + " not completed by " + r.ByLabel
	case RuleNotSubmittedAfter:
		ai := slices.IndexFunc(fc.assignments, func(a Assignment) bool { return a.CMID == r.CMID })
		if ai < 0 || !fc.assignments[ai].Loaded || ai >= len(s.Assignments) {
			return ""
		}
		st := s.Assignments[ai]
		if st.Due.Never() || st.IsSubmitted() || st.Status == StatusUnknown {
			return ""
		}
		limit := st.Due.Time().Add(time.Duration(r.Days) * 24 * time.Hour)
		if !fc.now.After(limit) {
			return ""
		}
		return fmt.Sprintf("%s not submitted %s after its due date (%s)", fc.assignments[ai].Label, dayCount(r.Days), shortDate(st.Due.Time(), fc.now, fc.cfg.Location))
	}
	return ""
}

// dayCount says n days: "1 day", "3 days".
func dayCount(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}
