package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/app"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/lti"
	"github.com/knowthystudents/kts/internal/lti/ltitest"
	"golang.org/x/net/html"
)

// ltiEnv is the dashboard as an LTI tool of a Moodle that is both the demo web services and
// a fake LTI platform, on one site as a real Moodle is.
type ltiEnv struct {
	*env
	platform *ltitest.Platform
	store    *lti.Memory
	tokens   *lti.Tokens
	teacher  demo.Account
	tutor    demo.Account
	student  demo.Account
}

const testKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

func newLTIEnv(t *testing.T, secretKey string, secure bool) *ltiEnv {
	t.Helper()
	e := &ltiEnv{env: &env{t: t, logs: &syncBuffer{}}, platform: ltitest.New(), store: lti.NewMemory()}
	e.site = demo.New(demo.Options{Now: seeded, Clock: func() time.Time { return seeded }, BigStudents: 600})
	mux := http.NewServeMux()
	mux.Handle("/mod/lti/", e.platform.Handler())
	mux.Handle("/", e.site.Handler())
	e.moodle = httptest.NewServer(mux)
	t.Cleanup(e.moodle.Close)
	e.platform.Base = e.moodle.URL
	accounts := e.site.Accounts()
	e.teacher, e.tutor, e.student = accounts[0], accounts[1], accounts[2]

	var h http.Handler
	e.app = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(e.app.Close)
	cfg := testConfig(e.moodle.URL)
	cfg.CacheTTL, cfg.PageSize = time.Minute, 0
	cfg.PublicURL, cfg.SecretKey, cfg.SecureCookie = e.app.URL, secretKey, secure
	a := newApp(t, cfg, app.Deps{Log: e.newLog(), Now: func() time.Time { return seeded }, LTIStore: e.store})
	e.cache, e.tokens, h = a.Cache, a.LTITokens, a.Handler
	return e
}

// register runs dynamic registration as Moodle does it: the admin's browser opens
// /lti/register with the configuration URL and a registration token.
func (e *ltiEnv) register(t *testing.T) page {
	t.Helper()
	q := url.Values{"openid_configuration": {e.moodle.URL + ltitest.ConfigPath}, "registration_token": {e.platform.RegToken}}
	return e.browser().get("/lti/register?" + q.Encode())
}

// fromMoodle sends a form the way Moodle's auto-submitted pages do: a cross-site POST.
func (b *browser) fromMoodle(path string, form url.Values, headers ...string) page {
	b.e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.e.app.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.moodle.URL)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

// login initiates a launch for user as Moodle does and returns the state and nonce the
// dashboard sent to Moodle's authorization endpoint.
func (e *ltiEnv) login(t *testing.T, b *browser, user int) (state, nonce string) {
	t.Helper()
	p := b.fromMoodle("/lti/login", url.Values{"iss": {e.moodle.URL}, "login_hint": {strconv.Itoa(user)},
		"target_link_uri": {e.app.URL + "/lti/launch"}, "lti_message_hint": {`{"cmid":12,"launchid":"ltilaunch1_5"}`},
		"client_id": {e.platform.ClientID}, "lti_deployment_id": {e.platform.DeploymentID}})
	if p.status != http.StatusFound {
		t.Fatalf("login: status %d: %s", p.status, text(p.doc))
	}
	u, err := url.Parse(p.header.Get("Location"))
	if err != nil || !strings.HasPrefix(u.String(), e.moodle.URL+ltitest.AuthPath+"?") {
		t.Fatalf("login redirects to %q", p.header.Get("Location"))
	}
	return u.Query().Get("state"), u.Query().Get("nonce")
}

func (e *ltiEnv) claims(nonce string, a demo.Account, roles ...string) ltitest.Claims {
	c := e.platform.Launch(nonce, strconv.Itoa(a.UserID), 2, seeded, roles...)
	c["https://purl.imsglobal.org/spec/lti/claim/ext"] = map[string]any{"user_username": a.Username}
	c["name"] = a.Fullname
	return c
}

// launch posts an id_token back as Moodle's authorization endpoint does.
func (b *browser) launch(state, idToken string, headers ...string) page {
	b.e.t.Helper()
	return b.fromMoodle("/lti/launch", url.Values{"state": {state}, "id_token": {idToken}}, headers...)
}

// signedOut asserts the browser has no session: the cohort sends it to sign in.
func (b *browser) signedOut(t *testing.T) {
	t.Helper()
	if p := b.get("/course/2"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.header.Get("Location"), "/signin") {
		t.Fatalf("GET /course/2: status %d, Location %q: something is signed in", p.status, p.header.Get("Location"))
	}
}

