package handlers_test

import (
	"bytes"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/app"

	"github.com/knowthystudents/kts/internal/auth"
	xhtml "golang.org/x/net/html"
)

// FuzzSignInForm: whatever body and X-Forwarded-For arrive at POST /signin, the answer is a
// sentence with a 4xx (this Moodle refuses every password), never a 5xx or an ERROR line,
// never the password; and the throttle stays within its bound.
func FuzzSignInForm(f *testing.F) {
	for _, seed := range []struct{ body, xff string }{
		{"username=kts.teacher&password=guess", "203.0.113.7"},
		{"username=Kts.Tutor%3F&password=guess&next=%2Fcourse%2F2", "2001:db8:1:2::1"},
		{"token=0123456789abcdef0123456789abcdef", "2001:db8::1, 10.0.0.1"},
		{"token=hello+world", ""},
		{"username=" + strings.Repeat("a", 101) + "&password=x", "198.51.100.1"},
		{"text=%zz", "not an address"},
		{"username=a;password=b", "::ffff:10.0.0.1"},
		{"username=%00%ff&password=%C4%B0", "fe80::1%25eth0"},
		{"username=x&username=y&password=p&password=q", "127.0.0.1"},
	} {
		f.Add([]byte(seed.body), seed.xff)
	}
	m := httptest.NewServer(invalidLogin)
	f.Cleanup(m.Close)
	logs := &syncBuffer{}
	const maxEntries = 2000
	th := auth.NewThrottleWith(auth.ThrottleOptions{Pair: auth.Limit{Burst: 5, Every: time.Minute},
		Client: auth.Limit{Burst: 20, Every: time.Minute}, Account: auth.Limit{Burst: 20, Every: time.Minute},
		Device: auth.Limit{Burst: 5, Every: time.Minute}, MaxEntries: maxEntries})
	cfg := testConfig(m.URL)
	cfg.MoodleTimeout, cfg.SessionIdle, cfg.SessionLifetime = 5*time.Second, time.Hour, time.Hour
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	h := newApp(f, cfg, app.Deps{Log: slog.New(slog.NewTextHandler(logs, nil)), Throttle: th}).Handler
	f.Fuzz(func(t *testing.T, body []byte, xff string) {
		req := httptest.NewRequest(http.MethodPost, "/signin", bytes.NewReader(body))
		req.RemoteAddr = "192.0.2.10:4000"
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", xff)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
		default:
			t.Fatalf("POST /signin %q (X-Forwarded-For %q): status %d\n%s\n%s", body, xff, rec.Code, rec.Body.String(), logs.String())
		}
		if _, err := xhtml.Parse(bytes.NewReader(rec.Body.Bytes())); err != nil || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("POST /signin %q: not an HTML page (%q, %v)", body, rec.Header().Get("Content-Type"), err)
		}
		if form, err := url.ParseQuery(string(body)); err == nil {
			pw, user := form.Get("password"), form.Get("username")
			if len(pw) >= 12 && !strings.Contains(user, pw) && !strings.Contains(form.Get("next"), pw) &&
				(strings.Contains(rec.Body.String(), pw) || strings.Contains(rec.Body.String(), html.EscapeString(pw))) {
				t.Fatalf("the password %q is in the page", pw)
			}
		}
		if n := th.Entries(); n > maxEntries {
			t.Fatalf("%d throttle entries; the bound is %d", n, maxEntries)
		}
		if strings.Contains(logs.String(), "level=ERROR") {
			t.Fatalf("an ERROR was logged:\n%s", logs)
		}
	})
}

// FuzzQuery: any query string on the pages that read one (filters, sort, group, next,
// reason, ids) is answered with a page and a 2xx, 3xx or 4xx, never a 5xx or an ERROR line.
func FuzzQuery(f *testing.F) {
	paths := []string{"/course/2", "/course/2/activities", "/course/2/export.csv", "/course/2/student/14",
		"/", "/signin", "/course/2/rows", "/course/2/message", "/course/2/activities.csv", "/course/2/activity/5"}
	for i, q := range []string{
		"sort=name&dir=desc&group=3&attention=1&suspended=0", "sort=bogus", "dir=up", "group=-1", "group=99999999999999999999",
		"page=2", "courseid=abc", "id=2", "next=//evil.example&reason=expired", "reason=%3Cscript%3E", "userid=14",
		"q=%zz", "sort=name;dir=asc", "group=3&group=4", "attention=yes", "\x00", "page=-1&size=0",
	} {
		f.Add(uint8(i), q)
	}
	e := newEnv(f)
	b := e.browser()
	b.signInTeacher()
	cookies := b.c.Jar.Cookies(mustURL(e.app.URL))
	h := e.app.Config.Handler
	f.Fuzz(func(t *testing.T, which uint8, q string) {
		req := httptest.NewRequest(http.MethodGet, paths[int(which)%len(paths)], nil)
		req.URL.RawQuery = q
		for _, c := range cookies {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %s?%s: status %d", req.URL.Path, q, rec.Code)
		}
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			if _, err := xhtml.Parse(bytes.NewReader(rec.Body.Bytes())); err != nil {
				t.Fatalf("GET %s?%s: HTML does not parse: %v", req.URL.Path, q, err)
			}
		}
		if strings.Contains(e.logs.String(), "level=ERROR") {
			t.Fatalf("an ERROR was logged:\n%s", e.logs)
		}
	})
}
