package demo

import (
	"testing"
	"time"
)

// bigStats counts what a generated course holds, for comparison with the
// lab's BIG500 (fixtures README).
type bigStats struct {
	never, suspended, ghosts               int
	completions                            int
	records, submitted, late, draft, fresh int
	graded                                 int
	perActivity                            []int
}

func statsOf(c *course) bigStats {
	var st bigStats
	st.perActivity = make([]int, len(c.mods))
	for _, e := range c.enrols {
		if !e.isStudent() {
			continue
		}
		if e.user.firstaccess == 0 {
			st.never++
		}
		if e.suspended {
			st.suspended++
		}
		done := 0
		for _, m := range c.mods {
			if m.completion > 0 && c.completionOf(e, m).state != compIncomplete {
				st.completions++
				st.perActivity[m.idx]++
				done++
			}
		}
		if e.user.firstaccess != 0 && done <= 2 {
			st.ghosts++
		}
		for i, sub := range e.p.subs {
			if sub.status == subNone {
				continue
			}
			st.records++
			switch sub.status {
			case subSubmitted:
				st.submitted++
				if sub.modified > c.assigns[i].duedate {
					st.late++
				}
			case subDraft:
				st.draft++
			case subNew:
				st.fresh++
			}
			if e.p.grades[i].set {
				st.graded++
			}
		}
	}
	return st
}

func within(t *testing.T, name string, got, want int, tolerance float64) {
	t.Helper()
	lo, hi := float64(want)*(1-tolerance), float64(want)*(1+tolerance)
	if float64(got) < lo || float64(got) > hi {
		t.Errorf("%s = %d, want about %d (±%.0f%%)", name, got, want, tolerance*100)
	}
}

func TestBIG500LooksLikeTheLab(t *testing.T) {
	t.Parallel()
	s := New(Options{Now: time.Unix(1795376688, 0)})
	c := s.courseByID[BIG500CourseID]
	if len(c.enrols) != 501 || len(c.mods) != 26 || len(c.assigns) != 5 || len(c.groups) != 6 {
		t.Fatalf("BIG500: %d enrolments, %d modules, %d assignments, %d groups",
			len(c.enrols), len(c.mods), len(c.assigns), len(c.groups))
	}
	for i, m := range c.mods[1:] {
		if m.cmid != 12+i {
			t.Fatalf("activity %d has cmid %d, want %d", i, m.cmid, 12+i)
		}
	}
	for i, m := range c.assigns {
		if m.assignID != 4+i || m.duedate != s.days(bigDueDays()[i]) {
			t.Errorf("assignment %d: id %d due %d", i, m.assignID, m.duedate)
		}
	}
	if u := s.users[35]; u.username != "big500.s001" || u.idnumber != "B500-001" {
		t.Errorf("first BIG500 student = %s %s", u.username, u.idnumber)
	}
	st := statsOf(c)
	t.Logf("BIG500: %+v", st)
	if st.never != 17 || st.suspended != 9 {
		t.Errorf("never logged in %d (want 17), suspended %d (want 9)", st.never, st.suspended)
	}
	within(t, "completion rows", st.completions, 6018, 0.2)
	within(t, "submission records", st.records, 1423, 0.2)
	within(t, "submitted", st.submitted, 1083, 0.2)
	within(t, "late", st.late, 123, 0.5)
	within(t, "graded", st.graded, 659, 0.25)
	if first, last := st.perActivity[1], st.perActivity[len(st.perActivity)-1]; last >= first/2 {
		t.Errorf("completions of the first activity %d, the last %d: want far fewer later in the course", first, last)
	}
	if st.ghosts < 10 {
		t.Errorf("%d students who logged in but did (almost) nothing, want some ghosts", st.ghosts)
	}
}

func TestBigCourseBuildsFast(t *testing.T) {
	t.Parallel()
	start := time.Now()
	s := New(Options{Now: time.Unix(1795376688, 0), BigStudents: 5000})
	elapsed := time.Since(start)
	c := s.courseByID[BigCourseID]
	if len(c.enrols) != 5001 || c.shortname != "BIG5000" {
		t.Fatalf("big course: %s with %d enrolments", c.shortname, len(c.enrols))
	}
	if u := s.users[535]; u.username != "big5000.s0001" || u.idnumber != "B5000-0001" {
		t.Errorf("first student = %s %s", u.username, u.idnumber)
	}
	// Typically tens of milliseconds; the race detector makes it 10–50×
	// slower, and parallel tests share the CPUs.
	bound := time.Second
	if raceEnabled {
		bound = 20 * time.Second
	}
	if elapsed > bound {
		t.Errorf("building 5,000 students took %v, want well under a second", elapsed)
	}
	st := statsOf(c)
	t.Logf("BIG5000 built in %v: %+v", elapsed, st)
	within(t, "never logged in", st.never, 170, 0.35)
	within(t, "suspended", st.suspended, 90, 0.4)
	// The benchmark course does not change BIG500.
	if a, b := statsOf(s.courseByID[BIG500CourseID]), statsOf(New(Options{Now: time.Unix(1795376688, 0)}).courseByID[BIG500CourseID]); a.completions != b.completions || a.records != b.records {
		t.Error("adding the benchmark course changed BIG500")
	}
}

func TestRealisticLatencyMatchesMeasurements(t *testing.T) {
	t.Parallel()
	l := RealisticLatency()
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	for _, tc := range []struct {
		fn    string
		units float64
		want  float64 // ms, measured
	}{
		{"core_webservice_get_site_info", 0, 23},
		{"core_enrol_get_enrolled_users", 501, 1676},
		{"core_enrol_get_enrolled_users", 501 * 0.645, 1081},
		{"core_course_get_contents", 25, 42},
		{"mod_assign_get_assignments", 0, 42},
		{"mod_assign_get_submissions", 5 * 500, 2009},
		{"mod_assign_get_grades", 0, 38},
		{"gradereport_user_get_grade_items", 500, 5214},
		{"core_completion_get_activities_completion_status", 25, 54},
	} {
		got := ms(l.Request + l.cost(tc.fn, tc.units))
		if got < tc.want*0.95 || got > tc.want*1.05 {
			t.Errorf("%s with %v units: %.0f ms, measured %.0f ms", tc.fn, tc.units, got, tc.want)
		}
	}
	inner := l.cost("core_completion_get_activities_completion_status", 25)
	batch := l.Request + l.cost("tool_mobile_call_external_functions", 0) +
		time.Duration(25*l.batchFactor()*float64(inner))
	if got := ms(batch); got < 600 || got > 700 {
		t.Errorf("a batch of 25 completion calls: %.0f ms, measured ≈650 ms", got)
	}
}
