package handlers_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/app"
)

// TestWarnsOnceWhenTLSProxyMeetsAnInsecureCookie (issue 18): a trusted proxy says the user
// came over HTTPS while -secure-cookie is off, so the session cookie would also go out over
// plain HTTP. The server says so once, at warning level; forwarded headers from anyone else,
// or with the cookie Secure, say nothing.
func TestWarnsOnceWhenTLSProxyMeetsAnInsecureCookie(t *testing.T) {
	t.Parallel()
	dashboard := func(trusted string, secure bool) (*httptest.Server, *syncBuffer) {
		logs := &syncBuffer{}
		cfg := testConfig("http://moodle.invalid")
		cfg.SessionIdle, cfg.SessionLifetime, cfg.SecureCookie = time.Hour, time.Hour, secure
		if trusted != "" {
			cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix(trusted)}
		}
		srv := httptest.NewServer(newApp(t, cfg, app.Deps{Log: slog.New(slog.NewTextHandler(logs, nil))}).Handler)
		t.Cleanup(srv.Close)
		return srv, logs
	}
	get := func(srv *httptest.Server, proto string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/signin", nil)
		req.Header.Set("X-Forwarded-Proto", proto)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for _, tt := range []struct {
		name    string
		trusted string
		secure  bool
		proto   string
		warns   int
	}{
		{"trusted proxy, https, cookie not Secure", "127.0.0.0/8", false, "https", 1},
		{"trusted proxy, https, cookie Secure", "127.0.0.0/8", true, "https", 0},
		{"trusted proxy, http", "127.0.0.0/8", false, "http", 0},
		{"untrusted peer, https", "", false, "https", 0},
	} {
		srv, logs := dashboard(tt.trusted, tt.secure)
		for range 3 {
			get(srv, tt.proto)
		}
		if got := strings.Count(logs.String(), "level=WARN msg=\"the session cookie is not Secure"); got != tt.warns {
			t.Errorf("%s: %d warnings; want %d:\n%s", tt.name, got, tt.warns, logs)
		}
	}
}
