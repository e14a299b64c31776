package demo_test

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle/moodlefixtures"
)

// fixtures are the recorded Moodle 4.5 replies the demo must reproduce.
var fixtures = moodlefixtures.Moodle45()

// writePassSeededAt is when the lab was reseeded for the write and
// incremental-refresh recordings; their since parameters are relative to it,
// so the test site is anchored there and sends them unchanged.
const writePassSeededAt = 1795561181

type manifestEntry struct {
	File       string            `json:"file"`
	Endpoint   string            `json:"endpoint"`
	Wsfunction *string           `json:"wsfunction"`
	Params     map[string]string `json:"params"`
	TokenKind  string            `json:"token_kind"`
	Errorcode  *string           `json:"errorcode"`
	JSON       bool              `json:"json"`
}

func loadManifest(t *testing.T) []manifestEntry {
	t.Helper()
	b, err := fs.ReadFile(fixtures, "manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Fixtures []manifestEntry `json:"fixtures"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Fixtures) == 0 {
		t.Fatal("manifest lists no fixtures")
	}
	return m.Fixtures
}

// notImplemented lists fixtures the demo deliberately does not answer, with
// the reason. Every other fixture must be reproduced.
var notImplemented = map[string]string{}

// prepare reproduces what the recording did before a fixture's request.
var prepare = map[string]func(t *testing.T, site *demo.Site, send func() []byte){
	// The recorded reply is a second read: the first one created the
	// "new" submission record (README: ethan.brown).
	"mod_assign_get_submission_status.ethan-a1.json": func(t *testing.T, _ *demo.Site, send func() []byte) { send() },
	// The recording set priya.patel's message_blocknoncontacts=1 before
	// these two sends.
	"core_message_send_instant_messages.teacher-to-blocking-student.json": func(t *testing.T, site *demo.Site, _ func() []byte) {
		site.SetBlockNonContacts(15, true)
	},
}

func tokenForKind(t *testing.T, accounts map[string]demo.Account, kind string) string {
	t.Helper()
	switch {
	case kind == "custom-service teacher":
		return accounts["kts.teacher"].ServiceToken
	case kind == "mobile-app teacher":
		return accounts["kts.teacher"].Token
	case kind == "custom-service student":
		return accounts["zoe.andersen"].ServiceToken
	case kind == "mobile-app student":
		return accounts["zoe.andersen"].Token
	case strings.HasPrefix(kind, "custom-service tutor"):
		return accounts["kts.tutor"].ServiceToken
	case kind == "invalid":
		return "0123456789abcdef0123456789abcdef"
	case kind == "none":
		return ""
	}
	t.Fatalf("unknown token kind %q", kind)
	return ""
}

// TestFixtureShapes sends every recorded request to the demo, in the
// manifest's order (the write calls build on each other as they did in the
// lab), and compares the JSON shape of each reply with the recording.
func TestFixtureShapes(t *testing.T) {
	entries := loadManifest(t)
	site := demo.New(demo.Options{Now: time.Unix(writePassSeededAt, 0)})
	srv := httptest.NewServer(site.Handler())
	t.Cleanup(srv.Close)
	accounts := map[string]demo.Account{}
	for _, a := range site.Accounts() {
		accounts[a.Username] = a
	}
	passwords := map[string]string{
		"kts.teacher": demo.TeacherPassword, "kts.tutor": demo.TutorPassword, "priya.patel": demo.StudentPassword,
	}
	implemented := implementedFunctions(t, srv.URL, accounts["kts.teacher"].Token)

	for _, f := range entries {
		t.Run(f.File, func(t *testing.T) {
			if why, ok := notImplemented[f.File]; ok {
				t.Skip(why)
			}
			if f.Wsfunction != nil && *f.Wsfunction != "kts_no_such_function" && !implemented[*f.Wsfunction] {
				t.Fatalf("the demo does not implement %s", *f.Wsfunction)
			}
			form := url.Values{}
			for k, v := range f.Params {
				switch {
				case k == "wstoken":
					v = tokenForKind(t, accounts, f.TokenKind)
				case k == "password" && v == "REDACTED":
					v = passwords[f.Params["username"]]
				}
				form.Set(k, v)
			}
			send := func() []byte { return post(t, srv.URL+f.Endpoint, form) }
			if p := prepare[f.File]; p != nil {
				p(t, site, send)
			}
			got := send()
			want, err := fs.ReadFile(fixtures, f.File)
			if err != nil {
				t.Fatal(err)
			}
			var fixVal, gotVal any
			if err := json.Unmarshal(want, &fixVal); err != nil {
				t.Fatalf("fixture: %v", err)
			}
			if err := json.Unmarshal(got, &gotVal); err != nil {
				t.Fatalf("demo reply is not JSON: %v\n%s", err, got)
			}
			if f.Errorcode != nil {
				obj, _ := gotVal.(map[string]any)
				if code, _ := obj["errorcode"].(string); code != *f.Errorcode {
					t.Fatalf("errorcode = %q, want %q; reply: %.300s", code, *f.Errorcode, got)
				}
			}
			diffs := shapeDiff("$", shapeOf(fixVal), shapeOf(gotVal))
			for i, d := range diffs {
				if i == 25 {
					t.Errorf("... and %d more", len(diffs)-i)
					break
				}
				t.Error(d)
			}
			if len(diffs) > 0 {
				t.Logf("demo reply: %.600s", got)
			}
		})
	}
	if len(notImplemented) > 0 {
		t.Logf("fixtures not reproduced: %v", notImplemented)
	}
}

func implementedFunctions(t *testing.T, base, token string) map[string]bool {
	t.Helper()
	var info struct {
		Functions []struct {
			Name string `json:"name"`
		} `json:"functions"`
	}
	body := post(t, base+"/webservice/rest/server.php", url.Values{
		"wstoken": {token}, "wsfunction": {"core_webservice_get_site_info"}, "moodlewsrestformat": {"json"}})
	if err := json.Unmarshal(body, &info); err != nil {
		t.Fatalf("site info: %v: %s", err, body)
	}
	out := map[string]bool{}
	for _, f := range info.Functions {
		out[f.Name] = true
	}
	return out
}

func post(t *testing.T, u string, form url.Values) []byte {
	t.Helper()
	resp, err := http.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: HTTP %d: %s", u, resp.StatusCode, body)
	}
	return body
}
