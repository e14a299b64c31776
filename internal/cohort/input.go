// Package cohort turns what Moodle returned for one course, as one teacher sees it, into what a
// teacher reasons about: students with activity completion, assignment statuses, grades and
// "needs attention" flags with their reasons, and the course-level aggregates a learning
// designer reviews. It is pure: no HTTP, no HTML, no Moodle calls; every function that depends
// on the clock takes now.
package cohort

import "github.com/knowthystudents/kts/internal/moodle"

// Input is everything loaded from Moodle for one course by one user. The loader fills it; a
// part that failed to load is left empty and named in Missing, so that Build can still show
// the rest.
type Input struct {
	Course   moodle.Course
	Sections []moodle.Section // core_course_get_contents, in course order
	// Roster is every participant Moodle shows this user (core_enrol_get_enrolled_users), staff
	// included; Build keeps the students.
	Roster []moodle.EnrolledUser
	// ActiveIDs are the ids Moodle lists with onlyactive=1. Nil means "not loaded": every
	// enrolment then counts as active.
	ActiveIDs map[int64]bool
	// Groups are the groups Moodle offers this user (core_group_get_groups_for_selector, the
	// "All participants" entry dropped).
	Groups      []moodle.SelectorGroup
	Assignments []moodle.Assignment // mod_assign_get_assignments for this course
	Submissions *moodle.SubmissionsReply
	Grades      *moodle.GradesReply
	UserFlags   *moodle.UserFlagsReply
	// GradeItems is gradereport_user_get_grade_items for every student (userid 0); nil when
	// the course has no graded activity other than assignments, or it did not load.
	GradeItems *moodle.GradeItemsReply
	// Completion is core_completion_get_activities_completion_status per student id; a
	// student without an entry has no completion loaded (yet).
	Completion map[int64]*moodle.ActivitiesCompletion
	// CourseCompletion is core_completion_get_course_completion_status per student id.
	CourseCompletion map[int64]*moodle.CourseCompletion
	// Missing names the parts that failed to load, in words a teacher understands
	// ("assignment grades", "completion for 3 students").
	Missing []string
}
