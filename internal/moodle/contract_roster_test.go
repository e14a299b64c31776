package moodle_test

import (
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
)

func userIDs(users []moodle.EnrolledUser) []int64 {
	return mapf(users, func(u moodle.EnrolledUser) int64 { return u.ID })
}

func byID(t *testing.T, users []moodle.EnrolledUser, id int64) moodle.EnrolledUser {
	t.Helper()
	return find(t, users, "user", func(u moodle.EnrolledUser) bool { return u.ID == id })
}

func has(users []moodle.EnrolledUser, id int64) bool {
	return count(users, func(u moodle.EnrolledUser) bool { return u.ID == id }) > 0
}

// groupAIDs are Group A's members as Moodle lists them: the tutor, then the odd-numbered
// students.
var groupAIDs = []int64{4, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33}

func statesOf(c *moodle.ActivitiesCompletion) map[int64]int {
	m := map[int64]int{}
	for _, s := range c.Statuses {
		m[s.CMID] = s.State
	}
	return m
}

// zoeStates: everything complete, A1 and the quiz passed.
var zoeStates = map[int64]int{2: 1, 3: 1, 4: 1, 6: 2, 7: 1, 8: 1, 9: 2, 10: 1}

// rosterCases: participants and completion.
var rosterCases = map[string]contractCase{
	"core_enrol_get_enrolled_users.kts101.json": func(t *testing.T, r *replay) error {
		users, err := r.c.EnrolledUsers(r.ctx, r.tok, 2, moodle.EnrolledUsersOptions{})
		ok(t, err)
		ethan, oliver := byID(t, users, 30), byID(t, users, 14)
		same(t, "roster", []any{32, true, true}, []any{len(users), has(users, 31), moodle.HasRole(byID(t, users, 3).Roles, "editingteacher")})
		same(t, "Ethan never came", []bool{true, true, true}, []bool{ethan.LastAccess.Never(), ethan.LastCourseAccess.Never(), ethan.FirstAccess.Never()})
		same(t, "Oliver's last course access", *r.seed.student(t, "oliver.smith").LastCourseAccess, oliver.LastCourseAccess.Unix())
		same(t, "teacher sees no student username", "", oliver.Username)
		return nil
	},
	"core_enrol_get_enrolled_users.kts101-onlyactive.json": func(t *testing.T, r *replay) error {
		users, err := r.c.EnrolledUsers(r.ctx, r.tok, 2, moodle.EnrolledUsersOptions{OnlyActive: true})
		ok(t, err)
		same(t, "active roster: Léa (suspended) out, Ethan in", []any{31, false, true}, []any{len(users), has(users, 31), has(users, 30)})
		return nil
	},
	"core_enrol_get_enrolled_users.kts101-students-userfields.json": func(t *testing.T, r *replay) error {
		users, err := r.c.EnrolledUsers(r.ctx, r.tok, 2, moodle.EnrolledUsersOptions{
			WithCapability: "mod/assign:submit",
			UserFields:     []string{"id", "username", "fullname", "email", "idnumber", "lastcourseaccess", "groups", "roles"},
		})
		ok(t, err)
		zoe := byID(t, users, 5)
		same(t, "students only", []any{30, false, true}, []any{len(users), has(users, 3), has(users, 31)})
		same(t, "trimmed fields", []any{"Zoë Andersen", "", true, []string{"Group A"}},
			[]any{zoe.FullName, zoe.FirstName, byID(t, users, 30).LastCourseAccess.Never(), mapf(zoe.Groups, func(g moodle.UserGroup) string { return g.Name })})
		return nil
	},
	"core_enrol_get_enrolled_users.kts101-groupA.json": func(t *testing.T, r *replay) error {
		users, err := r.c.EnrolledUsers(r.ctx, r.tok, 2, moodle.EnrolledUsersOptions{GroupID: 1})
		ok(t, err)
		same(t, "Group A", groupAIDs, userIDs(users))
		return nil
	},
	"core_enrol_get_enrolled_users.kts101-paged.json": func(t *testing.T, r *replay) error {
		users, err := r.c.EnrolledUsers(r.ctx, r.tok, 2, moodle.EnrolledUsersOptions{LimitFrom: 0, LimitNumber: 5})
		ok(t, err)
		same(t, "first page", []int64{3, 4, 5, 6, 7}, userIDs(users))
		return nil
	},
	"core_enrol_get_enrolled_users.kts101-tutor.json": func(t *testing.T, r *replay) error {
		users, err := r.c.EnrolledUsers(r.ctx, r.tok, 2, moodle.EnrolledUsersOptions{})
		ok(t, err)
		same(t, "the tutor sees Group A only", groupAIDs, userIDs(users))
		return nil
	},
	"core_enrol_get_enrolled_users.student.json": func(t *testing.T, r *replay) error {
		users, err := r.c.EnrolledUsers(r.ctx, r.tok, 2, moodle.EnrolledUsersOptions{})
		ok(t, err)
		zoe := byID(t, users, 5)
		same(t, "a student gets her group", groupAIDs, userIDs(users))
		same(t, "her own entry", []any{"zoe.andersen", "S2024001", true, true},
			[]any{zoe.Username, zoe.IDNumber, moodle.HasRole(zoe.Roles, "student"), len(zoe.Preferences) > 0})
		same(t, "tutor's role as the student sees it", true, moodle.HasRole(byID(t, users, 4).Roles, "teacher"))
		return nil
	},
	// The typed method always sends courseid: only Call can leave it out.
	"core_enrol_get_enrolled_users.missing-param.json": func(t *testing.T, r *replay) error {
		var out any
		err := r.c.Call(r.ctx, r.tok, "core_enrol_get_enrolled_users", nil, &out)
		wantErr(t, err, moodle.ErrInvalidParameter, "invalidparameter")
		return err
	},
	"core_enrol_get_enrolled_users.invalid-course.json": func(t *testing.T, r *replay) error {
		users, err := r.c.EnrolledUsers(r.ctx, r.tok, 999999, moodle.EnrolledUsersOptions{})
		wantErr(t, err, moodle.ErrNotFound, "invalidrecord")
		same(t, "users", 0, len(users))
		return err
	},
	"core_enrol_get_enrolled_users.big500.json": func(t *testing.T, r *replay) error {
		users, err := r.c.EnrolledUsers(r.ctx, r.tok, 3, moodle.EnrolledUsersOptions{})
		ok(t, err)
		var never []int64
		for _, u := range users {
			if u.LastAccess.Never() {
				never = append(never, u.ID)
			}
		}
		same(t, "roster size", 501, len(users))
		same(t, "never logged in", r.seed.BIG500.NeverLoggedInIDs, never)
		same(t, "suspended still listed", len(r.seed.BIG500.SuspendedIDs),
			count(r.seed.BIG500.SuspendedIDs, func(id int64) bool { return has(users, id) }))
		return nil
	},

	"mod_assign_list_participants.student-denied.json": func(t *testing.T, r *replay) error {
		_, err := r.c.ListParticipants(r.ctx, r.tok, moodle.ListParticipantsOptions{AssignID: 1})
		wantErr(t, err, moodle.ErrNoPermission, "nopermission")
		return err
	},
	"mod_assign_list_participants.a1.json": func(t *testing.T, r *replay) error {
		ps, err := r.c.ListParticipants(r.ctx, r.tok, moodle.ListParticipantsOptions{AssignID: 1, IncludeEnrolments: true})
		ok(t, err)
		part := func(id int64) moodle.Participant {
			return find(t, ps, "participant", func(p moodle.Participant) bool { return p.ID == id })
		}
		same(t, "participants (no Léa)", []any{29, 0}, []any{len(ps), count(ps, func(p moodle.Participant) bool { return p.ID == 31 })})
		same(t, "Oliver: submitted, needs grading", []any{true, true, "submitted"}, []any{part(14).Submitted, part(14).RequireGrading, part(14).SubmissionStatus})
		same(t, "Ethan's record created by reading it", []any{false, "new"}, []any{part(30).Submitted, part(30).SubmissionStatus})
		return nil
	},
	"mod_assign_list_participants.a3.json": func(t *testing.T, r *replay) error {
		ps, err := r.c.ListParticipants(r.ctx, r.tok, moodle.ListParticipantsOptions{AssignID: 3})
		ok(t, err)
		mei := find(t, ps, "Mei", func(p moodle.Participant) bool { return p.ID == 13 })
		oliver := find(t, ps, "Oliver", func(p moodle.Participant) bool { return p.ID == 14 })
		same(t, "A3", []any{29, true, "draft", ""}, []any{len(ps), mei.GrantedExtension, mei.SubmissionStatus, oliver.SubmissionStatus})
		return nil
	},

	"core_completion_get_activities_completion_status.zoe.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ActivitiesCompletion(r.ctx, r.tok, 2, 5)
		ok(t, err)
		same(t, "states (no label, no news forum)", zoeStates, statesOf(c))
		same(t, "reading is manual", moodle.TrackingManual, c.Statuses[1].Tracking)
		return nil
	},
	"core_completion_get_activities_completion_status.zoe-mobile.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ActivitiesCompletion(r.ctx, r.tok, 2, 5)
		ok(t, err)
		same(t, "states", zoeStates, statesOf(c))
		return nil
	},
	"core_completion_get_activities_completion_status.student-self.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ActivitiesCompletion(r.ctx, r.tok, 2, 5)
		ok(t, err)
		same(t, "states", zoeStates, statesOf(c))
		return nil
	},
	"core_completion_get_activities_completion_status.oliver.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ActivitiesCompletion(r.ctx, r.tok, 2, 14)
		ok(t, err)
		same(t, "states", map[int64]int{2: 1, 3: 0, 4: 0, 6: 0, 7: 0, 8: 0, 9: 0, 10: 1}, statesOf(c))
		further := find(t, c.Statuses, "Further reading", func(s moodle.ActivityStatus) bool { return s.CMID == 10 })
		if further.OverrideBy == nil || *further.OverrideBy != 3 {
			t.Errorf("Further reading overrideby = %v, want the teacher (3)", further.OverrideBy)
		}
		same(t, "A1 not completed", true, c.Statuses[3].TimeCompleted.Never())
		return nil
	},
	"core_completion_get_activities_completion_status.ethan.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ActivitiesCompletion(r.ctx, r.tok, 2, 30)
		ok(t, err)
		same(t, "nothing done", []int{8, 8}, []int{
			count(c.Statuses, func(s moodle.ActivityStatus) bool { return s.State == moodle.StateIncomplete }),
			count(c.Statuses, func(s moodle.ActivityStatus) bool { return s.TimeCompleted.Never() }),
		})
		return nil
	},
	"core_completion_get_activities_completion_status.lea.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ActivitiesCompletion(r.ctx, r.tok, 2, 31)
		ok(t, err)
		same(t, "states", map[int64]int{2: 1, 3: 0, 4: 0, 6: 2, 7: 0, 8: 0, 9: 0, 10: 0}, statesOf(c))
		return nil
	},
	"core_completion_get_activities_completion_status.big500.json": func(t *testing.T, r *replay) error {
		c, err := r.c.ActivitiesCompletion(r.ctx, r.tok, 3, 35)
		ok(t, err)
		cmids := mapf(c.Statuses, func(s moodle.ActivityStatus) int64 { return s.CMID })
		same(t, "25 activities from cmid 12", []any{25, int64(12), int64(36)}, []any{len(cmids), cmids[0], cmids[len(cmids)-1]})
		same(t, "first states", []int{1, 1, 0, 0, 1}, mapf(c.Statuses[:5], func(s moodle.ActivityStatus) int { return s.State }))
		return nil
	},
	"core_completion_get_activities_completion_status.student-other-user.json": func(t *testing.T, r *replay) error {
		_, err := r.c.ActivitiesCompletion(r.ctx, r.tok, 2, 14)
		wantErr(t, err, moodle.ErrNoPermission, "nopermissions")
		return err
	},
	// The typed method always sends userid: only Call can leave it out.
	"core_completion_get_activities_completion_status.missing-userid.json": func(t *testing.T, r *replay) error {
		var out any
		err := r.c.Call(r.ctx, r.tok, "core_completion_get_activities_completion_status", moodle.Params{}.SetInt("courseid", 2), &out)
		wantErr(t, err, moodle.ErrInvalidParameter, "invalidparameter")
		return err
	},

	"core_completion_get_course_completion_status.zoe.json": func(t *testing.T, r *replay) error {
		c, err := r.c.CourseCompletion(r.ctx, r.tok, 2, 5)
		ok(t, err)
		cs := c.CompletionStatus
		same(t, "course completed", []any{true, 1, []bool{true, true, true}},
			[]any{cs.Completed, cs.Aggregation, mapf(cs.Completions, func(c moodle.CompletionCriterion) bool { return c.Complete })})
		return nil
	},
	"core_completion_get_course_completion_status.oliver.json": func(t *testing.T, r *replay) error {
		c, err := r.c.CourseCompletion(r.ctx, r.tok, 2, 14)
		ok(t, err)
		cs := c.CompletionStatus
		same(t, "not completed (timecompleted null)", []any{false, []bool{true, true, true}},
			[]any{cs.Completed, mapf(cs.Completions, func(c moodle.CompletionCriterion) bool { return !c.Complete && c.TimeCompleted.Never() })})
		return nil
	},
	"core_completion_get_course_completion_status.ethan.json": func(t *testing.T, r *replay) error {
		c, err := r.c.CourseCompletion(r.ctx, r.tok, 2, 30)
		ok(t, err)
		same(t, "not completed", []any{false, []string{"No", "No", "No"}},
			[]any{c.CompletionStatus.Completed, mapf(c.CompletionStatus.Completions, func(c moodle.CompletionCriterion) string { return c.Status })})
		return nil
	},
	"core_completion_get_course_completion_status.student-other-user.json": func(t *testing.T, r *replay) error {
		_, err := r.c.CourseCompletion(r.ctx, r.tok, 2, 14)
		wantErr(t, err, moodle.ErrNoPermission, "cannotviewreport")
		return err
	},
}
