package demo_test

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/knowthystudents/kts/internal/demo"
)

const day = 86400

func TestKTS101Participants(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")

	var all []enrolledUser
	teacher.get(&all, "core_enrol_get_enrolled_users", "courseid", "2")
	if len(all) != 32 {
		t.Fatalf("got %d participants, want 32 (30 students, teacher, tutor)", len(all))
	}
	byID := map[int]enrolledUser{}
	for _, u := range all {
		byID[u.ID] = u
	}
	for id, want := range map[int]string{5: "Zoë Andersen", 9: "Łukasz Kowalski", 18: "Søren Holm", 34: "Mehmet Yılmaz", 6: "An Nguyễn"} {
		if got := byID[id].Fullname; got != want {
			t.Errorf("user %d fullname = %q, want %q", id, got, want)
		}
	}
	if got := byID[13].Email; got != "mei.chen@students.kts-lab.example" {
		t.Errorf("mei.chen email = %q", got)
	}
	ethan := byID[30]
	if ethan.Lastcourseaccess != 0 || ethan.Lastaccess != 0 || ethan.Firstaccess != 0 {
		t.Errorf("ethan.brown never logged in, got access times %+v", ethan)
	}
	if got, want := byID[14].Lastcourseaccess, testNow.Unix()-340*3600; got != want {
		t.Errorf("oliver lastcourseaccess = %d, want %d (340 hours ago, as recorded)", got, want)
	}
	if g := byID[5].Groups; len(g) != 1 || g[0].ID != 1 || g[0].Name != "Group A" {
		t.Errorf("zoe groups = %+v, want Group A", g)
	}
	if g := byID[6].Groups; len(g) != 1 || g[0].ID != 2 {
		t.Errorf("an.nguyen groups = %+v, want Group B", g)
	}

	var active []enrolledUser
	teacher.get(&active, "core_enrol_get_enrolled_users", "courseid", "2",
		"options[0][name]", "onlyactive", "options[0][value]", "1")
	if len(active) != 31 || slices.Contains(ids(active), 31) {
		t.Errorf("onlyactive: %d users, lea.martin (31) listed: %v", len(active), slices.Contains(ids(active), 31))
	}

	var paged []enrolledUser
	teacher.get(&paged, "core_enrol_get_enrolled_users", "courseid", "2",
		"options[0][name]", "limitfrom", "options[0][value]", "5", "options[1][name]", "limitnumber", "options[1][value]", "5")
	if diff := cmp.Diff([]int{8, 9, 10, 11, 12}, ids(paged)); diff != "" {
		t.Errorf("page 2 (-want +got):\n%s", diff)
	}
}

func TestKTS101TutorSeesOnlyGroupA(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	tutor := s.as(t, "kts.tutor")
	var users []enrolledUser
	tutor.get(&users, "core_enrol_get_enrolled_users", "courseid", "2")
	want := []int{4}
	for id := 5; id <= 34; id += 2 {
		want = append(want, id)
	}
	if diff := cmp.Diff(want, ids(users)); diff != "" {
		t.Errorf("tutor's participants (-want +got):\n%s", diff)
	}

	var sel struct {
		Groups []struct {
			ID string `json:"id"`
		} `json:"groups"`
	}
	tutor.get(&sel, "core_group_get_groups_for_selector", "courseid", "2")
	if len(sel.Groups) != 1 || sel.Groups[0].ID != "1" {
		t.Errorf("tutor's selector groups = %+v, want only Group A", sel.Groups)
	}
	s.as(t, "kts.teacher").get(&sel, "core_group_get_groups_for_selector", "courseid", "2")
	if len(sel.Groups) != 3 || sel.Groups[0].ID != "0" {
		t.Errorf("teacher's selector groups = %+v, want All participants, A, B", sel.Groups)
	}
	tutor.wantError("nopermissions", "core_group_get_course_groups", "courseid", "2")
	tutor.wantError("nopermissions", "core_enrol_get_enrolled_users", "courseid", "2",
		"options[0][name]", "groupid", "options[0][value]", "2")
	tutor.wantError("accessdenied", "core_completion_get_activities_completion_status", "courseid", "2", "userid", "14")
	tutor.completion("2", "5") // Group A: allowed
}

