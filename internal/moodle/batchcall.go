package moodle

import (
	"context"
	"strconv"
)

// BatchCall is one typed call to run in a batch (Client.RunBatch), built by the constructors
// below, which name the wsfunction and shape its arguments so that no caller spells either.
// Once the batch has run, Reply holds the decoded reply, or Err the call's own failure (an
// *Error from Moodle, a *NotRunError, a *DecodeError); the batch's own failure is RunBatch's
// error.
type BatchCall[T any] struct {
	Reply T
	Err   error
	req   BatchRequest
}

// Request returns the wsfunction and arguments the call sends.
func (c *BatchCall[T]) Request() BatchRequest { return c.req }

func (c *BatchCall[T]) land(r BatchResult) { c.Err = r.Decode(c.req.Function, &c.Reply) }

// BatchItem is a *BatchCall of any reply type.
type BatchItem interface {
	Request() BatchRequest
	land(BatchResult)
}

// RunBatch runs the calls through tool_mobile_call_external_functions (see Batch: one HTTP
// request when the service allows it, calls that never ran re-issued, one call each
// otherwise) and stores each call's outcome in it. The error is the batch's own (network,
// invalid token, ...); the calls are then left as they were.
func (c *Client) RunBatch(ctx context.Context, token string, calls ...BatchItem) error {
	reqs := make([]BatchRequest, len(calls))
	for i, call := range calls {
		reqs[i] = call.Request()
	}
	res, err := c.Batch(ctx, token, reqs)
	if err != nil {
		return err
	}
	for i, call := range calls {
		call.land(res[i])
	}
	return nil
}

func newBatchCall[T any](fn string, args map[string]any) *BatchCall[T] {
	return &BatchCall[T]{req: BatchRequest{Function: fn, Args: args}}
}

// ActivitiesCompletionCall is core_completion_get_activities_completion_status for one
// student of a course.
func ActivitiesCompletionCall(courseID, userID int64) *BatchCall[ActivitiesCompletion] {
	return newBatchCall[ActivitiesCompletion](FuncActivitiesCompletion, map[string]any{"courseid": courseID, "userid": userID})
}

// CourseCompletionCall is core_completion_get_course_completion_status for one student of a
// course (Moodle refuses it for a suspended enrolment).
func CourseCompletionCall(courseID, userID int64) *BatchCall[CourseCompletion] {
	return newBatchCall[CourseCompletion](FuncCourseCompletion, map[string]any{"courseid": courseID, "userid": userID})
}

// CourseByIDCall is core_course_get_courses_by_field with field id: the course, or no course
// when Moodle does not show it to this user.
func CourseByIDCall(courseID int64) *BatchCall[CoursesReply] {
	return newBatchCall[CoursesReply](FuncCoursesByField, map[string]any{"field": "id", "value": strconv.FormatInt(courseID, 10)})
}

// CourseOutlineCall is core_course_get_contents without the modules' contents (excludecontents):
// the sections and activities, in course order.
func CourseOutlineCall(courseID int64) *BatchCall[[]Section] {
	return newBatchCall[[]Section](FuncCourseContents, map[string]any{"courseid": courseID,
		"options": []map[string]string{{"name": "excludecontents", "value": "1"}}})
}

// AssignmentsCall is mod_assign_get_assignments for the courses.
func AssignmentsCall(courseIDs []int64) *BatchCall[AssignmentsReply] {
	return newBatchCall[AssignmentsReply](FuncAssignments, map[string]any{"courseids": courseIDs})
}

// GroupsForSelectorCall is core_group_get_groups_for_selector: the groups this user may pick.
func GroupsForSelectorCall(courseID int64) *BatchCall[GroupsForSelectorReply] {
	return newBatchCall[GroupsForSelectorReply](FuncGroupsForSelector, map[string]any{"courseid": courseID})
}

// ActiveEnrolmentIDsCall is core_enrol_get_enrolled_users with onlyactive and only the id
// field: who of the roster is not suspended. Moodle refuses it to a user without
// moodle/course:enrolreview (a non-editing teacher).
func ActiveEnrolmentIDsCall(courseID int64) *BatchCall[[]EnrolledUser] {
	return newBatchCall[[]EnrolledUser](FuncEnrolledUsers, map[string]any{"courseid": courseID,
		"options": []map[string]string{{"name": "onlyactive", "value": "1"}, {"name": "userfields", "value": "id"}}})
}

// GradesCall is mod_assign_get_grades for the assignments, only grades changed at or after
// since when since is set.
func GradesCall(assignIDs []int64, since Time) *BatchCall[GradesReply] {
	args := map[string]any{"assignmentids": assignIDs}
	if !since.Never() {
		args["since"] = since.Unix()
	}
	return newBatchCall[GradesReply](FuncGrades, args)
}

// UserFlagsCall is mod_assign_get_user_flags (extensions, among others) for the assignments.
func UserFlagsCall(assignIDs []int64) *BatchCall[UserFlagsReply] {
	return newBatchCall[UserFlagsReply](FuncUserFlags, map[string]any{"assignmentids": assignIDs})
}

// SubmissionsCall is mod_assign_get_submissions for the assignments, only submissions changed
// at or after since when since is set.
func SubmissionsCall(assignIDs []int64, since Time) *BatchCall[SubmissionsReply] {
	args := map[string]any{"assignmentids": assignIDs}
	if !since.Never() {
		args["since"] = since.Unix()
	}
	return newBatchCall[SubmissionsReply](FuncSubmissions, args)
}

// OwnCourseProfileCall is core_user_get_course_user_profiles for one user in one course:
// their roles there (empty when Moodle does not show the profile).
func OwnCourseProfileCall(userID, courseID int64) *BatchCall[[]CourseUserProfile] {
	return newBatchCall[[]CourseUserProfile](FuncCourseUserProfiles, map[string]any{
		"userlist": []map[string]any{{"userid": userID, "courseid": courseID}}})
}
