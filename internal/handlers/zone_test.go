package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
)

// TestDatesInTeachersMoodleZone: pages and flag reasons show dates in the teacher's own Moodle
// zone by Moodle's rule (forced zone, profile, site default, then -timezone); the contract CSV
// stays UTC. A1 is due 1 Nov 19:44 UTC, which is 2 Nov in Brisbane and Auckland.
func TestDatesInTeachersMoodleZone(t *testing.T) {
	t.Parallel()
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		demo     func(*demo.Options)
		location *time.Location
		reason   string // ethan's overdue reason on the cohort page
		zone     string // the abbreviation on the student page's exact times
	}{
		{"profile zone, no DST", func(o *demo.Options) {
			o.UserTimezones = map[string]string{"kts.teacher": "Australia/Brisbane"}
			o.Timezone = "Europe/Copenhagen"
		}, la, "A1 overdue since 2 Nov", "AEST"},
		{"99: the site's default, in daylight saving time", func(o *demo.Options) {
			o.Timezone = "Pacific/Auckland"
		}, la, "A1 overdue since 2 Nov", "NZDT"},
		{"the site's forced zone beats the profile", func(o *demo.Options) {
			o.UserTimezones = map[string]string{"kts.teacher": "Australia/Brisbane"}
			o.ForceTimezone = "Europe/Copenhagen"
		}, la, "A1 overdue since 1 Nov", "CET"},
		{"nothing in Moodle: -timezone", nil, la, "A1 overdue since 1 Nov", "PST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, func(o *envOptions) { o.demo, o.location = tt.demo, tt.location })
			b := e.browser()
			b.signInTeacher()
			p := b.get("/course/2")
			if p.status != http.StatusOK || !strings.Contains(p.body, tt.reason) {
				t.Errorf("cohort page: status %d, want it to say %q", p.status, tt.reason)
			}
			if got := text(one(t, p.doc, "data-age")); !strings.Contains(got, " "+tt.zone+")") {
				t.Errorf("the data's age %q does not name the zone %s", got, tt.zone)
			}
			p = b.get("/course/2/student/30")
			if p.status != http.StatusOK || !strings.Contains(text(p.doc), tt.zone) {
				t.Errorf("student page: status %d, want times in %s:\n%s", p.status, tt.zone, text(p.doc))
			}
			p = b.get("/course/2/export.csv")
			if !strings.Contains(p.body, "2026-11-") || !strings.Contains(p.body, "Z,") {
				t.Errorf("CSV is not RFC 3339 UTC:\n%s", p.body)
			}
		})
	}
}

// TestTutorOutsideTheirCourseGetsASentence: Moodle's errorcoursecontextnotvalid (a course the
// user is not enrolled in) is a page that says so, not a raw error code.
func TestTutorOutsideTheirCourseGetsASentence(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signIn("kts.tutor", demo.TutorPassword)
	p := b.get("/course/3")
	if got := text(p.doc); p.status != http.StatusForbidden || strings.Contains(got, "errorcoursecontextnotvalid") || !strings.Contains(got, "not enrolled in it") {
		t.Errorf("tutor on a course they are not in: %d\n%s", p.status, got)
	}
}