func TestKTS101StudentPermissions(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	zoe := s.as(t, "zoe.andersen")
	zoe.wantError("nopermission", "mod_assign_list_participants", "assignid", "1", "groupid", "0", "filter", "")
	zoe.wantError("nopermissions", "gradereport_user_get_grade_items", "courseid", "2", "userid", "0")
	zoe.wantError("nopermissions", "core_completion_get_activities_completion_status", "courseid", "2", "userid", "14")
	zoe.wantError("cannotviewreport", "core_completion_get_course_completion_status", "courseid", "2", "userid", "14")
	zoe.completion("2", "5")

	var subs submissionsReply
	zoe.get(&subs, "mod_assign_get_submissions", "assignmentids[0]", "1", "assignmentids[1]", "2")
	if len(subs.Assignments) != 0 || len(subs.Warnings) != 2 || subs.Warnings[0].Message != "No access rights in module context" {
		t.Errorf("student submissions = %+v, want no assignments and a warning each", subs)
	}

	// A student may list her own group's participants, with fewer fields.
	var users []map[string]any
	zoe.get(&users, "core_enrol_get_enrolled_users", "courseid", "2")
	if len(users) != 16 {
		t.Errorf("zoe sees %d participants, want her group's 16", len(users))
	}
	for _, u := range users {
		if _, ok := u["firstname"]; ok {
			t.Errorf("a student sees firstname of user %v", u["id"])
		}
		if u["id"] == float64(5) && u["preferences"] == nil {
			t.Error("the caller's own entry carries no preferences")
		}
	}
}

