package contact

import "strings"

// Vars are what a message's placeholders are filled with for one student.
type Vars struct {
	FirstName string
	FullName  string
	Course    string
	Overdue   []string // names of the student's overdue assignments
	Reasons   string   // one sentence per reason the student is flagged for (internal/compose)
}

// Placeholders lists the placeholders a teacher may use, with what they become.
func Placeholders() [][2]string {
	return [][2]string{
		{"{firstname}", "the student's first name"},
		{"{fullname}", "the student's full name"},
		{"{course}", "the course's name"},
		{"{overdue}", "the student's overdue assignments, or “none”"},
		{"{reasons}", "a sentence for each reason the student needs attention, or nothing"},
	}
}

// Personalise fills the placeholders of text for one student.
func Personalise(text string, v Vars) string {
	overdue := "none"
	if len(v.Overdue) > 0 {
		overdue = strings.Join(v.Overdue, ", ")
	}
	first := v.FirstName
	if first == "" {
		first, _, _ = strings.Cut(v.FullName, " ")
	}
	return strings.NewReplacer("{firstname}", first, "{fullname}", v.FullName, "{course}", v.Course, "{overdue}", overdue, "{reasons}", v.Reasons).Replace(text)
}
