package load

import (
	"context"

	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/moodle"
)

// gradeReportMaxStudents bounds the courses whose grade report is read: Moodle's reply is
// about 5 kB per student (every grade item with its feedback; 148 kB for KTS101's 30), so
// 2,000 students cost a 10 MB reply, and a 5,000-student course would cost 25 MB on every
// load. Above it the cohort has no columns for quizzes and other activities.
const gradeReportMaxStudents = 2000

// gradeItemsCall is the grade report of every student (userid 0: one call, not one per
// student) when the course has an activity other than an assignment that may be graded and
// no more than gradeReportMaxStudents students, else nil: other courses cost Moodle nothing
// more.
func gradeItemsCall(courseID int64, sections []moodle.Section, students int) *moodle.BatchCall[moodle.GradeItemsReply] {
	if students == 0 || students > gradeReportMaxStudents || !intake.HasGradable(sections) {
		return nil
	}
	return moodle.GradeItemsCall(courseID, 0)
}

// trimGradeItems keeps of the grade report what the cohort shows: the items of activities
// other than assignments, without their feedback, so a big course's snapshot stays small.
func trimGradeItems(r *moodle.GradeItemsReply) *moodle.GradeItemsReply {
	out := &moodle.GradeItemsReply{UserGrades: make([]moodle.UserGrades, 0, len(r.UserGrades))}
	for _, ug := range r.UserGrades {
		t := moodle.UserGrades{CourseID: ug.CourseID, UserID: ug.UserID}
		for _, gi := range ug.GradeItems {
			if gi.ItemType != "mod" || gi.ItemModule == "assign" || gi.CMID == 0 {
				continue
			}
			gi.Feedback, gi.PercentageFormatted, gi.IDNumber = "", "", ""
			t.GradeItems = append(t.GradeItems, gi)
		}
		out.UserGrades = append(out.UserGrades, t)
	}
	return out
}

// maxSuspendedGradeReports bounds the per-student grade reports read for suspended students
// (see suspendedGradeReports): one call each, so a course with hundreds of suspended
// enrolments does not cost Moodle hundreds of reports on every load.
const maxSuspendedGradeReports = 100

// suspendedGradeReports adds to r the grade reports of the suspended students it lacks: on a
// refresh, those suspended since the last load (whose reports did not ride in its batch).
// Moodle's report of every student (userid 0) leaves out suspended enrolments when the site
// or the teacher shows only active ones (grade_report_showonlyactiveenrol, on by default),
// and a student missing from it would read as a student without a grade; the report of one
// student has no such filter. The calls go in one batch request; if it fails, the suspended
// students' cells stay unknown and missing says so.
func (l *Loader) suspendedGradeReports(ctx context.Context, w moodle.Credentials, courseID int64, r *moodle.GradeItemsReply,
	roster []moodle.EnrolledUser, active map[int64]bool, missing func(string)) error {
	if active == nil {
		return nil // enrolment status unknown: every student counts as active
	}
	have := make(map[int64]bool, len(r.UserGrades))
	for _, ug := range r.UserGrades {
		have[ug.UserID] = true
	}
	calls, over := suspendedReportCalls(courseID, roster, active, have)
	if over {
		missing(gradesOfSuspended)
		return nil
	}
	if len(calls) == 0 {
		return nil
	}
	items := make([]moodle.BatchItem, len(calls))
	for i, c := range calls {
		items[i] = c
	}
	if err := l.mc.RunBatch(ctx, w.Token, items...); err != nil {
		return l.optional(err, gradesOfSuspended, missing)
	}
	addReports(r, calls)
	for _, c := range calls {
		if c.Err != nil {
			return l.optional(c.Err, gradesOfSuspended, missing)
		}
	}
	return nil
}

// suspendedReportCalls are the per-student grade reports of the suspended students of roster
// not in have; over is true when there are more than maxSuspendedGradeReports of them.
func suspendedReportCalls(courseID int64, roster []moodle.EnrolledUser, active, have map[int64]bool) (calls []*moodle.BatchCall[moodle.GradeItemsReply], over bool) {
	for _, id := range studentsByName(roster) {
		if !active[id] && !have[id] {
			calls = append(calls, moodle.GradeItemsCall(courseID, id))
		}
	}
	if len(calls) > maxSuspendedGradeReports {
		return nil, true
	}
	return calls, false
}

// addReports adds to r the replies of calls that succeeded, for students r does not have.
func addReports(r *moodle.GradeItemsReply, calls []*moodle.BatchCall[moodle.GradeItemsReply]) {
	have := make(map[int64]bool, len(r.UserGrades))
	for _, ug := range r.UserGrades {
		have[ug.UserID] = true
	}
	for _, c := range calls {
		if c.Err != nil {
			continue
		}
		for _, ug := range c.Reply.UserGrades {
			if !have[ug.UserID] {
				r.UserGrades = append(r.UserGrades, ug)
				have[ug.UserID] = true
			}
		}
	}
}

const gradesOfSuspended = "grades of quizzes and other activities for suspended students"

// loadGradeItems reads the grade report, one request of its own (with the suspended
// students' reports), into f. It fails softly:
// the cohort then shows no columns for quizzes and other activities and names what is missing.
func (l *Loader) loadGradeItems(ctx context.Context, w moodle.Credentials, courseID int64, call *moodle.BatchCall[moodle.GradeItemsReply],
	roster []moodle.EnrolledUser, active map[int64]bool, f *courseFlight, missing func(string)) error {
	// The suspended students' own reports ride in the same request (see suspendedGradeReports).
	items := []moodle.BatchItem{call}
	suspended, over := suspendedReportCalls(courseID, roster, active, nil)
	if over {
		missing(gradesOfSuspended)
	}
	for _, c := range suspended {
		items = append(items, c)
	}
	if err := l.mc.RunBatch(ctx, w.Token, items...); err != nil {
		return l.optional(err, gradesOfActivities, missing)
	}
	if l.optional(call.Err, gradesOfActivities, missing) == nil {
		addReports(&call.Reply, suspended)
		for _, c := range suspended {
			if c.Err != nil { // a Moodle answer for one student: the others' reports stand
				l.log.Warn("partial load", "part", gradesOfSuspended, "err", c.Err)
				missing(gradesOfSuspended)
				break
			}
		}
		r := trimGradeItems(&call.Reply)
		f.set(func(b *building) { b.in.GradeItems = r })
	}
	return nil
}

const gradesOfActivities = "grades of quizzes and other activities"
