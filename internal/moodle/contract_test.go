package moodle_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/moodle/moodletest"
)

// Secrets the tests send and then look for in every error and URL: recognisable, so that a
// leak cannot hide.
const (
	secretToken   = "tok-SECRET-7f3a9c"
	loginPassword = "pw-SECRET-4d1e2b"
)

// tokenFor returns the token a contract subtest uses for a recording's token_kind. Every one
// contains secretToken.
func tokenFor(kind string) string {
	switch kind {
	case moodletest.KindTeacher:
		return secretToken
	case moodletest.KindMobileTeacher:
		return secretToken + "-mobile-teacher"
	case moodletest.KindStudent:
		return secretToken + "-student"
	case moodletest.KindMobileStudent:
		return secretToken + "-mobile-student"
	case moodletest.KindTutor:
		return secretToken + "-tutor"
	}
	return secretToken + "-" + strings.ReplaceAll(kind, " ", "-")
}

// replay is what a contract case gets: the real client pointed at a fake Moodle that holds
// the recordings, and the token of the recording's kind.
type replay struct {
	ctx  context.Context
	c    *moodle.Client
	tok  string
	srv  *moodletest.Server
	fx   *moodletest.Fixtures
	seed *seedData

	// password is the password a login case sent, to look for in its error.
	password string
	// extra are form fields the client sends on top of the recorded ones; a case that sets
	// them says why.
	extra map[string]string
}

// login calls client.Login and remembers the password for the leak check.
func (r *replay) login(username, password, service string) (string, error) {
	r.password = password
	return r.c.Login(r.ctx, username, password, service)
}

// contractCase replays one recording through the typed client and checks the decoded values;
// it returns the client's error, if any, for the leak checks.
type contractCase func(t *testing.T, r *replay) error

// contractCases maps every manifest file to the case that replays it, grouped by area.
var contractCases = mergeCases(siteCases, rosterCases, assignCases, writeCases)

func mergeCases(groups ...map[string]contractCase) map[string]contractCase {
	all := map[string]contractCase{}
	for _, g := range groups {
		for f, c := range g {
			if _, dup := all[f]; dup {
				panic("two contract cases for " + f)
			}
			all[f] = c
		}
	}
	return all
}

// TestContract replays every recorded request through the real client: the client must send
// exactly the recorded form (all but wstoken, which must travel in the body) and decode the
// recorded reply into the values the seed put into Moodle.
func TestContract(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	seed := loadSeed(t, fx)
	for _, e := range fx.Entries() {
		t.Run(e.File, func(t *testing.T) {
			t.Parallel()
			run, ok := contractCases[e.File]
			if !ok {
				t.Fatalf("no contract case for %s: add one to contractCases", e.File)
			}
			srv := moodletest.New(t, fx)
			tok := tokenFor(e.TokenKind)
			if e.TokenKind != "invalid" && e.TokenKind != "none" {
				srv.AddToken(tok, e.TokenKind)
			}
			srv.AddAccount(moodletest.Account{Username: "kts.teacher", Password: loginPassword})
			srv.AddAccount(moodletest.Account{Username: "priya.patel", Password: loginPassword})
			r := &replay{ctx: t.Context(), c: newClient(t, srv.URL, moodle.Options{}), tok: tok, srv: srv, fx: fx, seed: seed}

			// Deferred, so that the form is compared also when the case stops early: a form
			// that differs from the recording makes the fake answer invalidparameter.
			defer checkSent(t, srv, e, r)
			err := run(t, r)
			checkNoLeak(t, err, tok, r.password)
			if m := srv.Misses(); len(m) > 0 {
				t.Errorf("the fake had no reply for %+v", m)
			}
		})
	}
}

