package moodle_test

import (
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
)

// siteCases: who the token is, signing in, courses, groups and users.
var siteCases = map[string]contractCase{
	"core_webservice_get_site_info.teacher.json": func(t *testing.T, r *replay) error {
		info, err := r.c.SiteInfo(r.ctx, r.tok)
		ok(t, err)
		same(t, "site info", []any{int64(3), "kts.teacher", "Margaret Ellis", "4.5dev+ (Build: 20240903)", "2024090300", "http://127.0.0.1:8089", 23},
			[]any{info.UserID, info.Username, info.FullName, info.Release, info.Version, info.SiteURL, len(info.Functions)})
		same(t, "allows batch, not messaging", []bool{true, false},
			[]bool{info.Allows("tool_mobile_call_external_functions"), info.Allows("core_message_send_instant_messages")})
		return nil
	},
	"core_webservice_get_site_info.teacher-mobile.json": func(t *testing.T, r *replay) error {
		info, err := r.c.SiteInfo(r.ctx, r.tok)
		ok(t, err)
		same(t, "site info", []any{int64(3), 431, true},
			[]any{info.UserID, len(info.Functions), info.Allows("core_message_send_instant_messages")})
		return nil
	},
	"core_webservice_get_site_info.student.json": func(t *testing.T, r *replay) error {
		info, err := r.c.SiteInfo(r.ctx, r.tok)
		ok(t, err)
		zoe := r.seed.student(t, "zoe.andersen")
		same(t, "site info", []any{zoe.ID, "zoe.andersen", zoe.Name, false, 23},
			[]any{info.UserID, info.Username, info.FullName, info.UserIsSiteAdmin, len(info.Functions)})
		return nil
	},
	"core_webservice_get_site_info.invalid-token.json": func(t *testing.T, r *replay) error {
		info, err := r.c.SiteInfo(r.ctx, r.tok)
		wantErr(t, err, moodle.ErrInvalidToken, "invalidtoken")
		if info != nil {
			t.Errorf("site info %+v with an error", info)
		}
		return err
	},
	"kts_no_such_function.unknown-function.json": func(t *testing.T, r *replay) error {
		var out any
		err := r.c.Call(r.ctx, r.tok, "kts_no_such_function", nil, &out)
		wantErr(t, err, moodle.ErrNotFound, "invalidrecord")
		return err
	},
	"core_course_search_courses.not-in-service.json": func(t *testing.T, r *replay) error {
		_, err := r.c.SearchCourses(r.ctx, r.tok, "search", "KTS")
		wantErr(t, err, moodle.ErrAccessException, "accessexception")
		return err
	},

	// /login/token.php: the recorded token is "REDACTED"; the decoded value is that string.
	"login-token.success.json": func(t *testing.T, r *replay) error {
		tok, err := r.login("kts.teacher", loginPassword, "moodle_mobile_app")
		ok(t, err)
		same(t, "token", "REDACTED", tok)
		return nil
	},
	"login-token.custom-service-existing.json": func(t *testing.T, r *replay) error {
		tok, err := r.login("kts.teacher", loginPassword, "know_thy_students")
		ok(t, err)
		same(t, "token", "REDACTED", tok)
		return nil
	},
	"login-token.wrong-password.json": func(t *testing.T, r *replay) error {
		tok, err := r.login("kts.teacher", "wrong-password", "moodle_mobile_app")
		wantErr(t, err, moodle.ErrInvalidLogin, "invalidlogin")
		same(t, "token", "", tok)
		return err
	},
	"login-token.custom-service-no-token.json": func(t *testing.T, r *replay) error {
		_, err := r.login("priya.patel", loginPassword, "know_thy_students")
		wantErr(t, err, moodle.ErrCannotCreateToken, "cannotcreatetoken")
		return err
	},
	"login-token.unknown-service.json": func(t *testing.T, r *replay) error {
		_, err := r.login("kts.teacher", loginPassword, "no_such_service")
		wantErr(t, err, moodle.ErrServiceNotAvailable, "servicenotavailable")
		return err
	},
	"login-token.missing-service.json": func(t *testing.T, r *replay) error {
		_, err := r.login("kts.teacher", loginPassword, "")
		wantErr(t, err, moodle.ErrInvalidParameter, "missingparam")
		return err
	},

	"core_enrol_get_users_courses.teacher.json": func(t *testing.T, r *replay) error {
		courses, err := r.c.UsersCourses(r.ctx, r.tok, 3)
		ok(t, err)
		same(t, "courses", []string{"BIG500", "KTS101"}, mapf(courses, func(c moodle.UserCourse) string { return c.ShortName }))
		same(t, "enrolled users", []int{501, 32}, mapf(courses, func(c moodle.UserCourse) int { return c.EnrolledUserCount }))
		same(t, "a teacher has no progress", []bool{true, true}, mapf(courses, func(c moodle.UserCourse) bool { return c.Progress == nil }))
		return nil
	},
	"core_enrol_get_users_courses.student-zoe.json": func(t *testing.T, r *replay) error {
		courses, err := r.c.UsersCourses(r.ctx, r.tok, 5)
		ok(t, err)
		zoe := r.seed.student(t, "zoe.andersen")
		c := courses[0]
		same(t, "KTS101 for Zoë", []any{1, int64(2), 100.0, true, *zoe.LastCourseAccess},
			[]any{len(courses), c.ID, *c.Progress, *c.Completed, c.LastAccess.Unix()})
		return nil
	},
	"core_enrol_get_users_courses.student-oliver.json": func(t *testing.T, r *replay) error {
		courses, err := r.c.UsersCourses(r.ctx, r.tok, 14)
		ok(t, err)
		oliver := r.seed.student(t, "oliver.smith")
		c := courses[0]
		same(t, "KTS101 for Oliver", []any{1, 25.0, false, *oliver.LastCourseAccess},
			[]any{len(courses), *c.Progress, *c.Completed, c.LastAccess.Unix()})
		return nil
	},
	"core_enrol_get_users_courses.student-ethan.json": func(t *testing.T, r *replay) error {
		courses, err := r.c.UsersCourses(r.ctx, r.tok, 30)
		ok(t, err)
		c := courses[0]
		same(t, "KTS101 for Ethan (lastaccess null)", []any{1, 0.0, true},
			[]any{len(courses), *c.Progress, c.LastAccess.Never()})
		return nil
	},
	"core_enrol_get_users_courses.student-lea-suspended.json": func(t *testing.T, r *replay) error {
		courses, err := r.c.UsersCourses(r.ctx, r.tok, 31)
		ok(t, err)
		if courses == nil || len(courses) != 0 {
			t.Errorf("courses = %#v, want an empty list for a suspended-only student", courses)
		}
		return nil
	},

	"core_course_get_courses_by_field.id.json": func(t *testing.T, r *replay) error {
		c, err := r.c.CourseByID(r.ctx, r.tok, 2)
		ok(t, err)
		same(t, "KTS101", []any{"KTS101", 1, 1, r.seed.SeededAt - 42*86400, []moodle.Contact{{ID: 3, FullName: "Margaret Ellis"}}},
			[]any{c.ShortName, c.GroupMode, c.EnableCompletion, c.StartDate.Unix(), c.Contacts})
		return nil
	},
	"core_course_get_courses_by_field.shortname.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.CoursesByField(r.ctx, r.tok, "shortname", "KTS101")
		ok(t, err)
		same(t, "course ids", []int64{2}, mapf(reply.Courses, func(c moodle.Course) int64 { return c.ID }))
		return nil
	},
	"core_course_get_courses_by_field.ids.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.CoursesByField(r.ctx, r.tok, "ids", "2,3")
		ok(t, err)
		same(t, "courses", []string{"KTS101", "BIG500"}, mapf(reply.Courses, func(c moodle.Course) string { return c.ShortName }))
		return nil
	},
	"core_course_get_courses_by_field.unknown-id.json": func(t *testing.T, r *replay) error {
		c, err := r.c.CourseByID(r.ctx, r.tok, 999999)
		ok(t, err)
		if c != nil {
			t.Errorf("course %+v for an unknown id, want nil", c)
		}
		return nil
	},
	"core_course_get_contents.kts101.json": func(t *testing.T, r *replay) error {
		sections, err := r.c.CourseContents(r.ctx, r.tok, 2)
		ok(t, err)
		var cmids []int64
		for _, s := range sections {
			for _, m := range s.Modules {
				cmids = append(cmids, m.ID)
			}
		}
		same(t, "cmids in course order", []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, cmids)
		a1 := sections[2].Modules[1]
		due := find(t, a1.Dates, "A1 due date", func(d moodle.ModuleDate) bool { return d.Label == "Due:" })
		same(t, "A1", []any{"assign", int64(1), 2, r.seed.KTS101.DueDates["a1"]}, []any{a1.ModName, a1.Instance, a1.Completion, due.Timestamp.Unix()})
		same(t, "label has no completion", []any{"label", 0}, []any{sections[2].Modules[0].ModName, sections[2].Modules[0].Completion})
		return nil
	},
	"core_course_get_contents.invalid-course.json": func(t *testing.T, r *replay) error {
		_, err := r.c.CourseContents(r.ctx, r.tok, 999999)
		wantErr(t, err, moodle.ErrNotFound, "invalidrecord")
		return err
	},
	// The typed method takes an int64: only Call can send a malformed course id.
	"core_course_get_contents.invalid-param-type.json": func(t *testing.T, r *replay) error {
		var out any
		err := r.c.Call(r.ctx, r.tok, "core_course_get_contents", moodle.Params{}.Set("courseid", "abc"), &out)
		wantErr(t, err, moodle.ErrInvalidParameter, "invalidparameter")
		return err
	},
	"core_course_get_enrolled_courses_by_timeline_classification.inprogress.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.TimelineCourses(r.ctx, r.tok, "inprogress")
		ok(t, err)
		same(t, "timeline", []any{[]int64{3, 2}, 2}, []any{mapf(reply.Courses, func(c moodle.TimelineCourse) int64 { return c.ID }), reply.NextOffset})
		return nil
	},
	"core_course_get_enrolled_courses_by_timeline_classification.all.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.TimelineCourses(r.ctx, r.tok, "all")
		ok(t, err)
		same(t, "timeline", []string{"BIG500", "KTS101"}, mapf(reply.Courses, func(c moodle.TimelineCourse) string { return c.ShortName }))
		same(t, "teacher has no progress", []bool{false, false}, mapf(reply.Courses, func(c moodle.TimelineCourse) bool { return c.HasProgress }))
		return nil
	},

	"core_group_get_course_groups.kts101.json": func(t *testing.T, r *replay) error {
		groups, err := r.c.CourseGroups(r.ctx, r.tok, 2)
		ok(t, err)
		same(t, "groups", []moodle.CourseGroup{
			{ID: 1, CourseID: 2, Name: "Group A", Description: "Monday seminar group", IDNumber: "KTS101-A"},
			{ID: 2, CourseID: 2, Name: "Group B", Description: "Thursday seminar group", IDNumber: "KTS101-B"},
		}, groups)
		return nil
	},
	"core_group_get_groups_for_selector.kts101.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.GroupsForSelector(r.ctx, r.tok, 2)
		ok(t, err)
		same(t, "selector (ids sent as strings)", []moodle.ID{0, 1, 2}, mapf(reply.Groups, func(g moodle.SelectorGroup) moodle.ID { return g.ID }))
		same(t, "names", []string{"All participants", "Group A", "Group B"}, mapf(reply.Groups, func(g moodle.SelectorGroup) string { return g.Name }))
		return nil
	},

	"core_user_get_users_by_field.id.json": func(t *testing.T, r *replay) error {
		users, err := r.c.UsersByField(r.ctx, r.tok, "id", []string{"5", "14", "30"})
		ok(t, err)
		oliver := r.seed.student(t, "oliver.smith")
		same(t, "ids", []int64{5, 14, 30}, mapf(users, func(u moodle.User) int64 { return u.ID }))
		same(t, "last access (Ethan never)", []any{*oliver.LastAccess, true}, []any{users[1].LastAccess.Unix(), users[2].LastAccess.Never()})
		return nil
	},
	"core_user_get_users_by_field.email.json": func(t *testing.T, r *replay) error {
		users, err := r.c.UsersByField(r.ctx, r.tok, "email", []string{"mei.chen@students.kts-lab.example"})
		ok(t, err)
		same(t, "Mei", []any{1, int64(13), "Mei Chen"}, []any{len(users), users[0].ID, users[0].FullName})
		return nil
	},
	"core_user_get_course_user_profiles.zoe-oliver-ethan.json": func(t *testing.T, r *replay) error {
		profiles, err := r.c.CourseUserProfiles(r.ctx, r.tok, 2, []int64{5, 14, 30})
		ok(t, err)
		same(t, "ids", []int64{5, 14, 30}, mapf(profiles, func(p moodle.CourseUserProfile) int64 { return p.ID }))
		same(t, "groups", [][]int64{{1}, {2}, {2}}, mapf(profiles, func(p moodle.CourseUserProfile) []int64 {
			return mapf(p.Groups, func(g moodle.UserGroup) int64 { return g.ID })
		}))
		same(t, "students", []bool{true, true, true}, mapf(profiles, func(p moodle.CourseUserProfile) bool { return moodle.HasRole(p.Roles, "student") }))
		return nil
	},
}
