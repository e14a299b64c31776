package handlers

import (
	"strings"

	"github.com/knowthystudents/kts/internal/htmltext"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/views"
)

// studentExtras reads what the student page shows beyond the cohort out of Moodle's replies:
// Moodle's HTML becomes text here (htmltext), and the pass or fail of a grade is the Moodle
// client's reading of it, so the views see neither.
func studentExtras(x *load.StudentExtras) *views.StudentExtras {
	if x == nil {
		return nil
	}
	v := &views.StudentExtras{Missing: x.Missing, Feedback: map[int64]bool{}}
	if p := x.Profile; p != nil {
		for _, r := range p.Roles {
			v.Roles = append(v.Roles, roleName(r))
		}
		v.Email = p.Email
	}
	for _, gi := range x.GradeItems {
		feedback := strings.TrimSpace(gi.Feedback) != ""
		if gi.CMID != 0 && feedback {
			v.Feedback[gi.CMID] = true
		}
		if gi.ItemType == "course" || gi.ItemName == nil {
			continue
		}
		g := views.GradeLine{Name: *gi.ItemName, Module: gi.ItemModule, Min: gi.GradeMin, Max: gi.GradeMax,
			Grade: gi.GradeRaw.Value, Graded: gi.GradeRaw.Valid, Percent: htmltext.Text(gi.PercentageFormatted), Feedback: feedback}
		if pass, ok := gi.Pass(); ok {
			g.Result = "fail"
			if pass {
				g.Result = "pass"
			}
		}
		v.Grades = append(v.Grades, g)
	}
	if n := x.Notes; n != nil {
		v.CanAddNote = n.CanManageCourseNotes
		add := func(kind string, ns []moodle.Note) {
			for _, n := range ns {
				v.Notes = append(v.Notes, views.NoteLine{Kind: kind, Text: htmltext.Text(n.Content), Created: n.Created})
			}
		}
		add("personal", n.PersonalNotes)
		add("course", n.CourseNotes)
		add("site", n.SiteNotes)
	}
	if x.Conversation != nil {
		for _, m := range x.Conversation.Messages {
			v.Messages = append(v.Messages, views.MessageLine{From: m.UserIDFrom, Text: htmltext.Text(m.Text), Sent: m.TimeCreated})
		}
	}
	return v
}

// courseCriteria is the student's course completion as the page shows it; nil when Moodle did
// not say.
func courseCriteria(cc *moodle.CourseCompletion) *views.CourseCriteria {
	if cc == nil {
		return nil
	}
	v := &views.CourseCriteria{Completed: cc.CompletionStatus.Completed}
	for _, cr := range cc.CompletionStatus.Completions {
		v.Criteria = append(v.Criteria, views.Criterion{Title: cr.Title, Requirement: cr.Details.Requirement,
			Status: htmltext.Text(cr.Details.Criteria), Complete: cr.Complete})
	}
	return v
}

// roleName is a role's name, or a readable form of its shortname when Moodle sends none.
func roleName(r moodle.Role) string {
	if r.Name != "" {
		return r.Name
	}
	switch r.ShortName {
	case "editingteacher":
		return "Teacher"
	case "teacher":
		return "Non-editing teacher"
	case "student":
		return "Student"
	case "manager":
		return "Manager"
	}
	return r.ShortName
}