func wantRedirect(t *testing.T, p page, to string) {
	t.Helper()
	if p.status != http.StatusSeeOther || p.header.Get("Location") != to {
		t.Fatalf("status %d, Location %q; want 303 to %s; page: %s", p.status, p.header.Get("Location"), to, text(p.doc))
	}
}

// firstLaunch takes a teacher from the launch through the password page to the cohort.
func (e *ltiEnv) firstLaunch(t *testing.T, b *browser, a demo.Account) {
	t.Helper()
	state, nonce := e.login(t, b, a.UserID)
	wantRedirect(t, b.launch(state, e.platform.Sign(e.claims(nonce, a, ltitest.Instructor))), "/lti/token")
	form := b.get("/lti/token")
	if form.status != http.StatusOK {
		t.Fatalf("GET /lti/token: %d", form.status)
	}
	user := findAll(form.doc, func(n *html.Node) bool { return attr(n, "id") == "username" })
	if len(user) != 1 || attr(user[0], "value") != a.Username {
		t.Fatalf("the username is not filled in from the launch")
	}
	wantRedirect(t, b.post("/lti/token", url.Values{"username": {a.Username}, "password": {a.Password}}), "/course/2")
	if p := b.get("/course/2"); p.status != http.StatusOK {
		t.Fatalf("cohort after the launch: %d", p.status)
	}
}

func TestLTIRegistration(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	p := e.register(t)
	if p.status != http.StatusOK {
		t.Fatalf("status %d: %s", p.status, text(p.doc))
	}
	one(t, p.doc, "lti-registered")
	if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' 'sha256-") || !strings.Contains(csp, "frame-ancestors "+e.moodle.URL) {
		t.Errorf("CSP %q", csp)
	}
	if !strings.Contains(p.body, "org.imsglobal.lti.close") {
		t.Errorf("the page does not tell Moodle to close it")
	}
	ps, _ := e.store.Platforms(t.Context(), e.moodle.URL)
	if len(ps) != 1 || ps[0].ClientID != e.platform.ClientID || !ps[0].HasDeployment(e.platform.DeploymentID) {
		t.Fatalf("stored platforms %+v", ps)
	}
	// The tool's key set is what the registration points Moodle at.
	jwks := e.browser().get("/lti/jwks")
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if jwks.status != http.StatusOK || json.Unmarshal([]byte(jwks.body), &set) != nil || len(set.Keys) != 1 || set.Keys[0]["kty"] != "RSA" || set.Keys[0]["d"] != nil {
		t.Fatalf("jwks: %d %s", jwks.status, jwks.body)
	}
	if got := e.platform.Registrations[0]["jwks_uri"]; got != e.app.URL+"/lti/jwks" {
		t.Errorf("registered jwks_uri %v", got)
	}
}

func TestLTIRegistrationFromElsewhereIsRefused(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	other := httptest.NewServer(ltitest.New().Handler())
	defer other.Close()
	p := e.browser().get("/lti/register?" + url.Values{"openid_configuration": {other.URL + ltitest.ConfigPath}, "registration_token": {"x"}}.Encode())
	if p.status != http.StatusBadRequest || !strings.Contains(text(one(t, p.doc, "error-message")), "Only that site may register") {
		t.Fatalf("status %d: %s", p.status, text(p.doc))
	}
	if ps, _ := e.store.Platforms(t.Context(), e.moodle.URL); len(ps) != 0 {
		t.Fatalf("stored %+v", ps)
	}
}

func TestLTILaunchAsksOnceThenGoesStraightIn(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	e.register(t)
	first := e.browser()
	e.firstLaunch(t, first, e.teacher)
	if _, err := e.store.Token(t.Context(), e.moodle.URL, int64(e.teacher.UserID)); err != nil {
		t.Fatalf("the token is not kept: %v", err)
	}
	sealed, _ := e.store.Token(t.Context(), e.moodle.URL, int64(e.teacher.UserID))
	if strings.Contains(string(sealed), e.teacher.Token) {
		t.Fatal("the kept token is not encrypted")
	}

	// A later launch, in a new browser session, goes straight to the course.
	b := e.browser()
	state, nonce := e.login(t, b, e.teacher.UserID)
	wantRedirect(t, b.launch(state, e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor))), "/course/2")
	if p := b.get("/course/2"); p.status != http.StatusOK {
		t.Fatalf("cohort: %d", p.status)
	}

	// Signing out forgets the kept token: the next launch asks again.
	wantRedirect(t, b.post("/signout", nil), "/")
	if _, err := e.store.Token(t.Context(), e.moodle.URL, int64(e.teacher.UserID)); err != lti.ErrNotFound {
		t.Fatalf("token after sign-out: %v", err)
	}
	c := e.browser()
	state, nonce = e.login(t, c, e.teacher.UserID)
	wantRedirect(t, c.launch(state, e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor))), "/lti/token")
}

