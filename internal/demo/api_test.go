package demo_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
)

func login(t *testing.T, s *server, form url.Values) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(post(t, s.url+"/login/token.php", form), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLogin(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	for _, tc := range []struct {
		name, username, password, service, code string
	}{
		{"wrong password", "kts.teacher", "nope", demo.MobileService, "invalidlogin"},
		{"unknown user", "nobody", "x", demo.MobileService, "invalidlogin"},
		{"unknown service", "kts.teacher", demo.TeacherPassword, "no_such_service", "servicenotavailable"},
		{"no custom token", "priya.patel", demo.StudentPassword, demo.CustomService, "cannotcreatetoken"},
	} {
		got := login(t, s, url.Values{"username": {tc.username}, "password": {tc.password}, "service": {tc.service}})
		if got["errorcode"] != tc.code || got["stacktrace"] != nil {
			t.Errorf("%s: %v, want errorcode %s in the login error shape", tc.name, got, tc.code)
		}
	}
	got := login(t, s, url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}})
	if got["errorcode"] != "missingparam" || got["error"] != "A required parameter (service) was missing" {
		t.Errorf("missing service: %v", got)
	}

	for _, a := range s.site.Accounts() {
		got := login(t, s, url.Values{"username": {a.Username}, "password": {a.Password}, "service": {demo.MobileService}})
		if got["token"] != a.Token || got["privatetoken"] != nil {
			t.Errorf("%s: login = %v, want token %s", a.Username, got, a.Token)
		}
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(a.Token) || a.ServiceToken == a.Token {
			t.Errorf("%s: tokens %q / %q, want two distinct 32-hex tokens", a.Username, a.Token, a.ServiceToken)
		}
	}

	// Any student can sign in to the mobile service and gets a working token.
	got = login(t, s, url.Values{"username": {"priya.patel"}, "password": {demo.StudentPassword}, "service": {demo.MobileService}})
	tok, _ := got["token"].(string)
	var info struct {
		Userid  int    `json:"userid"`
		Siteurl string `json:"siteurl"`
		Release string `json:"release"`
	}
	(&client{t: t, s: s, token: tok}).get(&info, "core_webservice_get_site_info")
	if info.Userid != 15 || info.Siteurl != s.url || info.Release != "4.5 (demo)" {
		t.Errorf("priya's site info = %+v", info)
	}
}

func TestAccountsAreStable(t *testing.T) {
	t.Parallel()
	a, b := demo.New(demo.Options{}).Accounts(), demo.New(demo.Options{Now: testNow}).Accounts()
	if len(a) != 3 || a[0].Username != "kts.teacher" || a[1].Username != "kts.tutor" || a[2].Username != "zoe.andersen" {
		t.Fatalf("accounts = %+v", a)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("account %d differs between sites: %+v vs %+v", i, a[i], b[i])
		}
		if a[i].Description == "" || a[i].Password == "" {
			t.Errorf("account %s lacks a password or description", a[i].Username)
		}
	}
}

