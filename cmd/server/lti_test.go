package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/lti/ltitest"
)

// With -public-url the server is an LTI tool whose key is kept in the store: a restart on the
// same data directory publishes the same key.
func TestLTIIsOnWithAPublicURL(t *testing.T) {
	t.Parallel()
	moodle := httptest.NewServer(ltitest.New().Handler())
	defer moodle.Close()
	dir := t.TempDir()
	jwks := func() string {
		addr, stop, logs := start(t, map[string]string{"KTS_SECRET_KEY": strings.Repeat("ab", 32)}, "-data-dir", dir,
			"-moodle-url", moodle.URL, "-public-url", "https://kts.example", "-lti-client-id", "abc", "-lti-deployment-id", "3")
		defer stop()
		resp, err := http.Get("http://" + addr + "/lti/jwks")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"kty":"RSA"`) {
			t.Fatalf("GET /lti/jwks: %d %s", resp.StatusCode, body)
		}
		if !strings.Contains(logs.String(), "keeps_tokens=true") {
			t.Errorf("logs: %s", logs.String())
		}
		return string(body)
	}
	if a, b := jwks(), jwks(); a != b {
		t.Errorf("the key changed across a restart:\n%s\n%s", a, b)
	}
}

func TestLTISettingsThatDoNotParse(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"-moodle-url", "https://moodle.example", "-public-url", "https://kts.example", "-lti-client-id", "abc"},
		{"-moodle-url", "https://moodle.example", "-secret-key", "too-short"},
		{"-moodle-url", "https://moodle.example", "-public-url", "kts.example"},
	} {
		// A run that wrongly starts serves until the timeout, then returns nil.
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
		err := run(ctx, append([]string{"-addr", "127.0.0.1:0", "-data-dir", t.TempDir()}, args...), func(string) string { return "" }, io.Discard, io.Discard)
		cancel()
		if err == nil {
			t.Errorf("run %v: no error", args)
		}
	}
}
