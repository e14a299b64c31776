package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/wsfault"
	"golang.org/x/net/html"
)

// coursePaths are the pages that load a course; each gets the same answer when Moodle fails.
var coursePaths = []string{"/course/2", "/course/2/export.csv", "/course/2/activities", "/course/2/student/14"}

const rosterFn = moodle.FuncEnrolledUsers

// moodleFault is one way Moodle misbehaves and what a teacher must see for it.
type moodleFault struct {
	name    string
	inject  func(fe *faultEnv)
	timeout time.Duration // of one Moodle request; 0: the default
	status  int
	want    []string // parts of the sentence: what happened and what to do next
	items   []string // what the page lists for the administrator
	home    bool     // the course list fails too (the fault is on every call)
}

func inject(f wsfault.Fault) func(*faultEnv) { return func(fe *faultEnv) { fe.faults.Inject(f) } }

// onRoster is a Moodle exception on the course's roster, the call no course page can do without.
func onRoster(code string) func(*faultEnv) {
	return inject(wsfault.Exception(code, "Moodle's own words for "+code).OnFunction(rosterFn))
}

var moodleFaults = []moodleFault{
	{name: "connection refused", inject: (*faultEnv).refuseConnections, status: 502, home: true,
		want: []string{"could not connect to Moodle", "Check that Moodle is up"}},
	{name: "connection dropped", inject: inject(wsfault.Drop()), status: 502, home: true,
		want: []string{"could not connect to Moodle", "Check that Moodle is up"}},
	{name: "no answer within the timeout", inject: inject(wsfault.Delay(time.Minute)), timeout: time.Second,
		status: 504, home: true, want: []string{"did not answer in time", "Try again in a minute"}},
	{name: "reply stalls halfway", inject: inject(wsfault.Stall()), timeout: time.Second,
		status: 504, home: true, want: []string{"did not answer in time", "Try again in a minute"}},
	{name: "HTTP 500", inject: inject(wsfault.Status(500)), status: 502, home: true,
		want: []string{"answered with an error instead of data", "Try again in a minute"}},
	{name: "HTTP 502 from a proxy", inject: inject(wsfault.Status(502)), status: 502, home: true,
		want: []string{"answered with an error instead of data", "Try again in a minute"}},
	{name: "HTTP 503", inject: inject(wsfault.Status(503)), status: 503, home: true,
		want: []string{"unavailable right now", "Try again later"}},
	{name: "HTTP 403 with an empty body (web services off)", inject: inject(wsfault.Status(403)), status: 503, home: true,
		want: []string{"web services or the REST protocol are switched off", "Ask your Moodle administrator"}},
	{name: "HTML page instead of JSON", inject: inject(wsfault.HTML()), status: 502, home: true,
		want: []string{"sent a web page or an incomplete answer", "Try again in a few minutes"}},
	{name: "truncated JSON", inject: inject(wsfault.Truncated()), status: 502, home: true,
		want: []string{"sent a web page or an incomplete answer", "Try again in a few minutes"}},
	{name: "body over the size limit", inject: inject(wsfault.LargeBody(2 << 20)), status: 502, home: true,
		want: []string{"sent a web page or an incomplete answer", "Try again in a few minutes"}},

	// Every exception kind of the fixtures (and Moodle 5.0's invalidrecordunknown), on the roster.
	{name: "invalidrecord", inject: onRoster("invalidrecord"), status: 404,
		want: []string{"no course with this number", "Open the course from your course list"}},
	{name: "invalidrecordunknown (Moodle 5.0)", inject: onRoster("invalidrecordunknown"), status: 404,
		want: []string{"no course with this number", "Open the course from your course list"}},
	{name: "nopermissions", inject: onRoster("nopermissions"), status: 403,
		want: []string{"does not have the permission", "ask your Moodle administrator"}},
	{name: "nopermission", inject: onRoster("nopermission"), status: 403,
		want: []string{"does not have the permission", "ask your Moodle administrator"}},
	{name: "cannotviewreport", inject: onRoster("cannotviewreport"), status: 403,
		want: []string{"does not have the permission", "ask your Moodle administrator"}},
	{name: "requireloginerror (not enrolled)", inject: onRoster("requireloginerror"), status: 403,
		want: []string{"does not have the permission", "ask your Moodle administrator"}},
	{name: "accessexception", inject: onRoster("accessexception"), status: 403,
		want: []string{"does not include a function this page needs", "Ask your Moodle administrator to add"}, items: []string{rosterFn}},
	{name: "invalidparameter", inject: onRoster("invalidparameter"), status: 502,
		want: []string{"a value the dashboard sent is not valid", "tell your IT team"}},
	{name: "missingparam", inject: onRoster("missingparam"), status: 502,
		want: []string{"a value the dashboard sent is not valid", "tell your IT team"}},
	{name: "formatnotsupported", inject: onRoster("formatnotsupported"), status: 502,
		want: []string{"an error the dashboard does not know", "tell your IT team"}, items: []string{"formatnotsupported"}},
	{name: "errorconversationdoesnotexist (out of place)", inject: onRoster("errorconversationdoesnotexist"), status: 502,
		want: []string{"an error the dashboard does not know", "tell your IT team"}, items: []string{"errorconversationdoesnotexist"}},
	{name: "an error code with odd characters", inject: onRoster("<b>x</b> " + strings.Repeat("y", 80)), status: 502,
		want: []string{"an error the dashboard does not know", "tell your IT team"}},
}

