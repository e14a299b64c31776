package app_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/app"
	"github.com/knowthystudents/kts/internal/lti/ltitest"
	"github.com/knowthystudents/kts/internal/store/storetest"
)

// Each cache setting has one meaning: -cache-max-bytes 0 switches caching off (pages wait
// for the whole course); -cache-ttl only says how long data is shown.
func TestCacheMaxBytesZeroSwitchesCachingOff(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		maxBytes int64
		on       bool
	}{{0, false}, {1 << 20, true}, {app.DefaultConfig().CacheMaxBytes, true}} {
		cfg := app.DefaultConfig()
		cfg.MoodleURL, cfg.CacheMaxBytes = "http://moodle.invalid", tt.maxBytes
		a, err := app.New(t.Context(), cfg, app.Deps{Store: storetest.Open(t, "", t.TempDir())})
		if err != nil {
			t.Fatal(err)
		}
		if a.Cache.Enabled() != tt.on || a.Loader.Progressive() != tt.on {
			t.Errorf("CacheMaxBytes %d: cache on %v, progressive pages %v; want %v", tt.maxBytes, a.Cache.Enabled(), a.Loader.Progressive(), tt.on)
		}
	}
}

// LTI is on exactly when the public URL is set, and its routes answer only then.
func TestLTIOnlyWithAPublicURL(t *testing.T) {
	t.Parallel()
	moodle := httptest.NewServer(ltitest.New().Handler())
	defer moodle.Close()
	for _, public := range []string{"", "https://kts.example"} {
		cfg := app.DefaultConfig()
		cfg.MoodleURL, cfg.PublicURL = moodle.URL, public
		a, err := app.New(t.Context(), cfg, app.Deps{Store: storetest.Open(t, "", t.TempDir())})
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		a.Handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/lti/jwks", nil))
		want := http.StatusNotFound
		if public != "" {
			want = http.StatusOK
		}
		if (a.LTI != nil) != (public != "") || rec.Code != want {
			t.Errorf("public URL %q: tool %v, GET /lti/jwks %d; want %d", public, a.LTI != nil, rec.Code, want)
		}
	}
}

func TestSettingsThatDoNotBuild(t *testing.T) {
	t.Parallel()
	st := storetest.Open(t, "", t.TempDir())
	for name, change := range map[string]func(*app.Config){
		"no Moodle URL":           func(c *app.Config) { c.MoodleURL = "" },
		"a relative Moodle URL":   func(c *app.Config) { c.MoodleURL = "moodle.example" },
		"a short secret key":      func(c *app.Config) { c.SecretKey = "too-short" },
		"a client id, no deploys": func(c *app.Config) { c.PublicURL, c.LTIClientID = "https://kts.example", "abc" },
	} {
		cfg := app.DefaultConfig()
		cfg.MoodleURL = "https://moodle.example"
		change(&cfg)
		if _, err := app.New(t.Context(), cfg, app.Deps{Store: st}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := app.New(t.Context(), app.DefaultConfig(), app.Deps{}); err == nil || !strings.Contains(err.Error(), "Store") {
		t.Errorf("no store: %v; want an error naming the store", err)
	}
}
