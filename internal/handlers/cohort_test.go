package handlers_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
	"golang.org/x/net/html"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.browser().get("/healthz")
	if p.status != http.StatusOK || p.body != "ok" {
		t.Fatalf("GET /healthz = %d %q; want 200 ok", p.status, p.body)
	}
	if n := e.site.Requests(); n != 0 {
		t.Fatalf("/healthz made %d Moodle requests; want 0", n)
	}
}

func TestSignedOutIsSentToSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	p := e.browser().get("/course/2?group=1")
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d; want 303", p.status)
	}
	loc, _ := url.Parse(p.header.Get("Location"))
	if loc.Path != "/signin" || loc.Query().Get("next") != "/course/2?group=1" {
		t.Fatalf("Location %q; want /signin?next=/course/2?group=1", p.header.Get("Location"))
	}
	// htmx gets an HX-Redirect on a non-3xx status, which htmx follows.
	p = e.browser().get("/course/2", "HX-Request", "true")
	if p.status != http.StatusUnauthorized || !strings.HasPrefix(p.header.Get("HX-Redirect"), "/signin") {
		t.Fatalf("htmx: status %d HX-Redirect %q; want 401 with HX-Redirect to /signin", p.status, p.header.Get("HX-Redirect"))
	}
}

func TestCohortRowsStatusesAndFlags(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2")
	if p.status != http.StatusOK {
		t.Fatalf("status %d; want 200:\n%s", p.status, text(p.doc))
	}
	rows := byTestID(p.doc, "student-row")
	if len(rows) != 29 {
		t.Fatalf("%d rows; want 29 active students (Léa suspended, staff left out)", len(rows))
	}
	if got := text(one(t, p.doc, "shown-count")); !strings.Contains(got, "29 of 29") || !strings.Contains(got, "1 suspended hidden") {
		t.Errorf("shown count %q; want 29 of 29 with 1 suspended hidden", got)
	}
	oliver := rowOf(t, p.doc, "14")
	cells := byTestID(oliver, "assignment")
	if len(cells) != 3 {
		t.Fatalf("Oliver has %d assignment cells; want 3", len(cells))
	}
	if s := attr(cells[0], "data-status"); s != "late" {
		t.Errorf("Oliver A1 status %q; want late", s)
	}
	if got := text(one(t, oliver, "flags")); !strings.Contains(got, "inactive") || !strings.Contains(got, "no course access for 14 days") {
		t.Errorf("Oliver's flags %q; want inactive with its reason", got)
	}
	ethan := rowOf(t, p.doc, "30")
	if got := text(one(t, ethan, "access")); got != "never" {
		t.Errorf("Ethan's access %q; want never", got)
	}
	if got := text(one(t, ethan, "flags")); !strings.Contains(got, "never accessed") {
		t.Errorf("Ethan's flags %q; want never accessed", got)
	}
	mei := rowOf(t, p.doc, "13")
	if s := attr(byTestID(mei, "assignment")[2], "data-status"); s != "extension" {
		t.Errorf("Mei's A3 status %q; want extension", s)
	}
	zoe := rowOf(t, p.doc, "5")
	if got := text(one(t, zoe, "completion")); !strings.Contains(got, "100 %") || !strings.Contains(got, "course completed") {
		t.Errorf("Zoë's completion %q; want 100 %% and course completed", got)
	}
	for _, id := range []string{"3", "4", "31"} {
		if len(findAll(p.doc, func(n *html.Node) bool { return attr(n, "data-userid") == id })) != 0 {
			t.Errorf("user %s is listed; staff and suspended students must not be by default", id)
		}
	}
}

