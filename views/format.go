package views

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/knowthystudents/kts/internal/when"
)

// Ago says how long ago t was, in the words a teacher uses: "today", "yesterday",
// "3 days ago", "never". "Today" is today in now's zone: pass now in the teacher's.
func Ago(t when.Time, now time.Time) string {
	if t.Never() {
		return "never"
	}
	d := now.Sub(t.Time())
	local := t.Time().In(now.Location())
	switch {
	case d < 0:
		return "just now"
	case d < time.Hour:
		return "within the hour"
	case d < 24*time.Hour && now.YearDay() == local.YearDay() && now.Year() == local.Year():
		return "today"
	case d < 48*time.Hour:
		return "yesterday"
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d.Hours()/24))
	}
	return fmt.Sprintf("%d months ago", int(d.Hours()/24/30))
}

// Exact is a timestamp in full, for titles and detail pages; empty for "never".
func Exact(t when.Time, loc *time.Location) string {
	if t.Never() {
		return ""
	}
	return t.Time().In(loc).Format("Mon 2 Jan 2006, 15:04 MST")
}

// Day is a short date: "12 Nov".
func Day(t when.Time, loc *time.Location) string {
	if t.Never() {
		return ""
	}
	return t.Time().In(loc).Format("2 Jan")
}

// ISO is RFC 3339 for <time datetime>.
func ISO(t when.Time) string {
	if t.Never() {
		return ""
	}
	return t.Time().UTC().Format(time.RFC3339)
}

// Span says a duration in days or hours: "2 days", "5 hours".
func Span(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24))
	case d >= 24*time.Hour:
		return "1 day"
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	case d >= time.Hour:
		return "1 hour"
	}
	return fmt.Sprintf("%d minutes", max(1, int(d.Minutes())))
}

// Num writes a grade as a plain number: 92, 78.5.
func Num(f float64) string {
	if f == math.Trunc(f) {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Itoa is strconv.Itoa for templates.
func Itoa(i int) string { return strconv.Itoa(i) }

// ID writes an id.
func ID(i int64) string { return strconv.FormatInt(i, 10) }

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// stateClass maps a completion state to its badge class.
func stateClass(state string) string {
	switch state {
	case "complete", "pass":
		return "complete"
	case "fail":
		return "fail"
	}
	return "incomplete"
}
