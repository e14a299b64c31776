package moodle_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/moodletest"
)

// evilBody is what a broken site or proxy might send back: the request's own secrets.
const evilBody = `<html><body>Fatal error. Request: wstoken=` + secretToken + `&password=` + loginPassword + `</body></html>`

// callPath is one way of reaching Moodle; every failure class is tried on each, because each
// has its own error handling (and its own secret: the token, or the login password).
type callPath struct {
	name string
	do   func(ctx context.Context, c *moodle.Client) error
}

var callPaths = []callPath{
	{"rest", func(ctx context.Context, c *moodle.Client) error {
		_, err := c.EnrolledUsers(ctx, secretToken, 2, moodle.EnrolledUsersOptions{})
		return err
	}},
	{"login", func(ctx context.Context, c *moodle.Client) error {
		_, err := c.Login(ctx, "kts.teacher", loginPassword, "moodle_mobile_app")
		return err
	}},
	{"batch", func(ctx context.Context, c *moodle.Client) error {
		_, err := c.Batch(ctx, secretToken, []moodle.BatchRequest{
			{Function: completionFn, Args: completionArgs(2, 5)},
			{Function: completionFn, Args: completionArgs(2, 14)},
		})
		return err
	}},
}

// wantStatus checks the HTTP status carried by err and whether it is worth a retry.
func wantStatus(code int, transient bool) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var se *moodle.StatusError
		if !errors.As(err, &se) || se.StatusCode != code {
			t.Errorf("err = %#v, want a *moodle.StatusError with status %d", err, code)
		}
		if moodle.IsTransient(err) != transient {
			t.Errorf("IsTransient(%v) = %v, want %v", err, !transient, transient)
		}
	}
}

func wantTransient(transient bool) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if moodle.IsTransient(err) != transient {
			t.Errorf("IsTransient(%v) = %v, want %v", err, !transient, transient)
		}
	}
}

func cancelAfter(d time.Duration) func(t *testing.T) context.Context {
	return func(t *testing.T) context.Context {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(d, cancel)
		return ctx
	}
}

func deadlineAfter(d time.Duration) func(t *testing.T) context.Context {
	return func(t *testing.T) context.Context {
		ctx, cancel := context.WithTimeout(t.Context(), d)
		t.Cleanup(cancel)
		return ctx
	}
}