func TestKTS101Assignments(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	now := testNow.Unix()

	var as struct {
		Courses []struct {
			Assignments []struct {
				ID      int    `json:"id"`
				Cmid    int    `json:"cmid"`
				Name    string `json:"name"`
				Duedate int64  `json:"duedate"`
			} `json:"assignments"`
		} `json:"courses"`
	}
	teacher.get(&as, "mod_assign_get_assignments", "courseids[0]", "2")
	due := map[int]int64{}
	for _, a := range as.Courses[0].Assignments {
		due[a.ID] = a.Duedate
	}
	if diff := cmp.Diff(map[int]int64{1: now - 21*day, 2: now + 7*day, 3: now - 2*day}, due); diff != "" {
		t.Errorf("due dates (-want +got):\n%s", diff)
	}

	var subs submissionsReply
	teacher.get(&subs, "mod_assign_get_submissions", "assignmentids[0]", "1", "assignmentids[1]", "2", "assignmentids[2]", "3")
	state := map[[2]int]submissionRec{}
	for _, a := range subs.Assignments {
		for _, sub := range a.Submissions {
			state[[2]int{a.Assignmentid, sub.Userid}] = sub
		}
	}
	oliver := state[[2]int{1, 14}]
	if oliver.Status != "submitted" || oliver.Timemodified <= due[1] || oliver.Gradingstatus != "notgraded" {
		t.Errorf("oliver A1 = %+v, want submitted late and not graded", oliver)
	}
	if zoe := state[[2]int{1, 5}]; zoe.Status != "submitted" || zoe.Timemodified > due[1] || zoe.Gradingstatus != "graded" {
		t.Errorf("zoe A1 = %+v, want submitted on time and graded", zoe)
	}
	for _, k := range [][2]int{{1, 7}, {1, 14}, {1, 20}, {1, 26}, {1, 34}, {3, 8}, {3, 16}, {3, 26}, {3, 32}} {
		if sub := state[k]; sub.Status != "submitted" || sub.Timemodified <= due[k[0]] {
			t.Errorf("assign %d user %d = %+v, want a late submission", k[0], k[1], sub)
		}
	}
	if sub, ok := state[[2]int{1, 30}]; ok {
		t.Errorf("ethan.brown has an A1 record %+v before anyone read his status", sub)
	}
	if sub := state[[2]int{1, 19}]; sub.Status != "new" || sub.Gradingstatus != "graded" {
		t.Errorf("emily A1 = %+v, want a new record graded 0", sub)
	}

	var grades struct {
		Assignments []struct {
			Assignmentid int `json:"assignmentid"`
			Grades       []struct {
				Userid int    `json:"userid"`
				Grade  string `json:"grade"`
			} `json:"grades"`
		} `json:"assignments"`
	}
	teacher.get(&grades, "mod_assign_get_grades", "assignmentids[0]", "1", "assignmentids[1]", "2", "assignmentids[2]", "3")
	if len(grades.Assignments) != 1 || len(grades.Assignments[0].Grades) != 22 {
		t.Fatalf("grades = %+v, want 22 A1 grades only", grades)
	}
	for _, g := range grades.Assignments[0].Grades {
		if g.Userid == 14 {
			t.Error("oliver's late A1 has a grade")
		}
		if g.Userid == 5 && g.Grade != "92.00000" {
			t.Errorf("zoe's A1 grade = %q, want \"92.00000\"", g.Grade)
		}
	}

	var flags struct {
		Assignments []struct {
			Assignmentid int `json:"assignmentid"`
			Userflags    []struct {
				Userid           int   `json:"userid"`
				Extensionduedate int64 `json:"extensionduedate"`
			} `json:"userflags"`
		} `json:"assignments"`
	}
	teacher.get(&flags, "mod_assign_get_user_flags", "assignmentids[0]", "3")
	if len(flags.Assignments) != 1 || len(flags.Assignments[0].Userflags) != 1 ||
		flags.Assignments[0].Userflags[0].Userid != 13 || flags.Assignments[0].Userflags[0].Extensionduedate != now+5*day {
		t.Errorf("A3 flags = %+v, want mei.chen's extension to now+5d", flags)
	}

	var participants []struct {
		ID               int    `json:"id"`
		Grantedextension bool   `json:"grantedextension"`
		Submissionstatus string `json:"submissionstatus"`
	}
	teacher.get(&participants, "mod_assign_list_participants", "assignid", "3", "groupid", "0", "filter", "")
	if len(participants) != 29 {
		t.Errorf("A3 participants = %d, want 29 (lea.martin is suspended)", len(participants))
	}
	for _, p := range participants {
		if p.ID == 31 {
			t.Error("suspended lea.martin listed as a participant")
		}
		if p.Grantedextension != (p.ID == 13) {
			t.Errorf("user %d grantedextension = %v", p.ID, p.Grantedextension)
		}
	}
}

func TestKTS101CompletionMatchesProgress(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	var completed []string
	for id := 5; id <= 34; id++ {
		if id == 31 {
			continue // suspended: no progress
		}
		statuses := teacher.completion("2", fmt.Sprint(id))
		if len(statuses) != 8 {
			t.Fatalf("user %d: %d activities with completion, want 8", id, len(statuses))
		}
		done := 0
		for _, st := range statuses {
			if st.State == 1 || st.State == 2 {
				done++
			}
		}
		var cc struct {
			Completionstatus struct {
				Completed bool `json:"completed"`
			} `json:"completionstatus"`
		}
		teacher.get(&cc, "core_completion_get_course_completion_status", "courseid", "2", "userid", fmt.Sprint(id))
		want := float64(done) / 8 * 100
		if cc.Completionstatus.Completed {
			want = 100
			var u []enrolledUser
			teacher.get(&u, "core_user_get_users_by_field", "field", "id", "values[0]", fmt.Sprint(id))
			completed = append(completed, u[0].Email)
		}
		var courses []struct {
			ID       int      `json:"id"`
			Progress *float64 `json:"progress"`
		}
		teacher.get(&courses, "core_enrol_get_users_courses", "userid", fmt.Sprint(id))
		if len(courses) != 1 || courses[0].Progress == nil || *courses[0].Progress != want {
			t.Errorf("user %d: progress %+v, want %v from the completion statuses", id, courses, want)
		}
		switch id {
		case 5:
			if want != 100 {
				t.Errorf("zoe progress %v, want 100", want)
			}
		case 14:
			if want != 25 {
				t.Errorf("oliver progress %v, want 25", want)
			}
		}
	}
	sort.Strings(completed)
	wantCompleted := []string{}
	for _, u := range []string{"zoe.andersen", "an.nguyen", "jose.martinez", "aisha.rahman", "amara.okafor",
		"fatima.alsayed", "isabella.rossi", "grace.kim", "kwame.mensah", "mehmet.yilmaz"} {
		wantCompleted = append(wantCompleted, u+"@students.kts-lab.example")
	}
	sort.Strings(wantCompleted)
	if diff := cmp.Diff(wantCompleted, completed); diff != "" {
		t.Errorf("course completed by (-want +got):\n%s", diff)
	}

	var lea []any
	teacher.get(&lea, "core_enrol_get_users_courses", "userid", "31")
	if len(lea) != 0 {
		t.Errorf("lea.martin's courses = %v, want [] (suspended only)", lea)
	}
	teacher.wantError("usernotenroled", "core_completion_get_course_completion_status", "courseid", "2", "userid", "31")
}

