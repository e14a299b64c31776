package cohort_test

import (
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
)

// TestFlagReasonsInTeachersZone: the dates in flag reasons are the teacher's, not the server's.
// A1 is due 1 Nov 19:44 UTC and A3 20 Nov 19:44 UTC: already the next day in Brisbane
// (UTC+10, no DST) and in Auckland (UTC+13 in November, daylight saving time).
func TestFlagReasonsInTeachersZone(t *testing.T) {
	t.Parallel()
	in, now := intaketest.KTS101(t)
	zone := func(name string) *time.Location {
		l, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	tests := []struct {
		loc  *time.Location
		want string
	}{
		{nil, "A1 overdue since 1 Nov, A3 overdue since 20 Nov"},
		{time.UTC, "A1 overdue since 1 Nov, A3 overdue since 20 Nov"},
		{zone("Australia/Brisbane"), "A1 overdue since 2 Nov, A3 overdue since 21 Nov"},
		{zone("Pacific/Auckland"), "A1 overdue since 2 Nov, A3 overdue since 21 Nov"},
		{zone("America/Los_Angeles"), "A1 overdue since 1 Nov, A3 overdue since 20 Nov"},
	}
	for _, tt := range tests {
		name := "nil"
		if tt.loc != nil {
			name = tt.loc.String()
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// The server's clock is in another zone again: it must not matter.
			c := cohort.Build(in, now.In(zone("Asia/Tokyo")), cohort.Config{Location: tt.loc})
			var got string
			for _, f := range student(t, c, ethan).Flags {
				if f.Code == cohort.FlagOverdue {
					got = f.Reason
				}
			}
			if got != tt.want {
				t.Errorf("overdue reason = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestFlagReasonYearIsTheTeachersYear: on New Year's Eve in UTC it is already the new year in
// Brisbane, so a date of the old year gets its year written there, and the cohort is rebuilt
// at the teacher's midnight, when the words change.
func TestFlagReasonYearIsTheTeachersYear(t *testing.T) {
	t.Parallel()
	in, _ := intaketest.KTS101(t)
	brisbane, err := time.LoadLocation("Australia/Brisbane")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 31, 15, 0, 0, 0, time.UTC) // 1 Jan 2027 01:00 in Brisbane
	var reason string
	c := cohort.Build(in, now, cohort.Config{Location: brisbane})
	for _, f := range student(t, c, ethan).Flags {
		if f.Code == cohort.FlagOverdue {
			reason = f.Reason
		}
	}
	if want := "A1 overdue since 2 Nov 2026"; len(reason) < len(want) || reason[:len(want)] != want {
		t.Errorf("Brisbane on 1 Jan 2027: reason %q, want it to start %q", reason, want)
	}
	c = cohort.Build(in, now, cohort.Config{})
	for _, f := range student(t, c, ethan).Flags {
		if f.Code == cohort.FlagOverdue {
			reason = f.Reason
		}
	}
	if want := "A1 overdue since 1 Nov,"; len(reason) < len(want) || reason[:len(want)] != want {
		t.Errorf("UTC on 31 Dec 2026: reason %q, want it to start %q", reason, want)
	}
	if exp := cohort.Build(in, now.Add(-24*time.Hour), cohort.Config{Location: brisbane}).Expires(); exp.After(time.Date(2026, 12, 31, 14, 0, 0, 0, time.UTC)) {
		t.Errorf("Expires = %v, want no later than Brisbane's midnight (14:00 UTC)", exp)
	}
}
