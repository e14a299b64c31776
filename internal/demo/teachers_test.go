package demo_test

import (
	"net/http/httptest"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
)

// TestAddTeacher: an added teacher signs in, and the course's roster lists them as an editing
// teacher, next to the students they can all see.
func TestAddTeacher(t *testing.T) {
	t.Parallel()
	site := demo.New(demo.Options{Now: testNow})
	srv := httptest.NewServer(site.Handler())
	defer srv.Close()
	a, err := site.AddTeacher(demo.KTS101CourseID, "load.teacher.1", "pw-1")
	if err != nil {
		t.Fatal(err)
	}
	mc, err := moodle.New(srv.URL, moodle.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := mc.Login(t.Context(), "load.teacher.1", "pw-1", demo.MobileService)
	if err != nil || tok != a.Token {
		t.Fatalf("Login = %q, %v; want the account's token %q", tok, err, a.Token)
	}
	roster, err := mc.EnrolledUsers(t.Context(), tok, demo.KTS101CourseID, moodle.EnrolledUsersOptions{})
	if err != nil {
		t.Fatal(err)
	}
	students, me := 0, false
	for _, u := range roster {
		if u.ID == int64(a.UserID) && moodle.HasRole(u.Roles, "editingteacher") {
			me = true
		}
		if moodle.HasRole(u.Roles, "student") {
			students++
		}
	}
	if !me || students != 30 {
		t.Errorf("roster lists the new teacher %v and %d students; want true and 30", me, students)
	}
	for _, bad := range [][3]any{{int64(999), "x", "y"}, {int64(demo.KTS101CourseID), "kts.teacher", "y"}, {int64(demo.KTS101CourseID), "", ""}} {
		if _, err := site.AddTeacher(bad[0].(int64), bad[1].(string), bad[2].(string)); err == nil {
			t.Errorf("AddTeacher%v: no error", bad)
		}
	}
}
