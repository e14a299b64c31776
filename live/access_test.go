package live_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A wrong password is the sign-in form again with 401, as Moodle's login/token.php refuses it.
func TestLiveSignInWithWrongPasswordIs401(t *testing.T) {
	s := liveSite(t)
	d := dashboardFor(t, s)
	status, body, err := d.signIn(newClient(), s.Teacher, s.Password+"-wrong")
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusUnauthorized {
		t.Fatalf("sign-in with a wrong password: status %d, want 401\n%s", status, tail(body, 1500))
	}
	if !strings.Contains(body, `name="password"`) {
		t.Errorf("the 401 is not the sign-in form again:\n%s", tail(body, 1500))
	}
}

// The non-editing teacher of Group A (no accessallgroups, separate groups) gets exactly the
// students Moodle lets him see, all in Group A, and a 404 for a Group B student's page.
func TestLiveTutorSeesOnlyGroupA(t *testing.T) {
	s := liveSite(t)
	d := dashboardFor(t, s)
	tr := moodleTruth(t, s)
	tutor := d.as(t, s.Tutor, s.Password)
	course := "/course/" + strconv.FormatInt(s.CourseID, 10)
	status, body := d.get(t, tutor, course+"/export.csv?suspended=1")
	if status != http.StatusOK {
		t.Fatalf("tutor's export: status %d\n%s", status, tail(body, 1500))
	}
	got := parseCSV(t, body)
	groups := slices.Index(got.Header, "groups")
	if groups < 0 {
		t.Fatalf("no groups column in %q", got.Header)
	}
	var ids []string
	for _, r := range got.Rows {
		ids = append(ids, r[0])
		if !slices.Contains(strings.Split(r[groups], "; "), "Group A") {
			t.Errorf("the tutor sees student %s of groups %q, not in Group A", r[0], r[groups])
		}
	}
	var want []string
	for _, r := range tr.view(t, s.Tutor, "suspended").Cohort.Rows {
		want = append(want, r[0])
	}
	slices.Sort(ids)
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("the tutor's students\n got %v\nwant %v", ids, want)
	}
	if len(want) == 0 || len(want) >= len(tr.view(t, s.Teacher, "suspended").Cohort.Rows) {
		t.Fatalf("truth.php gives the tutor %d students: the seed's group scope is broken", len(want))
	}

	// A student the teacher sees and the tutor does not.
	var other string
	for _, r := range tr.view(t, s.Teacher, "default").Cohort.Rows {
		if !slices.Contains(want, r[0]) {
			other = r[0]
			break
		}
	}
	if other == "" {
		t.Fatal("every student is in the tutor's groups")
	}
	status, body = d.get(t, tutor, course+"/student/"+other)
	if status != http.StatusNotFound {
		t.Errorf("the tutor opening student %s outside his groups: status %d, want 404\n%s", other, status, tail(body, 800))
	}
}