func TestLTIRevokedTokenAsksAgain(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	e.register(t)
	e.firstLaunch(t, e.browser(), e.teacher)
	e.site.RevokeToken(e.teacher.Token)
	b := e.browser()
	state, nonce := e.login(t, b, e.teacher.UserID)
	wantRedirect(t, b.launch(state, e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor))), "/lti/token")
	if _, err := e.store.Token(t.Context(), e.moodle.URL, int64(e.teacher.UserID)); err != lti.ErrNotFound {
		t.Fatalf("the revoked token is still kept: %v", err)
	}
	b.signedOut(t)
}

func TestLTIWithoutSecretKeyKeepsTheTokenForTheSession(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, "", false)
	e.register(t)
	b := e.browser()
	state, nonce := e.login(t, b, e.teacher.UserID)
	wantRedirect(t, b.launch(state, e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor))), "/lti/token")
	form := b.get("/lti/token")
	one(t, form.doc, "lti-token-session")
	wantRedirect(t, b.post("/lti/token", url.Values{"token": {e.teacher.Token}}), "/course/2")
	if _, err := e.store.Token(t.Context(), e.moodle.URL, int64(e.teacher.UserID)); err != lti.ErrNotFound {
		t.Fatalf("a token was kept without a key: %v", err)
	}
	// The same session launches again straight in; a new one is asked again.
	state, nonce = e.login(t, b, e.teacher.UserID)
	wantRedirect(t, b.launch(state, e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor))), "/course/2")
	c := e.browser()
	state, nonce = e.login(t, c, e.teacher.UserID)
	wantRedirect(t, c.launch(state, e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor))), "/lti/token")
}

func TestLTIForgedLaunchesSignNothingIn(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	e.register(t)
	const c = "https://purl.imsglobal.org/spec/lti/claim/"
	for name, tc := range map[string]struct {
		edit  func(ltitest.Claims)
		forge bool
		want  string
	}{
		"bad signature": {forge: true, want: "signature"},
		"wrong aud":     {edit: func(cl ltitest.Claims) { cl["aud"] = "another-tool" }, want: "another tool"},
		"expired": {edit: func(cl ltitest.Claims) {
			cl["iat"] = seeded.Add(-5 * time.Minute).Unix()
			cl["exp"] = seeded.Add(-4 * time.Minute).Unix()
		}, want: "expired"},
		"unknown deployment": {edit: func(cl ltitest.Claims) { cl[c+"deployment_id"] = "999" }, want: "deployment"},
		"wrong nonce":        {edit: func(cl ltitest.Claims) { cl["nonce"] = "replayed-from-another-launch" }, want: "does not belong"},
		"no course":          {edit: func(cl ltitest.Claims) { delete(cl, c+"context") }, want: "which course"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := e.browser()
			state, nonce := e.login(t, b, e.teacher.UserID)
			cl := e.claims(nonce, e.teacher, ltitest.Instructor)
			if tc.edit != nil {
				tc.edit(cl)
			}
			tok := e.platform.Sign(cl)
			if tc.forge {
				tok = e.platform.Forge(cl)
			}
			p := b.launch(state, tok)
			if p.status != http.StatusForbidden || !strings.Contains(text(one(t, p.doc, "error-message")), tc.want) {
				t.Fatalf("status %d: %s", p.status, text(p.doc))
			}
			b.signedOut(t)
			if b.get("/lti/token").status != http.StatusBadRequest {
				t.Errorf("a launch waits for a token")
			}
		})
	}
}

func TestLTIReplayedLaunchIsRefused(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	e.register(t)
	victim := e.browser()
	state, nonce := e.login(t, victim, e.teacher.UserID)
	tok := e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor))
	wantRedirect(t, victim.launch(state, tok), "/lti/token")

	// The same state and id_token again, from a browser holding the same state cookie.
	thief := e.browser()
	thief.c.Jar.SetCookies(mustURL(e.app.URL+"/lti/"), []*http.Cookie{{Name: "kts_lti_state", Value: state, Path: "/lti/"}})
	p := thief.launch(state, tok)
	if p.status != http.StatusForbidden {
		t.Fatalf("replay: status %d", p.status)
	}
	thief.signedOut(t)
	// A fresh login of the thief's own does not make the old id_token's nonce good.
	state2, _ := e.login(t, thief, e.teacher.UserID)
	if p := thief.launch(state2, tok); p.status != http.StatusForbidden || !strings.Contains(text(p.doc), "does not belong") {
		t.Fatalf("replayed nonce: status %d: %s", p.status, text(p.doc))
	}
	thief.signedOut(t)
}

