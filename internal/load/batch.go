package load

import (
	"context"
	"strconv"

	"github.com/knowthystudents/kts/internal/moodle"
)

// call is one web-service call of a batch and where its reply goes.
type call struct {
	fn   string
	args map[string]any
	out  any    // the reply is decoded into it
	err  *error // the call's own failure; the reply is then left alone
}

// batch makes several calls in one tool_mobile_call_external_functions request (one per
// call when the service lacks it; moodle.Client.Batch falls back). The error is the
// request's own (network, token); each call's failure goes to its err.
func (l *Loader) batch(ctx context.Context, w Who, calls []call) error {
	reqs := make([]moodle.BatchRequest, len(calls))
	for i, c := range calls {
		reqs[i] = moodle.BatchRequest{Function: c.fn, Args: c.args}
	}
	res, err := l.mc.Batch(ctx, w.Token, reqs)
	if err != nil {
		return err
	}
	for i, c := range calls {
		*c.err = res[i].Decode(c.fn, c.out)
	}
	return nil
}

// structureRead reads what a course is made of, in one batch: the course, its activities,
// assignments and the groups this user may pick. Each is small and quick (40 ms on the
// measured Moodle), so one request instead of four spares Moodle three PHP start-ups.
type structureRead struct {
	courseID int64

	courses     moodle.CoursesReply
	sections    []moodle.Section
	assignments moodle.AssignmentsReply
	groups      moodle.GroupsForSelectorReply
	errs        [4]error
}

func (r *structureRead) calls() []call {
	id := r.courseID
	return []call{
		{fn: "core_course_get_courses_by_field", args: map[string]any{"field": "id", "value": strconv.FormatInt(id, 10)},
			out: &r.courses, err: &r.errs[0]},
		{fn: "core_course_get_contents", args: map[string]any{"courseid": id,
			"options": []map[string]string{{"name": "excludecontents", "value": "1"}}}, out: &r.sections, err: &r.errs[1]},
		{fn: "mod_assign_get_assignments", args: map[string]any{"courseids": []int64{id}}, out: &r.assignments, err: &r.errs[2]},
		{fn: "core_group_get_groups_for_selector", args: map[string]any{"courseid": id}, out: &r.groups, err: &r.errs[3]},
	}
}

// structure is what structureRead found.
type structure struct {
	course      *moodle.Course // nil: Moodle does not show this course to this user
	sections    []moodle.Section
	assignments []moodle.Assignment
	groups      []moodle.SelectorGroup
	missing     []string
}

// result sorts the replies out: the course is needed (its failure ends the load), the rest
// is optional and named in missing when it failed.
func (r *structureRead) result() (structure, error) {
	var st structure
	if err := r.errs[0]; err != nil {
		return st, err
	}
	for i := range r.courses.Courses {
		if r.courses.Courses[i].ID == r.courseID {
			st.course = &r.courses.Courses[i]
		}
	}
	optional := func(err error, what string) bool {
		if err != nil {
			st.missing = append(st.missing, what)
			return false
		}
		return true
	}
	if optional(r.errs[1], "the course's activities") {
		st.sections = r.sections
	}
	if optional(r.errs[2], "assignments") {
		for _, a := range r.assignments.All() {
			if a.Course == r.courseID {
				st.assignments = append(st.assignments, a)
			}
		}
	}
	if optional(r.errs[3], "groups") {
		for _, g := range r.groups.Groups {
			if g.ID > 0 {
				st.groups = append(st.groups, g)
			}
		}
	}
	return st, nil
}

// activeCall asks for the ids of the active enrolments (onlyactive), which Moodle refuses
// to a user without moodle/course:enrolreview (a non-editing teacher).
func activeCall(courseID int64, out *[]moodle.EnrolledUser, err *error) call {
	return call{fn: "core_enrol_get_enrolled_users", args: map[string]any{"courseid": courseID,
		"options": []map[string]string{{"name": "onlyactive", "value": "1"}, {"name": "userfields", "value": "id"}}},
		out: out, err: err}
}

// assignmentCalls read the assignments' grades and extensions (user flags), grades changed
// at or after since only when since is set.
func assignmentCalls(ids []int64, since moodle.Time, grades *moodle.GradesReply, gradesErr *error, flags *moodle.UserFlagsReply, flagsErr *error) []call {
	gargs := map[string]any{"assignmentids": ids}
	if !since.Never() {
		gargs["since"] = since.Unix()
	}
	return []call{
		{fn: "mod_assign_get_grades", args: gargs, out: grades, err: gradesErr},
		{fn: "mod_assign_get_user_flags", args: map[string]any{"assignmentids": ids}, out: flags, err: flagsErr},
	}
}
