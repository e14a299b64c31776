package moodle

import "strings"

// GradeItemsCall is gradereport_user_get_grade_items for a course: with userID 0, every
// student the token may see in one call (a teacher needs moodle/grade:viewall; Moodle picks
// a non-editing teacher's own group in a separate-groups course), which is far kinder to
// Moodle than one call per student.
func GradeItemsCall(courseID, userID int64) *BatchCall[GradeItemsReply] {
	return newBatchCall[GradeItemsReply](FuncGradeItems, map[string]any{"courseid": courseID, "userid": userID})
}

// Pass says whether Moodle marks this grade as passing (true, true), failing (false, true)
// or neither (no grade to pass set on the item, or no grade yet: ok false). The web service
// has no gradepass field: the user report draws its pass or fail icon into gradeformatted.
func (g GradeItem) Pass() (pass, ok bool) {
	switch {
	case strings.Contains(g.GradeFormatted, `title="Pass"`):
		return true, true
	case strings.Contains(g.GradeFormatted, `title="Fail"`):
		return false, true
	}
	return false, false
}
