package handlers_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/app"

	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/demo"
)

// gatedMoodle is a /login/token.php that counts the sign-ins reaching it and holds each one
// until the test opens the gate, so that parallel attempts really are in flight together.
type gatedMoodle struct {
	reached  atomic.Int64
	inflight atomic.Int64
	gate     chan struct{}
	once     sync.Once
}

func (g *gatedMoodle) open() { g.once.Do(func() { close(g.gate) }) }

func (g *gatedMoodle) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/login/token.php" {
		g.reached.Add(1)
	}
	g.inflight.Add(1)
	defer g.inflight.Add(-1)
	<-g.gate
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/login/token.php" && r.PostFormValue("password") == "right" {
		// The right password reaching Moodle after the guesses is what the throttle must
		// prevent; the test counts it.
		io.WriteString(w, `{"token":"0123456789abcdef0123456789abcdef","privatetoken":null}`)
		return
	}
	if r.URL.Path != "/login/token.php" {
		io.WriteString(w, `{"exception":"moodle_exception","errorcode":"invalidtoken","message":"Invalid token - token not found"}`)
		return
	}
	io.WriteString(w, `{"error":"Invalid login, please try again","errorcode":"invalidlogin","stacktrace":null,"debuginfo":null,"reproductionlink":null}`)
}

// throttledApp is the dashboard behind a trusted proxy on 127.0.0.1, in front of g.
func throttledApp(t *testing.T, g http.Handler, th *auth.Throttle) *httptest.Server {
	t.Helper()
	m := httptest.NewServer(g)
	t.Cleanup(m.Close)
	cfg := testConfig(m.URL)
	cfg.SessionIdle, cfg.SessionLifetime = time.Hour, time.Hour
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	srv := httptest.NewServer(newApp(t, cfg, app.Deps{Throttle: th}).Handler)
	t.Cleanup(srv.Close)
	return srv
}

func postSignIn(app *httptest.Server, forwardedFor string, form url.Values) (int, error) {
	return postSignInBody(app, forwardedFor, form.Encode())
}

func postSignInBody(app *httptest.Server, forwardedFor, body string) (int, error) {
	req, _ := http.NewRequest(http.MethodPost, app.URL+"/signin", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", forwardedFor)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestThrottleHoldsAgainstSpellingsParallelismAndIPv6 is the attack of issue 18: many
// spellings Moodle folds into one account, sent all at once, each from another address of one
// IPv6 /64. No more than the allowed attempts may reach Moodle's password check.
func TestThrottleHoldsAgainstSpellingsParallelismAndIPv6(t *testing.T) {
	t.Parallel()
	const allowed = 5
	g := &gatedMoodle{gate: make(chan struct{})}
	t.Cleanup(g.open)
	app := throttledApp(t, g, auth.NewThrottle(allowed, 30*time.Second))

	spellings := []string{"kts.tutor", "kts.tutor!", "Kts.Tutor?", "kts.tuto r", "kts.tutor#", "KTS.TUTOR",
		" kts.tutor ", "kts.tutor!!", "kts\u00a0.tutor", "\u212Ats.tutor", "kts.tut<o>r", "kts.tutor\x00"}
	const n = 40
	results := make(chan int, n)
	for i := range n {
		go func() {
			form := url.Values{"username": {spellings[i%len(spellings)]}, "password": {fmt.Sprintf("guess%d", i)}}
			st, err := postSignIn(app, fmt.Sprintf("2001:db8:1:2::%x", i+1), form)
			if err != nil {
				t.Error(err)
			}
			results <- st
		}()
	}
	// Open the gate once every attempt has either been answered or is waiting at Moodle.
	statuses := map[int]int{}
	deadline := time.After(30 * time.Second)
	for got := 0; got < n; {
		select {
		case st := <-results:
			statuses[st]++
			got++
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			t.Fatalf("attempts did not finish: %v so far, %d at Moodle", statuses, g.inflight.Load())
		}
		if int64(got)+g.inflight.Load() >= n {
			g.open()
		}
	}
	if r := g.reached.Load(); r > allowed {
		t.Errorf("%d attempts reached Moodle's password check; want at most %d (statuses %v)", r, allowed, statuses)
	}
	if statuses[http.StatusTooManyRequests] < n-allowed {
		t.Errorf("statuses %v; want at least %d refused with 429", statuses, n-allowed)
	}
	// Afterwards, the right password under yet another spelling and address of the /64 is
	// refused without asking Moodle.
	before := g.reached.Load()
	st, err := postSignIn(app, "2001:db8:1:2:ffff::1", url.Values{"username": {"kts.tutor!!!"}, "password": {"right"}})
	if err != nil {
		t.Fatal(err)
	}
	if st != http.StatusTooManyRequests || g.reached.Load() != before {
		t.Errorf("right password after the burst: %d, reached Moodle %d times more; want 429 and none", st, g.reached.Load()-before)
	}
}

// TestSignInFromATrustedBrowserSurvivesSomeoneElsesGuesses: anyone can spend a named
// teacher's sign-in buckets with wrong passwords; the browser the teacher signed in with
// before still gets in (see docs/RELIABILITY.md, "Sign-in throttling").
func TestSignInFromATrustedBrowserSurvivesSomeoneElsesGuesses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	teacher := e.browser()
	teacher.signInTeacher()
	if p := teacher.post("/signout", nil); p.status != http.StatusSeeOther {
		t.Fatalf("sign out: %d", p.status)
	}
	attacker := e.browser()
	var last page
	for range 40 {
		last = attacker.post("/signin", url.Values{"username": {"KTS.Teacher!"}, "password": {"guess"}})
	}
	if last.status != http.StatusTooManyRequests {
		t.Fatalf("40th wrong password: %d; want 429", last.status)
	}
	if p := e.browser().post("/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}}); p.status != http.StatusTooManyRequests {
		t.Errorf("a new browser on the attacker's network: %d; want 429", p.status)
	}
	teacher.signInTeacher()
}
