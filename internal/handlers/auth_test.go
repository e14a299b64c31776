package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	"golang.org/x/net/html"
)

func TestSignInFailuresHaveTheirOwnSentence(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"wrong password", url.Values{"username": {"kts.teacher"}, "password": {"nope"}}, 401, "username or password is wrong"},
		{"empty fields", url.Values{"username": {""}, "password": {""}}, 400, "Enter both"},
		{"password missing", url.Values{"username": {"kts.teacher"}}, 400, "Enter both"},
		{"not a token", url.Values{"token": {"hello world"}}, 401, "does not look like a Moodle token"},
		{"unknown token", url.Values{"token": {"0123456789abcdef0123456789abcdef"}}, 401, "does not accept this token"},
	}
	for _, tt := range tests {
		p := e.browser().post("/signin", tt.form)
		if p.status != tt.status {
			t.Errorf("%s: status %d; want %d", tt.name, p.status, tt.status)
			continue
		}
		if got := text(one(t, p.doc, "signin-error")); !strings.Contains(got, tt.want) {
			t.Errorf("%s: sentence %q; want it to contain %q", tt.name, got, tt.want)
		}
		if strings.Contains(p.body, "nope") {
			t.Errorf("%s: the password is echoed in the page", tt.name)
		}
	}
}

func TestSignInWithToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	tok := e.site.Token("kts.teacher", "moodle_mobile_app")
	p := b.post("/signin", url.Values{"token": {tok}, "next": {"/course/2"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/course/2" {
		t.Fatalf("token sign-in: %d to %q; want 303 to /course/2", p.status, p.header.Get("Location"))
	}
	if p := b.get("/course/2"); p.status != http.StatusOK {
		t.Fatalf("cohort after token sign-in: %d", p.status)
	}
}

func TestSignInThrottlesRepeatedFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	var last page
	for range 7 {
		last = b.post("/signin", url.Values{"username": {"kts.teacher"}, "password": {"guess"}})
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
		t.Fatalf("7th failure: status %d Retry-After %q; want 429 with Retry-After", last.status, last.header.Get("Retry-After"))
	}
	if !strings.Contains(text(one(t, last.doc, "signin-error")), "Too many failed sign-ins") {
		t.Errorf("no sentence about throttling: %q", text(last.doc))
	}
	// The right password is refused too while throttled: no more guesses get through.
	p := b.post("/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}})
	if p.status != http.StatusTooManyRequests {
		t.Errorf("sign-in while throttled: %d; want 429", p.status)
	}
}

func TestNextAcceptsLocalPathsOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "/%2F%2Fevil.example", "/%5Cevil.example", "javascript:alert(1)"} {
		p := e.browser().post("/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}, "next": {next}})
		if p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
			t.Errorf("next=%q: %d to %q; want 303 to /", next, p.status, p.header.Get("Location"))
		}
	}
	// The sign-in form carries a safe next only.
	p := e.browser().get("/signin?next=//evil.example")
	for _, in := range findAll(p.doc, func(n *html.Node) bool { return attr(n, "name") == "next" }) {
		if v := attr(in, "value"); v != "/" {
			t.Errorf("hidden next is %q; want /", v)
		}
	}
}

func TestSecurityHeadersAndCookie(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	p := b.post("/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}})
	csp := p.header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors " + e.moodle.URL, "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if p.header.Get("X-Content-Type-Options") != "nosniff" || p.header.Get("Referrer-Policy") == "" {
		t.Errorf("hardening headers missing: %v", p.header)
	}
	// The session cookie, and the device cookie sign-in throttling trusts (a random id).
	cookies := p.header.Values("Set-Cookie")
	if len(cookies) != 2 || !strings.HasPrefix(cookies[0]+cookies[1], "kts_") {
		t.Fatalf("Set-Cookie %v; want the session and the device cookie", cookies)
	}
	for _, c := range cookies {
		for _, want := range []string{"HttpOnly", "SameSite=Lax"} {
			if !strings.Contains(c, want) {
				t.Errorf("cookie %q lacks %q", c, want)
			}
		}
		if strings.Contains(c, e.site.Token("kts.teacher", "moodle_mobile_app")) {
			t.Error("a cookie holds the Moodle token")
		}
	}
	if !strings.Contains(strings.Join(cookies, " "), "kts_session=") {
		t.Errorf("no session cookie in %v", cookies)
	}
}

func TestCrossSiteWritesAreRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	for _, path := range []string{"/signout", "/course/2/refresh", "/course/2/message", "/course/2/student/14/notes"} {
		req, _ := http.NewRequest(http.MethodPost, e.app.URL+path, strings.NewReader("text=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if p := b.do(req); p.status != http.StatusForbidden {
			t.Errorf("cross-site POST %s: status %d; want 403", path, p.status)
		}
	}
	if p := b.get("/course/2"); p.status != http.StatusOK {
		t.Fatalf("still signed in after refused cross-site sign-out: %d", p.status)
	}
}

func TestSignOutEndsSessionAndDropsCache(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	b.get("/course/2")
	if e.cache.Len() == 0 {
		t.Fatal("nothing was cached")
	}
	p := b.post("/signout", nil)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/" {
		t.Fatalf("sign-out: %d to %q", p.status, p.header.Get("Location"))
	}
	if n := e.cache.Len(); n != 0 {
		t.Errorf("%d cache entries left after sign-out; want 0", n)
	}
	if p := b.get("/course/2"); p.status != http.StatusSeeOther {
		t.Errorf("after sign-out /course/2: %d; want 303 to sign in", p.status)
	}
}