func TestLTIWrongStateCookie(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	e.register(t)
	// The attacker starts a login in their browser and gets a launch for their account; the
	// victim's browser is made to post it, with its own login's cookie.
	attacker, victim := e.browser(), e.browser()
	aState, aNonce := e.login(t, attacker, e.teacher.UserID)
	e.login(t, victim, e.tutor.UserID)
	p := victim.launch(aState, e.platform.Sign(e.claims(aNonce, e.teacher, ltitest.Instructor)))
	if p.status != http.StatusForbidden || !strings.Contains(text(p.doc), "did not start in this browser") {
		t.Fatalf("status %d: %s", p.status, text(p.doc))
	}
	victim.signedOut(t)
}

func TestLTILearnerAndOtherRoles(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	e.register(t)
	for name, tc := range map[string]struct {
		roles []string
		want  string
	}{
		"learner":       {[]string{ltitest.Learner}, "This dashboard is for teachers"},
		"administrator": {[]string{ltitest.Admin}, "Only for teachers of this course"},
	} {
		t.Run(name, func(t *testing.T) {
			b := e.browser()
			state, nonce := e.login(t, b, e.student.UserID)
			p := b.launch(state, e.platform.Sign(e.claims(nonce, e.student, tc.roles...)))
			if p.status != http.StatusForbidden || !strings.Contains(text(p.doc), tc.want) {
				t.Fatalf("status %d: %s", p.status, text(p.doc))
			}
			b.signedOut(t)
		})
	}
}

func TestLTIAnotherUsersToken(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	e.register(t)

	// The password page refuses another Moodle user's credentials.
	b := e.browser()
	state, nonce := e.login(t, b, e.teacher.UserID)
	wantRedirect(t, b.launch(state, e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor))), "/lti/token")
	p := b.post("/lti/token", url.Values{"username": {e.tutor.Username}, "password": {e.tutor.Password}})
	if p.status != http.StatusForbidden || !strings.Contains(text(one(t, p.doc, "lti-token-error")), "not the credentials of the Moodle account") {
		t.Fatalf("status %d: %s", p.status, text(p.doc))
	}
	b.signedOut(t)

	// A kept token whose owner is not the launch's sub is refused and forgotten.
	if err := e.tokens.Keep(t.Context(), int64(e.teacher.UserID), e.tutor.Token); err != nil {
		t.Fatal(err)
	}
	c := e.browser()
	state, nonce = e.login(t, c, e.teacher.UserID)
	p = c.launch(state, e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor)))
	if p.status != http.StatusForbidden || !strings.Contains(text(p.doc), "belongs to another Moodle user") {
		t.Fatalf("status %d: %s", p.status, text(p.doc))
	}
	c.signedOut(t)
	if _, err := e.store.Token(t.Context(), e.moodle.URL, int64(e.teacher.UserID)); err != lti.ErrNotFound {
		t.Fatalf("the wrong token is still kept: %v", err)
	}
}

func TestLTIFramedWithoutCookie(t *testing.T) {
	t.Parallel()
	e := newLTIEnv(t, testKey, false)
	e.register(t)
	b := e.browser()
	state, nonce := e.login(t, b, e.teacher.UserID)
	tok := e.platform.Sign(e.claims(nonce, e.teacher, ltitest.Instructor))
	// The browser blocked the frame's cookie: the launch arrives without it.
	nocookie := e.browser()
	p := nocookie.launch(state, tok, "Sec-Fetch-Dest", "iframe")
	if p.status != http.StatusForbidden {
		t.Fatalf("status %d: %s", p.status, text(p.doc))
	}
	link := one(t, p.doc, "lti-open-window")
	if attr(link, "href") != e.moodle.URL+"/mod/lti/launch.php?id=12" || attr(link, "target") != "_blank" {
		t.Fatalf("link %q target %q", attr(link, "href"), attr(link, "target"))
	}
	nocookie.signedOut(t)
}

func TestLTIStateCookieForFrames(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		e := newLTIEnv(t, testKey, secure)
		e.register(t)
		p := e.browser().fromMoodle("/lti/login", url.Values{"iss": {e.moodle.URL}, "login_hint": {"3"},
			"target_link_uri": {e.app.URL + "/lti/launch"}, "client_id": {e.platform.ClientID}})
		sc := p.header.Get("Set-Cookie")
		framed := strings.Contains(sc, "SameSite=None") && strings.Contains(sc, "Secure") && strings.Contains(sc, "Partitioned")
		if p.status != http.StatusFound || framed != secure || !strings.Contains(sc, "HttpOnly") || (!secure && strings.Contains(sc, "SameSite")) {
			t.Errorf("secure=%v: status %d, Set-Cookie %q", secure, p.status, sc)
		}
	}
}

func TestLTIOffWithoutTool(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, path := range []string{"/lti/jwks", "/lti/register", "/lti/login"} {
		if p := e.browser().get(path); p.status != http.StatusNotFound {
			t.Errorf("GET %s: %d", path, p.status)
		}
	}
}