func TestCohortFiltersAndFragments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	tests := []struct {
		query string
		rows  int
		has   string // a user id that must be there
	}{
		{"?group=1", 14, "5"},              // Group A active: 14 (Léa suspended)
		{"?group=2", 15, "14"},             // Group B
		{"?suspended=1", 30, "31"},         // Léa shown
		{"?q=oliver", 1, "14"},             // search by name
		{"?q=lukasz", 1, "9"},              // accents folded
		{"?attention=1&group=2", -1, "30"}, // Ethan needs attention
	}
	for _, tt := range tests {
		p := b.get("/course/2" + tt.query)
		if p.status != http.StatusOK {
			t.Fatalf("%s: status %d", tt.query, p.status)
		}
		rows := byTestID(p.doc, "student-row")
		if tt.rows >= 0 && len(rows) != tt.rows {
			t.Errorf("%s: %d rows; want %d", tt.query, len(rows), tt.rows)
		}
		rowOf(t, p.doc, tt.has)
	}
	// htmx asks for the results only.
	p := b.get("/course/2?sort=access&dir=desc", "HX-Request", "true")
	if p.status != http.StatusOK || strings.Contains(p.body, "<html") || !strings.Contains(p.body, `id="cohort-results"`) {
		t.Fatalf("htmx fragment: status %d, whole page %v", p.status, strings.Contains(p.body, "<html"))
	}
	if p.header.Get("Vary") != "HX-Request" {
		t.Errorf("Vary %q; want HX-Request", p.header.Get("Vary"))
	}
	// A history restore gets the whole page.
	p = b.get("/course/2", "HX-Request", "true", "HX-History-Restore-Request", "true")
	if !strings.Contains(p.body, "<html") {
		t.Error("a history restore must get the whole page")
	}
}

func TestCohortSortHeadersAnnounceState(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2?sort=access&dir=desc")
	ths := findAll(p.doc, func(n *html.Node) bool { return n.Data == "th" && attr(n, "aria-sort") != "" })
	sorted := 0
	for _, th := range ths {
		if attr(th, "aria-sort") == "descending" {
			sorted++
			if !strings.Contains(text(th), "Last course access") {
				t.Errorf("descending header is %q; want Last course access", text(th))
			}
		}
	}
	if sorted != 1 {
		t.Fatalf("%d headers say descending; want 1", sorted)
	}
	rows := byTestID(p.doc, "student-row")
	if first := attr(rows[0], "data-userid"); first == "30" {
		t.Errorf("most recent access first, but Ethan (never) is first")
	}
	if last := attr(rows[len(rows)-1], "data-userid"); last != "30" {
		t.Errorf("last row is %s; want Ethan (30, never accessed) last when newest first", last)
	}
}