func TestRevokedTokenEndsSessionKeepingNext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	tok := e.site.Token("kts.teacher", "moodle_mobile_app")
	b.post("/signin", url.Values{"token": {tok}})
	e.site.RevokeToken(tok)
	p := b.get("/course/2?group=1")
	if p.status != http.StatusSeeOther {
		t.Fatalf("status %d; want 303", p.status)
	}
	loc, _ := url.Parse(p.header.Get("Location"))
	if loc.Path != "/signin" || loc.Query().Get("next") != "/course/2?group=1" || loc.Query().Get("reason") != "expired" {
		t.Fatalf("Location %q; want /signin with next and reason", p.header.Get("Location"))
	}
	p = b.get(loc.RequestURI())
	if !strings.Contains(text(p.doc), "no longer accepts your sign-in") {
		t.Errorf("sign-in page does not say why: %q", text(p.doc))
	}
	if e.cache.Len() != 0 {
		t.Errorf("cached data of the rejected token left: %d entries", e.cache.Len())
	}
	// The session is gone: another page also asks to sign in.
	if p := b.get("/"); len(byTestID(p.doc, "signin-password")) != 1 {
		t.Error("home still signed in after the token was rejected")
	}
}

func TestMissingFunctionNamesWhatTheAdminMustAdd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	var custom string
	for _, a := range e.site.Accounts() {
		if a.Username == "kts.teacher" {
			custom = a.ServiceToken
		}
	}
	if custom == "" {
		t.Fatal("the demo teacher has no custom-service token")
	}
	b.post("/signin", url.Values{"token": {custom}})
	// The custom service has no messaging: the compose page says so instead of a broken form.
	p := b.get("/course/2/message?userid=14")
	if p.status != http.StatusOK {
		t.Fatalf("compose: status %d", p.status)
	}
	if got := text(one(t, p.doc, "messaging-unavailable")); !strings.Contains(got, moodle.FuncSendMessages) {
		t.Errorf("compose says %q; want the missing function named", got)
	}
	if len(byTestID(p.doc, "compose-form")) != 0 {
		t.Error("the compose form is shown although Moodle would refuse it")
	}
	// Notes are not in the custom service either.
	p = b.get("/course/2/student/14")
	if got := text(one(t, p.doc, "notes-unavailable")); !strings.Contains(got, moodle.FuncCourseNotes) {
		t.Errorf("notes section says %q; want the missing function named", got)
	}
}

func TestCacheNeverCrossesUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	teacher, tutor := e.browser(), e.browser()
	teacher.signInTeacher()
	tutor.signIn("kts.tutor", demo.TutorPassword)
	tp := teacher.get("/course/2")
	up := tutor.get("/course/2")
	if len(byTestID(tp.doc, "student-row")) != 29 || len(byTestID(up.doc, "student-row")) != 14 {
		t.Fatalf("teacher sees %d, tutor %d rows; want 29 and 14", len(byTestID(tp.doc, "student-row")), len(byTestID(up.doc, "student-row")))
	}
	// The tutor, loading after the teacher, must not be served the teacher's cached roster.
	if strings.Contains(up.body, "Oliver Smith") {
		t.Fatal("the tutor sees Oliver (Group B): data crossed users")
	}
	owners := map[string]bool{}
	for _, k := range e.cache.Keys() {
		parts := strings.Split(k, "\x00")
		owners[parts[1]] = true
		if strings.Contains(k, e.site.Token("kts.teacher", "moodle_mobile_app")) || strings.Contains(k, e.site.Token("kts.tutor", "moodle_mobile_app")) {
			t.Errorf("cache key %q holds a token", k)
		}
	}
	if !owners["3"] || !owners["4"] {
		t.Errorf("cache owners %v; want entries keyed by each user (3 and 4)", owners)
	}
}

func TestForwardedForOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	// The test server is not a trusted proxy: a forged X-Forwarded-For must not give each
	// attempt a fresh throttling bucket. (An address may fail 20 times, for 20 accounts:
	// a school behind one NAT address is many teachers.)
	var last page
	for i := range 22 {
		req, _ := http.NewRequest(http.MethodPost, e.app.URL+"/signin", strings.NewReader(url.Values{"username": {"u" + strconv.Itoa(i)}, "password": {"x"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "203.0.113."+strconv.Itoa(i))
		last = b.do(req)
	}
	if last.status != http.StatusTooManyRequests {
		t.Fatalf("forged X-Forwarded-For escaped throttling: status %d; want 429", last.status)
	}
}