// TestFailureClasses drives the real client into each way a Moodle can fail and checks the
// sentinel it gets, that no secret shows in the error, and that the token never went into a
// URL.
func TestFailureClasses(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	const short = 150 * time.Millisecond
	tests := []struct {
		name  string
		setup func(srv *moodletest.Server)
		opts  moodle.Options
		ctx   func(t *testing.T) context.Context
		want  error
		check func(t *testing.T, err error)
	}{
		{name: "connection refused", setup: func(s *moodletest.Server) { s.Refuse() }, want: moodle.ErrUnreachable, check: wantTransient(true)},
		{name: "connection dropped", setup: func(s *moodletest.Server) { s.Inject(moodletest.Drop()) }, want: moodle.ErrUnreachable, check: wantTransient(true)},
		{name: "slow reply, client timeout", setup: func(s *moodletest.Server) { s.Inject(moodletest.Delay(10 * time.Second)) },
			opts: moodle.Options{Timeout: short}, want: moodle.ErrTimeout, check: wantTransient(false)},
		{name: "site latency, client timeout", setup: func(s *moodletest.Server) { s.SetLatency(10*time.Second, 0) },
			opts: moodle.Options{Timeout: short}, want: moodle.ErrTimeout},
		{name: "stalled body, client timeout", setup: func(s *moodletest.Server) { s.Inject(moodletest.Stall()) },
			opts: moodle.Options{Timeout: short}, want: moodle.ErrTimeout},
		{name: "stalled body, context deadline", setup: func(s *moodletest.Server) { s.Inject(moodletest.Stall()) },
			ctx: deadlineAfter(short), want: moodle.ErrTimeout},
		{name: "HTTP 500", setup: func(s *moodletest.Server) { s.Inject(moodletest.Status(500).WithBody([]byte(evilBody))) },
			want: moodle.ErrHTTPStatus, check: wantStatus(500, true)},
		{name: "HTTP 503", setup: func(s *moodletest.Server) { s.Inject(moodletest.Status(503)) },
			want: moodle.ErrHTTPStatus, check: wantStatus(503, true)},
		{name: "HTTP 403 with an empty body", setup: func(s *moodletest.Server) { s.Inject(moodletest.Status(403)) },
			want: moodle.ErrHTTPStatus, check: wantStatus(403, false)},
		{name: "HTML page", setup: func(s *moodletest.Server) { s.Inject(moodletest.HTML()) }, want: moodle.ErrNotJSON},
		{name: "HTML page echoing the request", setup: func(s *moodletest.Server) { s.Inject(moodletest.HTML().WithBody([]byte(evilBody))) },
			want: moodle.ErrNotJSON},
		{name: "truncated JSON", setup: func(s *moodletest.Server) { s.Inject(moodletest.Truncated()) }, want: moodle.ErrTruncated},
		{name: "truncated JSON echoing the request", want: moodle.ErrTruncated, setup: func(s *moodletest.Server) {
			s.Inject(moodletest.Truncated().WithBody([]byte(`{"debuginfo": "wstoken=` + secretToken + ` password=` + loginPassword)))
		}},
		{name: "body over MaxBodyBytes", setup: func(s *moodletest.Server) { s.Inject(moodletest.LargeBody(64 << 10)) },
			opts: moodle.Options{MaxBodyBytes: 1 << 10}, want: moodle.ErrBodyTooLarge},
		{name: "cancelled while waiting", setup: func(s *moodletest.Server) { s.Inject(moodletest.Delay(10 * time.Second)) },
			ctx: cancelAfter(50 * time.Millisecond), want: context.Canceled},
		{name: "cancelled while reading the body", setup: func(s *moodletest.Server) { s.Inject(moodletest.Stall()) },
			ctx: cancelAfter(50 * time.Millisecond), want: context.Canceled},
		{name: "redirect", setup: func(s *moodletest.Server) { s.Inject(moodletest.Redirect(http.StatusFound, "/login/index.php")) },
			want: moodle.ErrHTTPStatus, check: wantStatus(http.StatusFound, false)},
	}
	for _, tt := range tests {
		for _, path := range callPaths {
			t.Run(tt.name+"/"+path.name, func(t *testing.T) {
				t.Parallel()
				srv := moodletest.New(t, fx)
				srv.AddToken(secretToken, moodletest.KindTeacher)
				srv.AddAccount(moodletest.Account{Username: "kts.teacher", Password: loginPassword})
				tt.setup(srv)
				ctx := t.Context()
				if tt.ctx != nil {
					ctx = tt.ctx(t)
				}
				start := time.Now()
				err := path.do(ctx, newClient(t, srv.URL, tt.opts))
				if !errors.Is(err, tt.want) {
					t.Fatalf("err = %v (%T), want %v", err, err, tt.want)
				}
				if d := time.Since(start); d > 5*time.Second {
					t.Errorf("took %v: the failure was not cut short", d)
				}
				if tt.check != nil {
					tt.check(t, err)
				}
				checkNoLeak(t, err, loginPassword)
				checkURLs(t, srv)
			})
		}
	}
}

// checkURLs fails when a request the fake received carried a secret in its URL.
func checkURLs(t *testing.T, srv *moodletest.Server) {
	t.Helper()
	for _, r := range srv.Requests() {
		if r.RawQuery != "" || strings.Contains(r.Path, secretToken) || strings.Contains(r.Path, loginPassword) {
			t.Errorf("request URL %s?%s: secrets and parameters belong in the body", r.Path, r.RawQuery)
		}
	}
}