func TestRESTErrors(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	bogus := &client{t: t, s: s, token: "0123456789abcdef0123456789abcdef"}
	bogus.wantError("invalidtoken", "core_webservice_get_site_info")
	(&client{t: t, s: s}).wantError("invalidtoken", "core_webservice_get_site_info")
	teacher := s.as(t, "kts.teacher")
	teacher.wantError("invalidrecord", "kts_no_such_function")
	teacher.wantError("invalidrecord", "")
	teacher.wantError("invalidparameter", "core_course_get_contents", "courseid", "abc")
	teacher.wantError("invalidparameter", "core_enrol_get_enrolled_users")
	teacher.wantError("invalidrecord", "core_course_get_contents", "courseid", "999999")
	custom := &client{t: t, s: s, token: s.acc["kts.teacher"].ServiceToken}
	custom.wantError("accessexception", "core_course_search_courses", "criterianame", "search", "criteriavalue", "KTS")
	s.as(t, "zoe.andersen").wantError("requireloginerror", "core_course_get_contents", "courseid", "3")

	// GET works like POST, as Moodle merges query and body parameters.
	q := url.Values{"wstoken": {s.acc["kts.teacher"].Token}, "wsfunction": {"core_webservice_get_site_info"},
		"moodlewsrestformat": {"json"}}
	resp, err := http.Get(s.url + "/webservice/rest/server.php?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"userid":3`)) ||
		resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("GET site info: %d %s %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	req, _ := http.NewRequest(http.MethodDelete, s.url+"/webservice/rest/server.php", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("DELETE: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if resp, err := http.Get(s.url + "/no/such/page.php"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown path: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

func TestCallsAreCounted(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{})
	teacher := s.as(t, "kts.teacher")
	var v any
	teacher.get(&v, "core_webservice_get_site_info")
	teacher.get(&v, "core_webservice_get_site_info")
	teacher.wantError("invalidparameter", "core_course_get_contents", "courseid", "abc")
	teacher.get(&v, "tool_mobile_call_external_functions",
		"requests[0][function]", "core_course_get_contents", "requests[0][arguments]", `{"courseid":2}`)
	login(t, s, url.Values{"username": {"kts.teacher"}, "password": {"x"}, "service": {demo.MobileService}})
	calls := s.site.Calls()
	if calls["core_webservice_get_site_info"] != 2 || calls["core_course_get_contents"] != 1 ||
		calls["tool_mobile_call_external_functions"] != 1 {
		t.Errorf("Calls() = %v", calls)
	}
	if got := s.site.BatchedCalls()["core_course_get_contents"]; got != 1 {
		t.Errorf("batched contents calls = %d, want 1", got)
	}
	if got := s.site.Requests(); got != 5 {
		t.Errorf("Requests() = %d, want 5", got)
	}
	s.site.ResetCalls()
	if len(s.site.Calls()) != 0 || len(s.site.BatchedCalls()) != 0 || s.site.Requests() != 0 {
		t.Error("ResetCalls left counts behind")
	}
}

func TestRepliesAreDeterministic(t *testing.T) {
	t.Parallel()
	a := newServer(t, demo.Options{BaseURL: "http://demo.example"})
	b := newServer(t, demo.Options{BaseURL: "http://demo.example"})
	for _, call := range [][]string{
		{"core_enrol_get_enrolled_users", "courseid", "3"},
		{"gradereport_user_get_grade_items", "courseid", "2", "userid", "0"},
		{"mod_assign_get_grades", "assignmentids[0]", "4", "assignmentids[1]", "5"},
		{"core_course_get_contents", "courseid", "2"},
	} {
		x := a.as(t, "kts.teacher").raw(call[0], call[1:]...)
		y := b.as(t, "kts.teacher").raw(call[0], call[1:]...)
		if !bytes.Equal(x, y) {
			t.Errorf("%s: two sites built alike answer differently", call[0])
		}
		hasURLs := call[0] == "core_enrol_get_enrolled_users" || call[0] == "core_course_get_contents"
		if hasURLs && !bytes.Contains(x, []byte("http://demo.example/")) {
			t.Errorf("%s: reply does not use Options.BaseURL", call[0])
		}
	}
}

func TestBenchmarkCourse(t *testing.T) {
	t.Parallel()
	s := newServer(t, demo.Options{BigStudents: 50})
	teacher := s.as(t, "kts.teacher")
	var courses []struct {
		ID        int    `json:"id"`
		Shortname string `json:"shortname"`
	}
	teacher.get(&courses, "core_enrol_get_users_courses", "userid", "3")
	if len(courses) != 3 || courses[0].ID != demo.BigCourseID || courses[0].Shortname != "BIG50" {
		t.Errorf("teacher's courses = %+v, want BIG50 (id 4), BIG500, KTS101", courses)
	}
	var users []enrolledUser
	teacher.get(&users, "core_enrol_get_enrolled_users", "courseid", "4")
	if len(users) != 51 || users[1].ID != 535 {
		t.Errorf("BIG50 has %d participants (first student %d), want 51 from id 535", len(users), users[1].ID)
	}
	var sections []struct {
		Name    string `json:"name"`
		Modules []struct {
			ID       int   `json:"id"`
			Contents []any `json:"contents"`
		} `json:"modules"`
	}
	teacher.get(&sections, "core_course_get_contents", "courseid", "4",
		"options[0][name]", "excludecontents", "options[0][value]", "1")
	mods := 0
	for _, sc := range sections {
		for _, m := range sc.Modules {
			mods++
			if m.Contents != nil {
				t.Errorf("module %d has contents despite excludecontents", m.ID)
			}
		}
	}
	if len(sections) != 9 || sections[8].Name != "Week 8" || mods != 26 {
		t.Errorf("BIG50 contents: %d sections, %d modules; want General + 8 weeks and 26 modules", len(sections), mods)
	}
}
