package load

import (
	"maps"
	"slices"

	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/moodle"
)

// changedStudents picks the students whose completion an incremental refresh reads again,
// in name order: those
//
//   - new in the roster, or whose completion the previous load did not get;
//   - whose lastcourseaccess moved, or lies at or after since (a student at work around the
//     previous load may have completed more without moving it: Moodle writes course access
//     at most once a minute);
//   - with a submission or a grade changed since (subs and grades hold only those);
//   - whose enrolment turned active or suspended;
//   - whose course completion only waits for Moodle's cron (every criterion met, the course
//     not yet marked complete).
//
// A teacher's override of a completion state moves none of these: the full refresh on the
// long timer (Config.FullRefreshAfter) picks it up.
func changedStudents(prev intake.Replies, roster []moodle.EnrolledUser, active map[int64]bool,
	subs *moodle.SubmissionsReply, grades *moodle.GradesReply, since moodle.Time) []int64 {
	before := make(map[int64]moodle.EnrolledUser, len(prev.Roster))
	for _, u := range prev.Roster {
		before[u.ID] = u
	}
	moved := map[int64]bool{}
	if subs != nil {
		for _, a := range subs.Assignments {
			for _, s := range a.Submissions {
				moved[s.UserID] = true
			}
		}
	}
	if grades != nil {
		for _, a := range grades.Assignments {
			for _, g := range a.Grades {
				moved[g.UserID] = true
			}
		}
	}
	var picked []moodle.EnrolledUser
	for _, u := range roster {
		p, known := before[u.ID]
		access := u.LastCourseAccess
		if !known || p.LastCourseAccess.Unix() != access.Unix() ||
			!access.Never() && !access.Time().Before(since.Time()) ||
			isActive(prev.ActiveIDs, u.ID) != isActive(active, u.ID) ||
			moved[u.ID] || prev.Completion[u.ID] == nil || awaitingCron(prev.CourseCompletion[u.ID]) {
			picked = append(picked, u)
		}
	}
	return studentsByName(picked)
}

// isActive reads an active set; nil means "not known", and everyone counts as active.
func isActive(active map[int64]bool, id int64) bool { return active == nil || active[id] }

// awaitingCron reports a course completion whose criteria are all met but which Moodle has
// not marked complete yet (its cron does that later, without the student doing anything).
func awaitingCron(c *moodle.CourseCompletion) bool {
	if c == nil || c.CompletionStatus.Completed || len(c.CompletionStatus.Completions) == 0 {
		return false
	}
	for _, cr := range c.CompletionStatus.Completions {
		if !cr.Complete {
			return false
		}
	}
	return true
}

// structureChanged says why prev cannot be refreshed incrementally against st ("" when it
// can): every student's completion totals change when an activity with completion comes or
// goes, and a new assignment's submissions predate the window of "since".
func structureChanged(prev intake.Replies, st structure) string {
	if !slices.Equal(trackedCMIDs(prev.Sections), trackedCMIDs(st.sections)) {
		return "activities with completion changed"
	}
	if !slices.Equal(assignIDs(prev.Assignments), assignIDs(st.assignments)) {
		return "assignments changed"
	}
	return ""
}

func trackedCMIDs(sections []moodle.Section) []int64 {
	var ids []int64
	for _, s := range sections {
		for _, m := range s.Modules {
			if m.Completion > 0 {
				ids = append(ids, m.ID)
			}
		}
	}
	return ids
}

// refreshed is what an incremental refresh read.
type refreshed struct {
	st         structure
	roster     []moodle.EnrolledUser
	active     map[int64]bool
	subs       *moodle.SubmissionsReply // changed since
	grades     *moodle.GradesReply      // changed since
	flags      *moodle.UserFlagsReply   // all of them
	completion completionBatch          // of the changed students
}