// TestRedirectDoesNotCarryTheToken: a site that answers 307/308 must not get the client to
// re-post the form (and so the token or the password) to another host.
func TestRedirectDoesNotCarryTheToken(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	for _, code := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, path := range callPaths {
			t.Run(http.StatusText(code)+"/"+path.name, func(t *testing.T) {
				t.Parallel()
				elsewhere := moodletest.New(t, nil)
				srv := moodletest.New(t, fx)
				srv.AddToken(secretToken, moodletest.KindTeacher)
				srv.Inject(moodletest.Redirect(code, elsewhere.URL+moodletest.RESTPath))
				err := path.do(t.Context(), newClient(t, srv.URL, moodle.Options{}))
				if got := elsewhere.TotalCalls(); got != 0 {
					t.Errorf("the client followed the redirect: the other host got %d requests (%+v)", got, elsewhere.Requests())
				}
				if !errors.Is(err, moodle.ErrHTTPStatus) {
					t.Errorf("err = %v, want ErrHTTPStatus", err)
				}
				checkNoLeak(t, err, loginPassword)
			})
		}
	}
}

// TestMoodleErrorsAreScrubbed: Moodle's own error text, and values that fail to decode, can
// quote what was sent; none of it may reach an error string.
func TestMoodleErrorsAreScrubbed(t *testing.T) {
	t.Parallel()
	roster := map[string]string{"courseid": "2"}
	login := map[string]string{"username": "kts.teacher", "password": loginPassword, "service": "moodle_mobile_app"}
	tests := []struct {
		name   string
		fn     string
		params map[string]string
		body   string
		path   int // index into callPaths
		want   error
	}{
		{"exception quoting the token", "core_enrol_get_enrolled_users", roster,
			string(moodletest.Exception("invalidparameter", "Invalid parameter value detected (wstoken="+secretToken+")")), 0, moodle.ErrInvalidParameter},
		{"value that fails to decode", "core_enrol_get_enrolled_users", roster,
			`[{"id": 5, "lastaccess": "` + secretToken + `"}]`, 0, moodle.ErrNotJSON},
		{"login error quoting the password", moodletest.LoginFunction, login,
			string(moodletest.LoginError("invalidlogin", "Invalid login for password "+loginPassword)), 1, moodle.ErrInvalidLogin},
		{"batch inner exception quoting the token", moodletest.BatchFunction, nil,
			`{"responses": [{"error": true, "exception": "{\"errorcode\":\"invalidrecord\",\"message\":\"no course for ` + secretToken + `\"}"}]}`, 2, moodle.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := moodletest.New(t, nil)
			srv.AddToken(secretToken, moodletest.KindTeacher)
			if tt.params != nil {
				srv.Reply(tt.fn, tt.params, []byte(tt.body))
			} else {
				srv.Handle(tt.fn, func(moodletest.Call) []byte { return []byte(tt.body) })
			}
			c := newClient(t, srv.URL, moodle.Options{})
			var err error
			if tt.path == 2 {
				res, berr := c.Batch(t.Context(), secretToken, []moodle.BatchRequest{{Function: completionFn, Args: completionArgs(2, 5)}})
				if berr != nil || len(res) != 1 {
					t.Fatalf("Batch() = %v, %v", res, berr)
				}
				err = res[0].Err
			} else {
				err = callPaths[tt.path].do(t.Context(), c)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			checkNoLeak(t, err, loginPassword)
		})
	}
}

// TestScrubKeepsMoodlesCode: scrubbing a short secret out of an error must not break the
// code the dashboard matches on: a password "g" once turned invalidlogin into
// invalidlo[token]in, and a refused sign-in into a 502.
func TestScrubKeepsMoodlesCode(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"error":"Invalid login, please try again","errorcode":"invalidlogin"}`)
	}))
	defer srv.Close()
	c, err := moodle.New(srv.URL, moodle.Options{HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	for _, password := range []string{"g", "in", "invalidlogin", "a"} {
		_, err := c.Login(t.Context(), "someone", password, "moodle_mobile_app")
		if !errors.Is(err, moodle.ErrInvalidLogin) {
			t.Errorf("password %q: err %v, want ErrInvalidLogin", password, err)
		}
	}
}
