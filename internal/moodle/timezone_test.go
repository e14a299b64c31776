package moodle_test

import (
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/moodle"
)

func TestUserZone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		force, user, site string
		want              string
		ok                bool
	}{
		{"user's own zone", "99", "Australia/Brisbane", "Europe/Copenhagen", "Australia/Brisbane", true},
		{"99 is the site default", "99", "99", "Europe/Copenhagen", "Europe/Copenhagen", true},
		{"forced zone wins", "America/New_York", "Australia/Brisbane", "Europe/Copenhagen", "America/New_York", true},
		{"nothing set: caller's default", "99", "99", "99", "", false},
		{"empty, as a token without the config call sees it", "", "", "", "", false},
		{"unknown name is skipped", "", "Mars/Olympus", "Europe/Berlin", "Europe/Berlin", true},
		{"legacy numeric offset", "", "5.5", "", "5.5", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := moodle.UserZone(tc.force, tc.user, tc.site)
			if got != tc.want || ok != tc.ok {
				t.Errorf("UserZone(%q, %q, %q) = %q, %v; want %q, %v", tc.force, tc.user, tc.site, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestLoadZone(t *testing.T) {
	t.Parallel()
	a, ok := moodle.LoadZone("Australia/Brisbane")
	b, _ := moodle.LoadZone("Australia/Brisbane")
	if !ok || a != b {
		t.Fatalf("LoadZone gave %v, %v, %v: want one pointer per name", a, b, ok)
	}
	at := time.Date(2026, 11, 8, 19, 44, 48, 0, time.UTC)
	if got := at.In(a).Format("2 Jan 15:04"); got != "9 Nov 05:44" {
		t.Errorf("Brisbane: %s, want 9 Nov 05:44", got)
	}
	ist, ok := moodle.LoadZone("5.5")
	if !ok || at.In(ist).Format("15:04 MST") != "01:14 UTC+5.5" {
		t.Errorf("5.5: %s, %v", at.In(ist).Format("15:04 MST"), ok)
	}
	for _, bad := range []string{"", "Local", "Mars/Olympus", "99.5"} {
		if _, ok := moodle.LoadZone(bad); ok {
			t.Errorf("LoadZone(%q) ok", bad)
		}
	}
}
