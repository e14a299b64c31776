package export

import (
	"io"
	"slices"
	"strings"

	"github.com/knowthystudents/kts/internal/cohort"
)

// CohortHeader returns the header row of the cohort CSV for c: the contract's fixed columns,
// then a status and a grade column per assignment in course order.
func CohortHeader(c *cohort.Cohort) []string {
	h := []string{
		"userid", "fullname", "email", "groups", "enrolment", "lastcourseaccess",
		"activities_completed", "activities_total", "completion_percent", "course_completed", "flags",
	}
	for _, a := range c.Assignments {
		h = append(h, text(a.Name+": status"), text(a.Name+": grade"))
	}
	return h
}

// WriteCohortCSV writes rows (the students of the current filter, in its order) as the
// contract's cohort CSV. Completion columns are empty while a student's completion is not
// loaded, and a status cell is empty when the assignment's submissions were not loaded.
func WriteCohortCSV(w io.Writer, c *cohort.Cohort, rows []cohort.Student) error {
	cw := newWriter(w)
	if err := cw.row(CohortHeader(c)); err != nil {
		return err
	}
	for _, s := range rows {
		if err := cw.row(cohortRow(c, s)); err != nil {
			return err
		}
	}
	return cw.flush()
}

func cohortRow(c *cohort.Cohort, s cohort.Student) []string {
	r := make([]string, 0, 11+2*len(c.Assignments))
	r = append(r,
		integer(s.ID), text(s.FullName), text(s.Email), text(strings.Join(s.GroupNames(), "; ")),
		s.Enrolment(), timestamp(s.LastCourseAccess),
	)
	if comp := s.Completion; comp.Loaded {
		r = append(r, integer(int64(comp.Completed)), integer(int64(comp.Total)), integer(int64(comp.Percent)))
	} else {
		r = append(r, "", "", "")
	}
	r = append(r, yesNo(s.Completion.CourseCompleted), flagCodes(s.Flags))
	for i := range c.Assignments {
		var a cohort.AssignmentStatus
		if i < len(s.Assignments) {
			a = s.Assignments[i]
		}
		grade := ""
		if a.Graded {
			grade = number(a.Grade)
		}
		r = append(r, string(a.Status), grade)
	}
	return r
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// flagCodes joins the flag codes, sorted, with ";".
func flagCodes(fs []cohort.Flag) string {
	codes := make([]string, len(fs))
	for i, f := range fs {
		codes[i] = string(f.Code)
	}
	slices.Sort(codes)
	return strings.Join(codes, ";")
}
