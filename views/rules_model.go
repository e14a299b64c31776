package views

import (
	"strconv"
	"time"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
)

// RulesView is the flag rules page of one teacher and course.
type RulesView struct {
	Action          string
	Path            string
	InactiveDays    string
	DefaultInactive int
	BehindPercent   string
	DefaultBehind   int
	Off             []Choice
	Own             []RuleForm // the teacher's rules, then one empty slot (when a number is free)
	Preview         []PreviewRow
	// Candidate is true when the preview is of rules posted but not saved.
	Candidate bool
	Error     string
	Saved     bool
}

// RuleForm is the fields of one rule of the teacher's own.
type RuleForm struct {
	N       int
	Kind    string
	CMID    int64
	Date    string
	Days    string
	Targets []Choice // the course's activities with completion and its assignments
	New     bool
}

// Prefix is the rule's field name prefix: rule_3_.
func (f RuleForm) Prefix() string { return "rule_" + strconv.Itoa(f.N) + "_" }

// PreviewRow is what one flag code flags now.
type PreviewRow struct {
	Code  string
	Label string
	Rule  string // the rule in words, for the teacher's own
	Count int
	Names []NameLink
	More  int
}

// NameLink is a student's name with a link to their page.
type NameLink struct{ Name, Href string }

const previewNames = 20

// NewRulesView shapes rules for the form; preview (nil: none) is the cohort built with them.
func NewRulesView(c *cohort.Cohort, r attention.Rules, def cohort.Config, preview *cohort.Cohort, candidate bool) RulesView {
	path := CoursePath(c.Course.ID)
	v := RulesView{Action: RulesPath(c.Course.ID), Path: path, Candidate: candidate,
		DefaultInactive: int(def.InactiveAfter / (24 * time.Hour)), DefaultBehind: int(def.BehindRatio*100 + 0.5)}
	if r.InactiveDays != 0 {
		v.InactiveDays = strconv.Itoa(r.InactiveDays)
	}
	if r.BehindPercent != 0 {
		v.BehindPercent = strconv.Itoa(r.BehindPercent)
	}
	for _, code := range cohort.FlagOrder() {
		sel := false
		for _, o := range r.Off {
			sel = sel || o == code
		}
		v.Off = append(v.Off, Choice{Value: string(code), Label: FlagLabels[code], Selected: sel})
	}
	var targets []Choice
	seen := map[int64]bool{}
	for _, a := range c.Activities {
		seen[a.CMID] = true
		targets = append(targets, Choice{Value: strconv.FormatInt(a.CMID, 10), Label: a.Name})
	}
	for _, a := range c.Assignments {
		if !seen[a.CMID] {
			targets = append(targets, Choice{Value: strconv.FormatInt(a.CMID, 10), Label: a.Name})
		}
	}
	pick := func(cmid int64) []Choice {
		out := make([]Choice, len(targets))
		for i, t := range targets {
			t.Selected = t.Value == strconv.FormatInt(cmid, 10)
			out[i] = t
		}
		return out
	}
	describe := map[cohort.FlagCode]string{}
	for _, o := range r.Own {
		f := RuleForm{N: o.N, Kind: string(o.Kind), CMID: o.CMID, Date: o.Date, Targets: pick(o.CMID)}
		if o.Kind == cohort.RuleNotSubmittedAfter {
			f.Days = strconv.Itoa(o.Days)
		}
		v.Own = append(v.Own, f)
		describe[cohort.RuleCode(o.N)] = o.Describe(c)
	}
	if n := r.FreeNumber(); n > 0 {
		v.Own = append(v.Own, RuleForm{N: n, New: true, Targets: pick(0), Days: "0"})
	}
	if preview != nil {
		for _, p := range attention.PreviewOf(preview) {
			row := PreviewRow{Code: string(p.Code), Label: FlagLabels[p.Code], Rule: describe[p.Code], Count: len(p.Students)}
			for i, s := range p.Students {
				if i == previewNames {
					row.More = len(p.Students) - previewNames
					break
				}
				row.Names = append(row.Names, NameLink{Name: s.FullName, Href: StudentPath(c.Course.ID, s.ID)})
			}
			v.Preview = append(v.Preview, row)
		}
	}
	return v
}

func studentsWord(n int) string {
	if n == 1 {
		return "student:"
	}
	return "students:"
}

// nameSep goes after the i-th of n names: a comma, none after the last.
func nameSep(i, n int) string {
	if i == n-1 {
		return ""
	}
	return ","
}