// TestMoodleFaultsGetASentence drives every way Moodle misbehaves through the fake's fault
// injection and the real client, and checks each course page (and the course list when the
// fault hits every call): the status, a sentence saying what happened and what to do next,
// no internals, no token or password in the page or the logs, and nothing cached: once Moodle
// is healthy again, the same page loads.
func TestMoodleFaultsGetASentence(t *testing.T) {
	t.Parallel()
	for _, tt := range moodleFaults {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fe := newFaultEnv(t, func(o *faultOptions) {
				if tt.timeout > 0 {
					o.timeout = tt.timeout
				}
			})
			b := fe.browser()
			b.signInTeacher()
			tt.inject(fe)
			paths := coursePaths
			if tt.home {
				paths = append(paths, "/")
			}
			for _, path := range paths {
				p := b.get(path)
				if p.status != tt.status {
					t.Errorf("GET %s: status %d; want %d: %q", path, p.status, tt.status, text(p.doc))
					continue
				}
				got := errorSentence(t, p)
				for _, want := range tt.want {
					if !strings.Contains(got, want) {
						t.Errorf("GET %s: sentence %q; want it to say %q", path, got, want)
					}
				}
				if ra := p.header.Get("Retry-After"); (tt.status == 503) != (ra != "") {
					t.Errorf("GET %s: Retry-After %q with status %d", path, ra, p.status)
				}
				var items []string
				for _, li := range findAll(p.doc, func(n *html.Node) bool { return n.Data == "li" && attr(n.Parent, "data-testid") == "error-items" }) {
					items = append(items, text(li))
				}
				if strings.Join(items, " ") != strings.Join(tt.items, " ") {
					t.Errorf("GET %s: the page lists %q for the administrator; want %q", path, items, tt.items)
				}
				fe.checkNoSecrets(t, p)
			}
			// Nothing of the failure was kept: with Moodle healthy, the pages load.
			fe.faults.Clear()
			fe.refuse.Store(false)
			for _, path := range paths {
				if p := b.get(path); p.status != http.StatusOK {
					t.Errorf("GET %s after Moodle recovered: status %d; want 200: %q", path, p.status, text(p.doc))
				}
			}
		})
	}
}

