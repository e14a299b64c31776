package lti_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/lti"
	"github.com/knowthystudents/kts/internal/lti/ltitest"
)

type fixture struct {
	p     *ltitest.Platform
	srv   *httptest.Server
	mux   *http.ServeMux
	tool  *lti.Tool
	store *lti.Memory
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{p: ltitest.New(), store: lti.NewMemory(), now: time.Unix(1795376688, 0)}
	f.mux = http.NewServeMux()
	f.mux.Handle("/", f.p.Handler())
	f.srv = httptest.NewServer(f.mux)
	t.Cleanup(f.srv.Close)
	f.p.Base = f.srv.URL
	tool, err := lti.New(lti.Options{Site: f.srv.URL, ToolURL: "https://kts.example", Store: f.store, Now: func() time.Time { return f.now }})
	if err != nil {
		t.Fatal(err)
	}
	f.tool = tool
	return f
}

func (f *fixture) register(t *testing.T) lti.Platform {
	t.Helper()
	p, err := f.tool.Register(t.Context(), f.srv.URL+ltitest.ConfigPath, f.p.RegToken)
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return p
}

func TestRegisterKeepsTheClientAndDeployment(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	p := f.register(t)
	if p.ClientID != f.p.ClientID || !p.HasDeployment(f.p.DeploymentID) || p.AuthURL != f.srv.URL+ltitest.AuthPath || p.JWKSURL != f.srv.URL+ltitest.CertsPath {
		t.Fatalf("platform = %+v", p)
	}
	ps, _ := f.store.Platforms(t.Context(), f.srv.URL)
	if len(ps) != 1 || ps[0].ClientID != f.p.ClientID {
		t.Fatalf("stored %+v", ps)
	}
	reg := f.p.Registrations[0]
	if reg["initiate_login_uri"] != "https://kts.example/lti/login" || reg["jwks_uri"] != "https://kts.example/lti/jwks" ||
		reg["token_endpoint_auth_method"] != "private_key_jwt" {
		t.Errorf("registration sent: %v", reg)
	}
	tc := reg["https://purl.imsglobal.org/spec/lti-tool-configuration"].(map[string]any)
	if tc["domain"] != "kts.example" || tc["target_link_uri"] != "https://kts.example/lti/launch" {
		t.Errorf("tool configuration sent: %v", tc)
	}
	msgs, _ := json.Marshal(tc["messages"])
	if !strings.Contains(string(msgs), `"LtiResourceLinkRequest"`) {
		t.Errorf("messages: %s", msgs)
	}
}

func TestRegisterRefusesAnotherSite(t *testing.T) {
	t.Parallel()
	other := httptest.NewServer(ltitest.New().Handler())
	defer other.Close()
	for name, tc := range map[string]struct {
		config   string
		override map[string]any
		want     string
	}{
		"config elsewhere":       {config: other.URL + ltitest.ConfigPath, want: "not the Moodle"},
		"issuer elsewhere":       {override: map[string]any{"issuer": other.URL}, want: "names the issuer"},
		"keys elsewhere":         {override: map[string]any{"jwks_uri": other.URL + ltitest.CertsPath}, want: "key set"},
		"auth elsewhere":         {override: map[string]any{"authorization_endpoint": "https://evil.example/auth"}, want: "authorization endpoint"},
		"registration elsewhere": {override: map[string]any{"registration_endpoint": other.URL + ltitest.RegisterPath}, want: "registration endpoint"},
		"no configuration":       {config: "-", want: "Start the registration from Moodle"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.p.ConfigOverride = tc.override
			cfg := f.srv.URL + ltitest.ConfigPath
			if tc.config == "-" {
				cfg = ""
			} else if tc.config != "" {
				cfg = tc.config
			}
			_, err := f.tool.Register(t.Context(), cfg, f.p.RegToken)
			var re *lti.RegisterError
			if !errors.As(err, &re) || !strings.Contains(re.Msg, tc.want) {
				t.Fatalf("err = %v, want a RegisterError with %q", err, tc.want)
			}
			if ps, _ := f.store.Platforms(t.Context(), f.srv.URL); len(ps) != 0 {
				t.Errorf("a platform was kept: %+v", ps)
			}
			if len(f.p.Registrations) != 0 {
				t.Errorf("the registration was posted")
			}
		})
	}
}

func TestRegisterWithAUsedToken(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, err := f.tool.Register(t.Context(), f.srv.URL+ltitest.ConfigPath, "stale")
	if err == nil || !strings.Contains(err.Error(), "Moodle refused the registration (HTTP 401: token_already_used)") {
		t.Fatalf("err = %v", err)
	}
}