func TestKTS101CompletionStates(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	a1 := map[int]int{5: 2, 11: 3, 33: 3, 14: 0, 19: 0, 12: 0, 31: 2}
	for user, want := range a1 {
		for _, st := range teacher.completion("2", fmt.Sprint(user)) {
			if st.Cmid == 6 && st.State != want {
				t.Errorf("user %d A1 state = %d, want %d", user, st.State, want)
			}
		}
	}
	for _, st := range teacher.completion("2", "14") {
		switch st.Cmid {
		case 10:
			if st.State != 1 || st.Overrideby == nil || *st.Overrideby != 3 {
				t.Errorf("oliver's Further reading = %+v, want complete, overridden by 3", st)
			}
		case 2:
			if st.State != 1 {
				t.Errorf("oliver's handbook state = %d, want 1", st.State)
			}
		case 6:
			if st.Details[0].Rulevalue.Status != 1 || st.Details[1].Rulevalue.Status != 0 {
				t.Errorf("oliver's A1 rules = %+v, want submitted, not graded", st.Details)
			}
		default:
			if st.State != 0 {
				t.Errorf("oliver cmid %d state = %d, want 0", st.Cmid, st.State)
			}
		}
	}
	for _, st := range teacher.completion("2", "22") {
		if st.Cmid == 9 && st.State != 3 {
			t.Errorf("liam's quiz (2/10) state = %d, want 3 (fail)", st.State)
		}
	}
}

func TestKTS101GradeReport(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	var r struct {
		Usergrades []struct {
			Userid     int `json:"userid"`
			Gradeitems []struct {
				Itemname       *string  `json:"itemname"`
				Itemtype       string   `json:"itemtype"`
				Graderaw       *float64 `json:"graderaw"`
				Gradeformatted string   `json:"gradeformatted"`
				Feedback       string   `json:"feedback"`
			} `json:"gradeitems"`
		} `json:"usergrades"`
	}
	teacher.get(&r, "gradereport_user_get_grade_items", "courseid", "2", "userid", "0")
	if len(r.Usergrades) != 29 {
		t.Fatalf("%d users, want the 29 active students", len(r.Usergrades))
	}
	for _, ug := range r.Usergrades {
		last := ug.Gradeitems[len(ug.Gradeitems)-1]
		if last.Itemtype != "course" || last.Itemname != nil {
			t.Errorf("user %d: last item %+v, want the course total with itemname null", ug.Userid, last)
		}
		a1 := ug.Gradeitems[0]
		switch ug.Userid {
		case 5:
			if a1.Graderaw == nil || *a1.Graderaw != 92 || a1.Gradeformatted[:2] != "<i" || a1.Feedback == "" {
				t.Errorf("zoe A1 item = %+v, want 92 with a pass icon and feedback", a1)
			}
		case 14:
			if a1.Graderaw != nil || a1.Gradeformatted != "-" {
				t.Errorf("oliver A1 item = %+v, want ungraded", a1)
			}
		}
	}
}