// TestTokenRevokedMidLoad: Moodle stops accepting the token while a course is loading (an
// administrator revoked it, or it expired). The teacher is sent to sign in again with the
// reason and the page to come back to, the session is over, and nothing cached for the token
// is left, not even what loaded before the revocation.
func TestTokenRevokedMidLoad(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		from int // the first request answered invalidtoken, counted after sign-in
		htmx bool
	}{
		{"first call", 1, false},
		{"third call, calls in flight", 3, false},
		{"a completion batch", 6, false},
		{"htmx request", 3, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fe := newFaultEnv(t)
			b := fe.browser()
			b.signInTeacher()
			if p := b.get("/"); p.status != http.StatusOK { // caches the course list
				t.Fatalf("home: %d", p.status)
			}
			if fe.cache.Len() == 0 {
				t.Fatal("nothing cached before the revocation")
			}
			fe.faults.Inject(wsfault.Exception("invalidtoken", "Invalid token - token not found").From(tt.from))
			var p page
			if tt.htmx {
				p = b.get("/course/2?group=1", "HX-Request", "true")
				if p.status != http.StatusUnauthorized || !strings.HasPrefix(p.header.Get("HX-Redirect"), "/signin?") {
					t.Fatalf("htmx: status %d HX-Redirect %q; want 401 with HX-Redirect to /signin", p.status, p.header.Get("HX-Redirect"))
				}
				p.header.Set("Location", p.header.Get("HX-Redirect"))
			} else if p = b.get("/course/2?group=1"); p.status != http.StatusSeeOther {
				t.Fatalf("status %d; want 303 to sign in: %q", p.status, text(p.doc))
			}
			loc, _ := url.Parse(p.header.Get("Location"))
			if loc.Path != "/signin" || loc.Query().Get("next") != "/course/2?group=1" || loc.Query().Get("reason") != "expired" {
				t.Errorf("sent to %q; want /signin with next=/course/2?group=1 and reason=expired", p.header.Get("Location"))
			}
			fe.checkNoSecrets(t, p)
			// Loads that were in flight for the token may still finish; none may leave data.
			waitFor(t, "the token's cache entries to go", func() bool { return fe.cache.Len() == 0 })
			fe.faults.Clear()
			if p := b.get(loc.RequestURI()); !strings.Contains(text(p.doc), "no longer accepts your sign-in") {
				t.Errorf("the sign-in page does not say why: %q", text(p.doc))
			}
			if p := b.get("/course/2"); p.status != http.StatusSeeOther {
				t.Errorf("after the revocation /course/2: status %d; want 303 to sign in (session ended)", p.status)
			}
		})
	}
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBreakerPausesAFailingMoodle: when Moodle keeps failing, the dashboard stops sending it
// requests for a cool-down and says so with a 503 and Retry-After, without asking Moodle; a
// teacher pressing reload does not reach Moodle. When Moodle is back, the first page after
// the cool-down loads.
func TestBreakerPausesAFailingMoodle(t *testing.T) {
	t.Parallel()
	clock := &handClock{t: seeded}

	fe := newFaultEnv(t, func(o *faultOptions) {
		o.breaker = moodle.BreakerOptions{Threshold: 3, Cooldown: 20 * time.Second, Clock: clock.Now}
	})
	b := fe.browser()
	b.signInTeacher()
	fe.faults.Inject(wsfault.Status(502))
	// The first pages fail on their own errors until the breaker opens.
	var p page
	for i := 0; i < 5 && p.status != http.StatusServiceUnavailable; i++ {
		p = b.get("/course/2")
	}
	if p.status != http.StatusServiceUnavailable {
		t.Fatalf("after 5 failing pages: status %d; want 503 from the breaker", p.status)
	}
	// Calls the failing pages' loads had already begun must land before counting: the loads
	// must have ended too, as a call the breaker let through before it opened may not have
	// reached the transport yet.
	waitFor(t, "Moodle to have answered every call begun", func() bool {
		return fe.loader.CoursesInFlight() == 0 && fe.sending.Load() == 0 && fe.faults.Stats().InFlight == 0
	})
	sent := fe.faults.Stats().Requests
	for _, path := range append(coursePaths, "/") {
		p := b.get(path)
		if p.status != http.StatusServiceUnavailable || p.header.Get("Retry-After") == "" {
			t.Errorf("GET %s: status %d, Retry-After %q; want 503 with Retry-After", path, p.status, p.header.Get("Retry-After"))
			continue
		}
		if n, err := strconv.Atoi(p.header.Get("Retry-After")); err != nil || n < 1 || n > 20 {
			t.Errorf("GET %s: Retry-After %q; want the rest of the 20 s cool-down", path, p.header.Get("Retry-After"))
		}
		got := errorSentence(t, p)
		for _, want := range []string{"failed several times in a row", "giving it a short break", "Try again in"} {
			if !strings.Contains(got, want) {
				t.Errorf("GET %s: sentence %q; want it to say %q", path, got, want)
			}
		}
	}
	if n := fe.faults.Stats().Requests - sent; n != 0 {
		t.Errorf("Moodle got %d requests while the breaker was open; want 0", n)
	}
	// Moodle is back; after the cool-down the next page probes it and loads.
	fe.faults.Clear()
	clock.Add(20 * time.Second)
	if p := b.get("/course/2"); p.status != http.StatusOK {
		t.Fatalf("after the cool-down with Moodle back: status %d: %q", p.status, text(p.doc))
	}
}

// TestSignInWhileMoodleFails: the sign-in form says what is wrong with Moodle, with the status
// that fits, and keeps the username.
func TestSignInWhileMoodleFails(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		fault  wsfault.Fault
		status int
		want   string
	}{
		{"timeout", wsfault.Delay(time.Minute), 504, "did not answer in time"},
		{"connection dropped", wsfault.Drop(), 502, "cannot reach Moodle"},
		{"HTTP 500", wsfault.Status(500), 502, "unexpected"},
		{"HTTP 403, web services off", wsfault.Status(403), 503, "web services or the REST protocol are switched off"},
		{"HTML page", wsfault.HTML(), 502, "maintenance"},
		{"service unavailable", wsfault.Exception("servicenotavailable", "Web service is not available").OnFunction("login"), 403, "switched off or not allowed"},
		{"cannot create token", wsfault.Exception("cannotcreatetoken", "No").OnFunction("login"), 403, "does not let your account create a key"},
		{"web services disabled", wsfault.Exception("enablewsdescription", "Web services must be enabled").OnFunction("login"), 503, "Web services are switched off"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fe := newFaultEnv(t, func(o *faultOptions) { o.timeout = 300 * time.Millisecond })
			fe.faults.Inject(tt.fault)
			p := fe.browser().post("/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}})
			if p.status != tt.status {
				t.Fatalf("status %d; want %d: %q", p.status, tt.status, text(p.doc))
			}
			if got := text(one(t, p.doc, "signin-error")); !strings.Contains(got, tt.want) {
				t.Errorf("sentence %q; want it to say %q", got, tt.want)
			}
			fe.checkNoSecrets(t, p)
		})
	}
}