// login starts a launch and returns the state and nonce the tool sent to the platform.
func (f *fixture) login(t *testing.T) (state, nonce string) {
	t.Helper()
	redirect, l, err := f.tool.Login(t.Context(), lti.LoginRequest{Issuer: f.srv.URL, LoginHint: "3",
		TargetLinkURI: "https://kts.example/lti/launch", MessageHint: `{"cmid":12,"launchid":"ltilaunch1_2"}`,
		ClientID: f.p.ClientID, DeploymentID: f.p.DeploymentID})
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	u, _ := url.Parse(redirect)
	q := u.Query()
	if u.Path != ltitest.AuthPath || q.Get("scope") != "openid" || q.Get("response_type") != "id_token" ||
		q.Get("response_mode") != "form_post" || q.Get("prompt") != "none" || q.Get("login_hint") != "3" ||
		q.Get("redirect_uri") != "https://kts.example/lti/launch" || q.Get("client_id") != f.p.ClientID ||
		q.Get("state") != l.State || q.Get("nonce") != l.Nonce || l.CMID != 12 {
		t.Fatalf("redirect %s, login %+v", redirect, l)
	}
	return l.State, l.Nonce
}

func TestLaunch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.register(t)
	state, nonce := f.login(t)
	tok := f.p.Sign(f.p.Launch(nonce, "3", 2, f.now, ltitest.Instructor))
	l, err := f.tool.VerifyLaunch(t.Context(), state, state, tok)
	if err != nil {
		t.Fatal(err)
	}
	if l.UserID != 3 || l.CourseID != 2 || l.Role != lti.RoleTeacher || l.Username != "teacher1" || !l.Framed() || l.CMID != 12 {
		t.Fatalf("launch = %+v", l)
	}
}

func TestForgedLaunches(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		edit   func(f *fixture, c ltitest.Claims)
		forge  bool
		cookie string // "" the right state; "-" none
		replay bool
		want   string
	}{
		"bad signature": {forge: true, want: "signature"},
		"wrong aud":     {edit: func(f *fixture, c ltitest.Claims) { c["aud"] = "someone-else" }, want: "another tool"},
		"wrong azp":     {edit: func(f *fixture, c ltitest.Claims) { c["azp"] = "someone-else" }, want: "another tool"},
		"wrong iss":     {edit: func(f *fixture, c ltitest.Claims) { c["iss"] = "https://evil.example" }, want: "not the Moodle"},
		"expired": {edit: func(f *fixture, c ltitest.Claims) {
			c["exp"] = f.now.Add(-2 * time.Minute).Unix()
			c["iat"] = f.now.Add(-3 * time.Minute).Unix()
		}, want: "expired"},
		"issued in the future": {edit: func(f *fixture, c ltitest.Claims) {
			c["iat"] = f.now.Add(10 * time.Minute).Unix()
			c["exp"] = f.now.Add(11 * time.Minute).Unix()
		}, want: "future"},
		"other nonce": {edit: func(f *fixture, c ltitest.Claims) { c["nonce"] = "not-mine" }, want: "does not belong"},
		"unknown deployment": {edit: func(f *fixture, c ltitest.Claims) {
			c["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = "99"
		}, want: "deployment"},
		"deep linking": {edit: func(f *fixture, c ltitest.Claims) {
			c["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiDeepLinkingRequest"
		}, want: "another kind"},
		"version 1.1":        {edit: func(f *fixture, c ltitest.Claims) { c["https://purl.imsglobal.org/spec/lti/claim/version"] = "1.1" }, want: "version"},
		"wrong state cookie": {cookie: "someone-elses-state", want: "did not start in this browser"},
		"no state cookie":    {cookie: "-", want: "did not start in this browser"},
		"replayed":           {replay: true, want: "did not start in this browser"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.register(t)
			state, nonce := f.login(t)
			c := f.p.Launch(nonce, "3", 2, f.now, ltitest.Instructor)
			if tc.edit != nil {
				tc.edit(f, c)
			}
			tok := f.p.Sign(c)
			if tc.forge {
				tok = f.p.Forge(c)
			}
			cookie := state
			switch tc.cookie {
			case "-":
				cookie = ""
			case "":
			default:
				cookie = tc.cookie
			}
			if tc.replay {
				if _, err := f.tool.VerifyLaunch(t.Context(), state, state, tok); err != nil {
					t.Fatalf("first launch: %v", err)
				}
			}
			_, err := f.tool.VerifyLaunch(t.Context(), state, cookie, tok)
			var le *lti.LaunchError
			if !errors.As(err, &le) || !strings.Contains(le.Msg, tc.want) {
				t.Fatalf("err = %v, want a LaunchError with %q", err, tc.want)
			}
		})
	}
}

