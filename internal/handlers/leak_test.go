package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
	"golang.org/x/net/html"
)

// TestNoSecretAnywhere runs whole sessions (password sign-in, token sign-in, browsing every
// page, writing, signing out, a revoked token) and finds neither the Moodle token nor the
// password in any response body, header, cookie or log line.
func TestNoSecretAnywhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.noDemo = true })
	token := e.site.Token("kts.teacher", "moodle_mobile_app")
	password := demo.TeacherPassword
	var seen []string
	record := func(p page) {
		seen = append(seen, p.body)
		for k, vs := range p.header {
			seen = append(seen, k+": "+strings.Join(vs, "; "))
		}
	}
	b := e.browser()
	record(b.post("/signin", url.Values{"username": {"kts.teacher"}, "password": {password}, "next": {"/course/2"}}))
	key := ""
	for _, path := range []string{"/", "/course/2", "/course/2?group=1&sort=access&dir=desc", "/course/2/export.csv",
		"/course/2/student/14", "/course/2/activities", "/course/2/activities.csv", "/course/2/activity/6",
		"/course/2/message?userid=14", "/course/999999", "/course/2/student/999999"} {
		p := b.get(path)
		record(p)
		if strings.Contains(path, "message") {
			for _, in := range findAll(p.doc, func(n *html.Node) bool { return attr(n, "name") == "key" }) {
				key = attr(in, "value")
			}
		}
	}
	record(b.post("/course/2/message", url.Values{"key": {key}, "userid": {"14"}, "text": {"Hello"}, "action": {"send"}}))
	record(b.post("/course/2/student/14/notes", url.Values{"text": {"note"}}))
	record(b.post("/signout", nil))
	// Again with the token pasted, then Moodle revokes it mid-session.
	b2 := e.browser()
	record(b2.post("/signin", url.Values{"token": {token}}))
	record(b2.get("/course/2"))
	e.site.RevokeToken(token)
	record(b2.get("/course/2/student/5"))
	record(b2.post("/signin", url.Values{"token": {token}})) // the revoked token is refused
	// Errors from Moodle with the token in the request.
	record(b2.post("/signin", url.Values{"username": {"kts.teacher"}, "password": {"wrong-" + password}}))

	for _, c := range b.c.Jar.Cookies(mustURL(e.app.URL)) {
		seen = append(seen, c.Name+"="+c.Value)
	}
	seen = append(seen, e.logs.String())
	for _, secret := range []string{token, password} {
		for i, s := range seen {
			if strings.Contains(s, secret) {
				t.Errorf("secret %q found in output %d: %.300s", secret[:6]+"…", i, s[max(0, strings.Index(s, secret)-150):])
			}
		}
	}
	if !strings.Contains(e.logs.String(), "signed in") {
		t.Fatal("no log was captured: the test would prove nothing")
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func TestActivitiesPageAndCSV(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2/activities")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	rows := byTestID(p.doc, "activity-row")
	if len(rows) != 8 {
		t.Fatalf("%d activity rows; want the 8 activities with completion", len(rows))
	}
	if cmid := attr(rows[0], "data-cmid"); cmid != "2" {
		t.Errorf("first activity cmid %s; want 2 (the handbook, course order)", cmid)
	}
	if got := text(one(t, rows[0], "percent")); got != "89 %" {
		t.Errorf("handbook %q; want 89 %% (26 of 29 active students)", got)
	}
	if got := text(one(t, rows[0], "dropoff")); got != "–" {
		t.Errorf("first drop-off %q; want none", got)
	}
	if got := text(one(t, rows[1], "dropoff")); !strings.HasPrefix(got, "−") {
		t.Errorf("reading drop-off %q; want a drop", got)
	}
	if len(byTestID(p.doc, "lagging")) == 0 {
		t.Error("no lagging group is marked")
	}
	one(t, p.doc, "completion-chart")
	if n := len(byTestID(p.doc, "timeliness")); n != 3 {
		t.Errorf("%d timeliness cards; want 3 assignments", n)
	}
	// Group filter.
	if p := b.get("/course/2/activities?group=1"); p.status != http.StatusOK {
		t.Errorf("group filter: %d", p.status)
	}
	// CSV with the contract's columns.
	p = b.get("/course/2/activities.csv?group=2")
	lines := strings.Split(strings.TrimSpace(p.body), "\n")
	if strings.TrimSpace(lines[0]) != "cmid,section,name,modname,completed,failed,eligible,percent,dropoff" || len(lines) != 9 {
		t.Fatalf("activities CSV head %q, %d lines; want the contract's columns and 8 rows", lines[0], len(lines))
	}
	// One activity: who has and has not completed it.
	p = b.get("/course/2/activity/8?group=2")
	if p.status != http.StatusOK {
		t.Fatalf("activity: %d", p.status)
	}
	not := text(one(t, p.doc, "list-incomplete"))
	if !strings.Contains(not, "Oliver Smith") || strings.Contains(not, "Zoë Andersen") {
		t.Errorf("A3 not completed in Group B: %q; want Oliver, not Zoë (Group A)", not)
	}
	if href := attr(one(t, p.doc, "message-incomplete"), "href"); !strings.Contains(href, "userid=14") {
		t.Errorf("message link %q does not select Oliver", href)
	}
}
