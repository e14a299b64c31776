package cohort

import (
	"strings"
	"unicode"

	"github.com/knowthystudents/kts/internal/when"
)

// Assignment is one assignment of the course, in course order.
type Assignment struct {
	ID   int64 // the assignment instance id (mod_assign ids, not the cmid)
	CMID int64
	Name string
	// Label is the short name flag reasons use: the leading code of the name when it has one
	// ("A1" for "A1 Essay: Learning styles"), else the whole name.
	Label   string
	Section string
	DueDate when.Time // never when the assignment has no due date
	// GradeMax is the maximum grade; negative when the assignment is graded on a scale.
	GradeMax float64
	// Loaded is false when the assignment's submissions were not loaded, so that its
	// statuses are unknown rather than "overdue".
	Loaded bool
}

// shortLabel returns the leading code of an assignment name ("A1", "HW3", "TMA01") when the
// first word looks like one, else the name itself.
func shortLabel(name string) string {
	first, rest, ok := strings.Cut(strings.TrimSpace(name), " ")
	if !ok || rest == "" || len([]rune(first)) > 6 {
		return name
	}
	var letter, digit bool
	for _, r := range first {
		switch {
		case unicode.IsLetter(r):
			letter = true
		case unicode.IsDigit(r):
			digit = true
		default:
			return name
		}
	}
	if letter && digit {
		return first
	}
	return name
}