// mergeRefresh lays what a refresh read over the previous input: the structure, roster,
// enrolments and extensions as read now; submissions, grades and completion as before for
// whoever did not move, as read now for whoever did; nobody who left the roster.
func mergeRefresh(prev intake.Replies, r refreshed) intake.Replies {
	in := intake.Replies{
		Course: *r.st.course, Sections: r.st.sections, Roster: r.roster, ActiveIDs: r.active, Groups: r.st.groups,
		Assignments: r.st.assignments, UserFlags: r.flags,
		Submissions: mergeSubmissions(prev.Submissions, r.subs),
		Grades:      mergeGrades(prev.Grades, r.grades),
	}
	enrolled := make(map[int64]bool, len(r.roster))
	for _, u := range r.roster {
		enrolled[u.ID] = true
	}
	in.Completion = keepEnrolled(prev.Completion, enrolled)
	in.CourseCompletion = keepEnrolled(prev.CourseCompletion, enrolled)
	maps.Copy(in.Completion, r.completion.activities)
	maps.Copy(in.CourseCompletion, r.completion.course)
	for _, id := range r.completion.noCourse {
		delete(in.CourseCompletion, id)
	}
	return in
}

// keepEnrolled copies the entries of m whose student is still enrolled.
func keepEnrolled[V any](m map[int64]V, enrolled map[int64]bool) map[int64]V {
	out := make(map[int64]V, len(m))
	for id, v := range m {
		if enrolled[id] {
			out[id] = v
		}
	}
	return out
}

// mergeSubmissions replaces each (assignment, student) submission of prev by the one in
// since, if any, and adds since's new ones.
func mergeSubmissions(prev, since *moodle.SubmissionsReply) *moodle.SubmissionsReply {
	if prev == nil {
		return since
	}
	var newer []moodle.AssignmentSubmissions
	if since != nil {
		newer = since.Assignments
	}
	return &moodle.SubmissionsReply{Warnings: prev.Warnings, Assignments: mergeByAssignment(prev.Assignments, newer,
		func(a *moodle.AssignmentSubmissions) (int64, *[]moodle.Submission) {
			return a.AssignmentID, &a.Submissions
		},
		func(s moodle.Submission) int64 { return s.UserID })}
}

// mergeGrades is mergeSubmissions for grades.
func mergeGrades(prev, since *moodle.GradesReply) *moodle.GradesReply {
	if prev == nil {
		return since
	}
	var newer []moodle.AssignmentGrades
	if since != nil {
		newer = since.Assignments
	}
	return &moodle.GradesReply{Warnings: prev.Warnings, Assignments: mergeByAssignment(prev.Assignments, newer,
		func(a *moodle.AssignmentGrades) (int64, *[]moodle.AssignGrade) { return a.AssignmentID, &a.Grades },
		func(g moodle.AssignGrade) int64 { return g.UserID })}
}

// mergeByAssignment overlays since's per-user records on prev's, assignment by assignment,
// and keeps the assignments only since has. parts gives an assignment's id and its records.
func mergeByAssignment[A, R any](prev, since []A, parts func(*A) (int64, *[]R), user func(R) int64) []A {
	newer := map[int64][]R{}
	for i := range since {
		id, recs := parts(&since[i])
		newer[id] = append(newer[id], *recs...)
		if newer[id] == nil {
			newer[id] = []R{}
		}
	}
	out := make([]A, 0, len(prev)+len(since))
	for _, a := range prev {
		id, recs := parts(&a)
		*recs = overlay(*recs, newer[id], user)
		delete(newer, id)
		out = append(out, a)
	}
	for i := range since {
		id, _ := parts(&since[i])
		if _, left := newer[id]; left {
			out = append(out, since[i])
			delete(newer, id)
		}
	}
	return out
}

// overlay returns old with each user's record replaced by theirs in newer, then newer's
// records for users old did not have, in newer's order. old is not modified.
func overlay[T any](old, newer []T, user func(T) int64) []T {
	if len(newer) == 0 {
		return old
	}
	byUser := make(map[int64]T, len(newer))
	for _, n := range newer {
		byUser[user(n)] = n
	}
	out := make([]T, 0, len(old)+len(newer))
	for _, o := range old {
		if n, ok := byUser[user(o)]; ok {
			out = append(out, n)
			delete(byUser, user(o))
			continue
		}
		out = append(out, o)
	}
	for _, n := range newer {
		if _, ok := byUser[user(n)]; ok {
			out = append(out, n)
			delete(byUser, user(n))
		}
	}
	return out
}