// A replayed nonce is refused even when it comes with a fresh login's state.
func TestNonceUsedOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.register(t)
	state, nonce := f.login(t)
	tok := f.p.Sign(f.p.Launch(nonce, "3", 2, f.now, ltitest.Instructor))
	if _, err := f.tool.VerifyLaunch(t.Context(), state, state, tok); err != nil {
		t.Fatal(err)
	}
	// A second login whose stored nonce is the used one (as if the store handed it out again).
	f.store.PutLogin(t.Context(), lti.Login{State: "s2", Nonce: nonce, Issuer: f.srv.URL, ClientID: f.p.ClientID, Expires: f.now.Add(time.Minute)}, f.now)
	_, err := f.tool.VerifyLaunch(t.Context(), "s2", "s2", tok)
	if err == nil || !strings.Contains(err.Error(), "already used") {
		t.Fatalf("err = %v", err)
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		roles []string
		want  lti.Role
	}{
		{[]string{ltitest.Instructor}, lti.RoleTeacher},
		{[]string{ltitest.Instructor, ltitest.Admin}, lti.RoleTeacher},
		{[]string{"http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"}, lti.RoleTeacher},
		{[]string{"TeachingAssistant"}, lti.RoleTeacher},
		{[]string{ltitest.Learner}, lti.RoleLearner},
		{[]string{ltitest.Admin}, lti.RoleOther},
		{[]string{"http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor"}, lti.RoleOther},
		{nil, lti.RoleOther},
	} {
		if got := lti.RoleOf(tc.roles); got != tc.want {
			t.Errorf("RoleOf(%v) = %v, want %v", tc.roles, got, tc.want)
		}
	}
}

func TestJWKSIsPublicAndKept(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a, err := f.tool.JWKS(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(a), `"d"`) || !strings.Contains(string(a), `"RS256"`) || !strings.Contains(string(a), `"kid"`) {
		t.Fatalf("jwks = %s", a)
	}
	other, _ := lti.New(lti.Options{Site: f.srv.URL, ToolURL: "https://kts.example", Store: f.store})
	b, _ := other.JWKS(t.Context())
	if string(a) != string(b) {
		t.Errorf("a second tool on the same store published another key")
	}
}

func TestToolCallsOnlyTheSite(t *testing.T) {
	t.Parallel()
	var called atomic.Bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called.Store(true) }))
	defer elsewhere.Close()
	f := newFixture(t)
	f.mux.Handle("/mod/lti/redirect.php", http.RedirectHandler(elsewhere.URL+"/register", http.StatusTemporaryRedirect))
	// The configuration's registration endpoint redirects off the site.
	f.p.ConfigOverride = map[string]any{"registration_endpoint": f.srv.URL + "/mod/lti/redirect.php"}
	_, err := f.tool.Register(t.Context(), f.srv.URL+ltitest.ConfigPath, f.p.RegToken)
	if err == nil || called.Load() || !strings.Contains(err.Error(), "could not send its registration") {
		t.Fatalf("err = %v, called elsewhere = %v", err, called.Load())
	}
}

func TestSealer(t *testing.T) {
	t.Parallel()
	oldKey := "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=" // base64 of 32 bytes
	newKey := strings.Repeat("ab", 32)
	old, err := lti.ParseKeys(oldKey)
	if err != nil {
		t.Fatal(err)
	}
	sealed, _ := old.Seal("tok123", "site|3")
	if strings.Contains(string(sealed), "tok123") {
		t.Fatal("sealed value holds the plain text")
	}
	rotated, err := lti.ParseKeys(newKey + ", " + oldKey)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := rotated.Open(sealed, "site|3"); err != nil || got != "tok123" {
		t.Fatalf("rotated open = %q, %v", got, err)
	}
	if _, err := rotated.Open(sealed, "site|4"); !errors.Is(err, lti.ErrUnseal) {
		t.Errorf("opened for another owner: %v", err)
	}
	fresh, _ := rotated.Seal("tok456", "site|3")
	if _, err := old.Open(fresh, "site|3"); err == nil {
		t.Errorf("the new key did not encrypt")
	}
	if s, err := lti.ParseKeys(""); s != nil || err != nil {
		t.Errorf("empty list = %v, %v", s, err)
	}
	for _, bad := range []string{"short", "c2hvcnQ="} {
		if _, err := lti.ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		}
	}
}

func TestMemoryStore(t *testing.T) {
	t.Parallel()
	ltitest.TestStore(t, lti.NewMemory())
}
