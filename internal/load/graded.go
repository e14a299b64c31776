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

// loadGradeItems reads the grade report, one request of its own, into f. It fails softly:
// the cohort then shows no columns for quizzes and other activities and names what is missing.
func (l *Loader) loadGradeItems(ctx context.Context, w moodle.Credentials, call *moodle.BatchCall[moodle.GradeItemsReply], f *courseFlight, missing func(string)) error {
	if err := l.mc.RunBatch(ctx, w.Token, call); err != nil {
		return l.optional(err, gradesOfActivities, missing)
	}
	if l.optional(call.Err, gradesOfActivities, missing) == nil {
		r := trimGradeItems(&call.Reply)
		f.set(func(b *building) { b.in.GradeItems = r })
	}
	return nil
}

const gradesOfActivities = "grades of quizzes and other activities"
