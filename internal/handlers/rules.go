package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/views"
)

// rulesForm shows this teacher's flag rules for the course and what they flag now.
func (s *server) rulesForm(w http.ResponseWriter, r *http.Request) error {
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	rules, err := s.Memory.Rules(r.Context(), s.memKey(r, cd.id))
	if err != nil {
		return err
	}
	v := views.NewRulesView(cd.cohort, rules, s.Cohort, cd.cohort, false)
	v.Saved = saidSaved(r.URL.Query())
	return s.renderRules(w, r, cd, http.StatusOK, v)
}

// saveRules previews (action=preview) or saves the rules posted.
func (s *server) saveRules(w http.ResponseWriter, r *http.Request) error {
	cd, err := s.loadCourse(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return badRequest("The form could not be read.")
	}
	rules, perr := parseRules(r.PostForm)
	if perr == nil {
		perr = rules.Validate(cd.cohort, s.zone(r))
	}
	if perr != nil {
		var re *attention.RulesError
		if !errors.As(perr, &re) {
			return perr
		}
		v := views.NewRulesView(cd.cohort, rules, s.Cohort, nil, true)
		v.Error = re.Reason
		return s.renderRules(w, r, cd, http.StatusBadRequest, v)
	}
	if r.PostForm.Get("action") == "preview" {
		preview := intake.Build(cd.snap.Input, s.Now(), rules.Config(s.Cohort, s.zone(r)))
		v := views.NewRulesView(cd.cohort, rules, s.Cohort, preview, true)
		return s.renderRules(w, r, cd, http.StatusOK, v)
	}
	if err := s.Memory.SetRules(r.Context(), s.memKey(r, cd.id), rules, s.Now()); err != nil {
		return err
	}
	http.Redirect(w, r, views.RulesSaved(cd.id), http.StatusSeeOther)
	return nil
}

func (s *server) renderRules(w http.ResponseWriter, r *http.Request, cd *courseData, status int, v views.RulesView) error {
	if isFragment(r) {
		s.render(w, r, status, views.RulesContent(v))
		return nil
	}
	p := s.page(r, "Flag rules · "+cd.cohort.Course.FullName, courseCrumbs(cd.cohort, views.Crumb{Label: "Flag rules"})...)
	s.render(w, r, status, views.RulesPage(p, v))
	return nil
}

// parseRules reads the rules form: inactive_days, behind_percent (empty: the default), off
// (repeated), and per rule n (1–9) rule_n_kind (empty: no rule n), rule_n_cmid, rule_n_date,
// rule_n_days.
func parseRules(f url.Values) (attention.Rules, error) {
	var r attention.Rules
	num := func(name, what string) (int, error) {
		raw := strings.TrimSpace(f.Get(name))
		if raw == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			return 0, &attention.RulesError{Reason: "“" + clip(raw, 20) + "” is not a whole number of " + what + "."}
		}
		return n, nil
	}
	var err error
	if r.InactiveDays, err = num("inactive_days", "days"); err != nil {
		return r, err
	}
	if r.InactiveDays == 0 && strings.TrimSpace(f.Get("inactive_days")) == "0" {
		r.InactiveDays = -1 // 0 days is not a threshold; Validate says so
	}
	if r.BehindPercent, err = num("behind_percent", "percent"); err != nil {
		return r, err
	}
	if r.BehindPercent == 0 && strings.TrimSpace(f.Get("behind_percent")) == "0" {
		r.BehindPercent = -1
	}
	for _, code := range f["off"] {
		if c := cohort.FlagCode(code); !slices.Contains(r.Off, c) {
			r.Off = append(r.Off, c)
		}
	}
	for n := 1; n <= cohort.MaxRules; n++ {
		p := "rule_" + strconv.Itoa(n) + "_"
		kind := f.Get(p + "kind")
		if kind == "" {
			continue
		}
		o := attention.OwnRule{N: n, Kind: cohort.RuleKind(kind), Date: strings.TrimSpace(f.Get(p + "date"))}
		if raw := f.Get(p + "cmid"); raw != "" {
			id, err := strconv.ParseInt(raw, 10, 64)
			if err != nil {
				return r, &attention.RulesError{Reason: "Rule " + strconv.Itoa(n) + ": choose an activity of the course."}
			}
			o.CMID = id
		}
		if o.Days, err = num(p+"days", "days"); err != nil {
			return r, err
		}
		if o.Kind == cohort.RuleNotCompletedBy {
			o.Days = 0
		} else {
			o.Date = ""
		}
		r.Own = append(r.Own, o)
	}
	return r, nil
}