// TestContractCasesMatchManifest fails when a case names a file the manifest does not list
// (TestContract itself fails for a file without a case).
func TestContractCasesMatchManifest(t *testing.T) {
	t.Parallel()
	fx := moodletest.Recorded(t)
	listed := map[string]bool{}
	for _, e := range fx.Entries() {
		listed[e.File] = true
	}
	var missing, extra []string
	for f := range listed {
		if _, ok := contractCases[f]; !ok {
			missing = append(missing, f)
		}
	}
	for f := range contractCases {
		if !listed[f] {
			extra = append(extra, f)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("manifest files without a contract case: %v\ncontract cases for files not in the manifest: %v", missing, extra)
	}
}

// checkSent checks the one request the case made: the recorded form exactly, the token in
// the body and nowhere in the URL.
func checkSent(t *testing.T, srv *moodletest.Server, e moodletest.Entry, r *replay) {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("the client made %d requests, want 1", len(reqs))
	}
	req := reqs[0]
	if req.Path != e.Endpoint || req.Method != "POST" {
		t.Errorf("request %s %s, want POST %s", req.Method, req.Path, e.Endpoint)
	}
	if req.RawQuery != "" || strings.Contains(req.Path, secretToken) {
		t.Errorf("request URL %s?%s: want no query (the token travels in the body)", req.Path, req.RawQuery)
	}
	want := map[string]string{}
	for k, v := range e.Params {
		if k != "wstoken" {
			want[k] = v
		}
	}
	for k, v := range r.extra {
		want[k] = v
	}
	got := map[string]string{}
	for k, v := range req.Body {
		if len(v) != 1 {
			t.Errorf("form field %s sent %d times", k, len(v))
		}
		if k != "wstoken" && len(v) > 0 {
			got[k] = v[0]
		}
	}
	if _, ok := e.Params["wstoken"]; ok && req.Body.Get("wstoken") != r.tok {
		t.Errorf("wstoken in the body = %q, want the caller's token", req.Body.Get("wstoken"))
	}
	if want["password"] == "REDACTED" && got["password"] == loginPassword {
		got["password"] = "REDACTED"
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("form sent differs from the recorded request (-want +got):\n%s", diff)
	}
}

// checkNoLeak fails when a secret shows in err's text, however it is printed.
func checkNoLeak(t *testing.T, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	for _, text := range []string{err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%s", err)} {
		for _, s := range append(secrets, secretToken) {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("error text leaks a secret (%q): %s", s, text)
			}
		}
	}
}

func newClient(t *testing.T, url string, o moodle.Options) *moodle.Client {
	t.Helper()
	if o.Timeout == 0 {
		o.Timeout = 10 * time.Second
	}
	c, err := moodle.New(url, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// seedData is the part of seed-data.json the assertions use: the truth the recordings must
// decode to.
type seedData struct {
	SeededAt int64 `json:"seededat"`
	KTS101   struct {
		Students  map[string]seedStudent `json:"students"`
		DueDates  map[string]int64       `json:"duedates"`
		Extension struct {
			A3Until int64 `json:"a3_extension_until"`
		} `json:"extension"`
	} `json:"KTS101"`
	BIG500 struct {
		NeverLoggedInIDs []int64 `json:"never_logged_in_ids"`
		SuspendedIDs     []int64 `json:"suspended_ids"`
	} `json:"BIG500"`
}

type seedStudent struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	Suspended        bool   `json:"suspended"`
	LastAccess       *int64 `json:"lastaccess"`
	LastCourseAccess *int64 `json:"lastcourseaccess"`
}

func loadSeed(t *testing.T, fx *moodletest.Fixtures) *seedData {
	t.Helper()
	b, err := fx.File("seed-data.json")
	if err != nil {
		t.Fatal(err)
	}
	var s seedData
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.KTS101.Students) != 30 {
		t.Fatalf("seed-data.json: %d KTS101 students, want 30", len(s.KTS101.Students))
	}
	return &s
}

func (s *seedData) student(t *testing.T, username string) seedStudent {
	t.Helper()
	st, ok := s.KTS101.Students[username]
	if !ok {
		t.Fatalf("seed-data.json has no student %s", username)
	}
	return st
}

// Timestamps of the write pass, recorded against the lab reseeded at reseededAt.
const (
	reseededAt = 1795561181
	since10d   = reseededAt - 10*86400
	since13d   = reseededAt - 13*86400
	sinceNow   = 1795562063
)

func ok(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantErr checks that err is Moodle's error code and matches sentinel.
func wantErr(t *testing.T, err, sentinel error, code string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("err = %v, want %v", err, sentinel)
	}
	var me *moodle.Error
	if !errors.As(err, &me) || me.Code != code {
		t.Fatalf("err = %#v, want a *moodle.Error with code %q", err, code)
	}
}

func same(t *testing.T, what string, want, got any) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

func mapf[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func find[T any](t *testing.T, xs []T, what string, pred func(T) bool) T {
	t.Helper()
	i := slices.IndexFunc(xs, pred)
	if i < 0 {
		t.Fatalf("no %s in the reply", what)
	}
	return xs[i]
}

func count[T any](xs []T, pred func(T) bool) int {
	n := 0
	for _, x := range xs {
		if pred(x) {
			n++
		}
	}
	return n
}