// TestBadInputGetsASentence: whatever a browser sends, the answer is a 4xx with a sentence a
// teacher understands, never a 500 and never a stack trace.
func TestBadInputGetsASentence(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	big := url.Values{"text": {strings.Repeat("x", 2<<20)}}
	tests := []struct {
		method string
		path   string
		form   url.Values // POST only
		status int
	}{
		{"GET", "/course/abc", nil, 400},
		{"GET", "/course/-1", nil, 400},
		{"GET", "/course/0", nil, 400},
		{"GET", "/course/99999999999999999999", nil, 400},
		{"GET", "/course/1.5", nil, 400},
		{"GET", "/course/%20", nil, 400},
		{"GET", "/course/999999", nil, 404},
		{"GET", "/course/2?sort=bogus", nil, 400},
		{"GET", "/course/2?sort=999", nil, 400}, // no such assignment
		{"GET", "/course/2?dir=up", nil, 400},
		{"GET", "/course/2?group=abc", nil, 400},
		{"GET", "/course/2?group=-1", nil, 400},
		{"GET", "/course/2?group=1.5", nil, 400},
		{"GET", "/course/2?group=99999999999999999999", nil, 400},
		{"GET", "/course/2?group=7", nil, 400}, // not a group of this course
		{"GET", "/course/2?attention=yes", nil, 400},
		{"GET", "/course/2?suspended=maybe", nil, 400},
		{"GET", "/course/2/student/abc", nil, 400},
		{"GET", "/course/2/student/-1", nil, 400},
		{"GET", "/course/2/student/0", nil, 400},
		{"GET", "/course/2/student/1.5", nil, 400},
		{"GET", "/course/2/student/99999999999999999999", nil, 400},
		{"GET", "/course/2/student/3", nil, 404},      // the teacher is not a student
		{"GET", "/course/2/student/999999", nil, 404}, // nobody
		{"GET", "/course/999999/student/14", nil, 404},
		{"GET", "/course/2/activity/5", nil, 404}, // a label: no completion
		{"GET", "/course/2/activity/999999", nil, 404},
		{"GET", "/course/2/activity/x", nil, 400},
		{"GET", "/course/2/activity/0", nil, 400},
		{"GET", "/course/abc/activities", nil, 400},
		{"GET", "/course/2/activities?group=abc", nil, 400},
		{"GET", "/course/-1/activities.csv", nil, 400},
		{"GET", "/course/abc/export.csv", nil, 400},
		{"GET", "/course/2/export.csv?sort=nope", nil, 400},
		{"GET", "/course/2/message?userid=abc", nil, 400},
		{"GET", "/course/2/message?userid=3", nil, 404}, // not a student
		{"GET", "/?courseid=abc", nil, 400},
		{"GET", "/?courseid=", nil, 400},
		{"GET", "/?id=-1", nil, 400},
		{"GET", "/course/", nil, 404},
		{"GET", "/no/such/page", nil, 404},
		{"POST", "/course/2/student/abc/notes", url.Values{"text": {"x"}}, 400},
		{"POST", "/course/2/student/14/notes", url.Values{"text": {"   "}}, 400},
		{"POST", "/course/2/student/14/notes", url.Values{"text": {"x"}, "publishstate": {"public"}}, 400},
		{"POST", "/course/2/student/14/notes", url.Values{"text": {strings.Repeat("x", 20<<10)}}, 413},
		{"POST", "/course/2/message", url.Values{"userid": {"abc"}, "text": {"x"}}, 400},
		{"POST", "/signin", big, 413},
		{"POST", "/course/2/message", big, 413},
		{"GET", "/course/2?q=" + strings.Repeat("x", 5000), nil, 414},
	}
	for _, tt := range tests {
		var p page
		if tt.method == "POST" {
			p = b.post(tt.path, tt.form)
		} else {
			p = b.get(tt.path)
		}
		what := tt.method + " " + clipPath(tt.path)
		if p.status != tt.status {
			t.Errorf("%s: status %d; want %d: %q", what, p.status, tt.status, text(p.doc))
			continue
		}
		if strings.Contains(p.body, "goroutine") || strings.Contains(p.body, ".go:") {
			t.Errorf("%s: the page shows a stack trace", what)
		}
		if p.doc == nil { // 413 and 414 are refused before any page is drawn: plain text
			if len(strings.TrimSpace(p.body)) < 20 {
				t.Errorf("%s: no sentence: %q", what, p.body)
			}
			continue
		}
		msg := byTestID(p.doc, "error-message")
		if len(msg) != 1 || len(text(msg[0])) < 20 {
			t.Errorf("%s: no sentence in the page: %q", what, text(p.doc))
		}
	}
}

// clipPath keeps a failure message readable when the path is huge.
func clipPath(p string) string {
	if len(p) > 80 {
		return p[:80] + "…"
	}
	return p
}

func TestStudentTokenGetsNoCohort(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signIn("zoe.andersen", demo.StudentPassword)
	for _, path := range []string{"/course/2", "/course/2/student/14", "/course/2/activities", "/course/2/export.csv"} {
		p := b.get(path)
		if p.status != http.StatusForbidden {
			t.Errorf("student GET %s: status %d; want 403", path, p.status)
		}
		if strings.Contains(p.body, "Oliver") {
			t.Errorf("student GET %s: the page names another student", path)
		}
	}
}

func TestTutorSeesOnlyTheirGroup(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signIn("kts.tutor", demo.TutorPassword)
	p := b.get("/course/2")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	rows := byTestID(p.doc, "student-row")
	if len(rows) != 14 {
		t.Fatalf("tutor sees %d rows; want Group A's active students only", len(rows))
	}
	for _, r := range rows {
		if !strings.Contains(text(r), "Group A") {
			t.Errorf("tutor sees %q outside Group A", text(r))
		}
	}
	if p := b.get("/course/2?group=2"); p.status != http.StatusBadRequest {
		t.Errorf("tutor asking for Group B: status %d; want 400", p.status)
	}
	if p := b.get("/course/2/student/14"); p.status != http.StatusNotFound {
		t.Errorf("tutor opening Oliver (Group B): status %d; want 404", p.status)
	}
}

func TestCohortCSV(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2/export.csv?group=2&sort=name")
	if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d type %q", p.status, p.header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(p.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHead := []string{"userid", "fullname", "email", "groups", "enrolment", "lastcourseaccess", "activities_completed",
		"activities_total", "completion_percent", "course_completed", "flags"}
	for i, h := range wantHead {
		if recs[0][i] != h {
			t.Fatalf("column %d is %q; want %q (header %v)", i, recs[0][i], h, recs[0])
		}
	}
	if len(recs) != 16 {
		t.Fatalf("%d data rows; want 15 (Group B)", len(recs)-1)
	}
	var oliver []string
	for _, r := range recs[1:] {
		if r[0] == "14" {
			oliver = r
		}
	}
	if oliver == nil || oliver[8] != "25" || oliver[9] != "no" || !strings.Contains(oliver[10], "inactive") {
		t.Fatalf("Oliver's row %v; want completion 25, course not completed, inactive flag", oliver)
	}
}

func TestColdAndWarmCohortCost(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	e.site.ResetCalls()
	if p := b.get("/course/2"); p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	cold := e.site.Requests()
	// Roster, active roster, one batch with course, contents, assignments and groups,
	// submissions, one batch with grades and user flags, the grade report of the quiz (every
	// student in one call), and two completion batches (30 students, 25 per batch).
	if cold != 8 {
		t.Errorf("cold cohort page made %d Moodle requests (%v); want 8", cold, e.site.Calls())
	}
	e.site.ResetCalls()
	for _, path := range []string{"/course/2", "/course/2?group=1&sort=access", "/course/2/export.csv", "/course/2/activities", "/course/2/activity/2"} {
		if p := b.get(path); p.status != http.StatusOK {
			t.Fatalf("GET %s: %d", path, p.status)
		}
	}
	if warm := e.site.Requests(); warm != 0 {
		t.Errorf("warm pages made %d Moodle requests (%v); want 0", warm, e.site.Calls())
	}
}

func TestHomeListsTaughtCourses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		user, password string
		want           []string
	}{
		{"kts.teacher", demo.TeacherPassword, []string{"/course/3", "/course/4", "/course/2"}}, // sorted by name
		{"kts.tutor", demo.TutorPassword, []string{"/course/2"}},
		{"zoe.andersen", demo.StudentPassword, nil},
	}
	for _, tt := range tests {
		b := e.browser()
		b.signIn(tt.user, tt.password)
		e.site.ResetCalls()
		p := b.get("/")
		if p.status != http.StatusOK {
			t.Fatalf("%s: status %d", tt.user, p.status)
		}
		var got []string
		for _, a := range byTestID(p.doc, "course-link") {
			got = append(got, attr(a, "href"))
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%s sees courses %v; want %v", tt.user, got, tt.want)
		}
		if n := e.site.Requests(); n > 2 {
			t.Errorf("%s: home made %d Moodle requests; want at most 2", tt.user, n)
		}
		if tt.want == nil && len(byTestID(p.doc, "no-courses")) != 1 {
			t.Errorf("%s: no sentence saying there is no course to show", tt.user)
		}
	}
}

func TestMoodleCourseLinkRedirects(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	for _, q := range []string{"/?courseid=2", "/?id=2"} {
		p := b.get(q)
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/course/2" {
			t.Errorf("GET %s: %d to %q; want 303 to /course/2", q, p.status, p.header.Get("Location"))
		}
	}
	// Signed out: the course sends to sign-in, which brings back to the course.
	p := b.get("/course/2")
	loc, _ := url.Parse(p.header.Get("Location"))
	next := loc.Query().Get("next")
	p = b.post("/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}, "next": {next}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/course/2" {
		t.Fatalf("sign-in with next=%q: %d to %q; want 303 to /course/2", next, p.status, p.header.Get("Location"))
	}
}
