package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/app"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/load"
	"github.com/knowthystudents/kts/internal/store"
	"github.com/knowthystudents/kts/internal/store/storetest"
)

// freeAddr returns a loopback address nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// listening is the port run prints when it listens ("open http://localhost:PORT/").
var listening = regexp.MustCompile(`open http://localhost:(\d+)/`)

// start runs the server in-process on a port the kernel picks (a port chosen beforehand can
// be taken meanwhile, e.g. by the demo Moodle), waits for run to print where it listens, and
// checks /healthz answers.
func start(t *testing.T, env map[string]string, args ...string) (addr string, stop func() error, logs *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs, stdout := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan error, 1)
	getenv := func(k string) string { return env[k] }
	args = append([]string{"-addr", "127.0.0.1:0", "-data-dir", t.TempDir()}, args...)
	go func() { done <- run(ctx, args, getenv, stdout, logs) }()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) { // polling stdout, with a deadline
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			addr = "127.0.0.1:" + m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("server exited: %v\n%s", err, logs.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server did not say where it listens:\n%s", logs.String())
		}
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		cancel()
		t.Fatalf("GET /healthz: %v %v\n%s", err, resp, logs.String())
	}
	resp.Body.Close()
	var once sync.Once
	var stopErr error
	stop = func() error {
		once.Do(func() { cancel(); stopErr = <-done })
		return stopErr
	}
	t.Cleanup(func() { stop() })
	return addr, stop, logs
}

func TestRunDemoModeServesAndShutsDown(t *testing.T) {
	t.Parallel()
	addr, stop, logs := start(t, nil, "-log-format", "json")
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "demo-banner") || !strings.Contains(string(body), "kts.teacher") {
		t.Fatalf("home in demo mode: %d; want the sign-in page with the demo banner and accounts", resp.StatusCode)
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Errorf("no clean stop in the logs:\n%s", logs.String())
	}
}

func TestShutdownDrainsRequestsInFlight(t *testing.T) {
	t.Parallel()
	// Moodle holds the sign-in's token request until the server has begun to shut down.
	site := demo.New(demo.Options{}).Handler()
	arrived, release := make(chan struct{}), make(chan struct{})
	var arrive, free sync.Once
	moodle := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login/token.php" {
			arrive.Do(func() { close(arrived) })
			<-release
		}
		site.ServeHTTP(w, r)
	}))
	defer moodle.Close()
	defer free.Do(func() { close(release) }) // before Close, which waits for the held request
	addr, stop, logs := start(t, nil, "-moodle-url", moodle.URL)
	result := make(chan int, 1)
	go func() {
		noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := noFollow.PostForm("http://"+addr+"/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}})
		if err != nil {
			t.Log(err)
			result <- 0
			return
		}
		resp.Body.Close()
		result <- resp.StatusCode
	}()
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the sign-in never reached Moodle")
	}
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	// Shutdown has begun once the log says so and the listener is closed (its first step).
	listening := func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	}
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(logs.String(), "shutting down") || listening(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server never began to shut down:\n%s", logs.String())
		}
	}
	free.Do(func() { close(release) })
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if code := <-result; code != http.StatusSeeOther {
		t.Fatalf("the request in flight got %d; want it answered (303), not cut", code)
	}
}

func TestConfigFlagsAndEnvironment(t *testing.T) {
	t.Parallel()
	env := map[string]string{"KTS_MOODLE_URL": "https://moodle.example", "KTS_CACHE_TTL": "90s", "KTS_BATCH_SIZE": "10"}
	cfg, _, err := parseConfig([]string{"-batch-size", "20"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MoodleURL != "https://moodle.example" || cfg.CacheTTL != 90*time.Second {
		t.Errorf("environment not used: %+v", cfg)
	}
	if cfg.BatchSize != 20 {
		t.Errorf("batch size %d; the flag must win over KTS_BATCH_SIZE", cfg.BatchSize)
	}
	if _, _, err := parseConfig(nil, func(k string) string { return map[string]string{"KTS_CACHE_TTL": "soon"}[k] }, io.Discard); err == nil || !strings.Contains(err.Error(), "KTS_CACHE_TTL") {
		t.Errorf("a bad environment value gave %v; want an error naming KTS_CACHE_TTL", err)
	}
	if err := run(context.Background(), []string{"-log-format", "yaml"}, func(string) string { return "" }, io.Discard, io.Discard); err == nil {
		t.Error("an unknown log format was accepted")
	}
	// -cache-ttl says how long data is shown; it no longer also switches caching off.
	if err := run(context.Background(), []string{"-cache-ttl", "0"}, func(string) string { return "" }, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "-cache-max-bytes 0") {
		t.Errorf("-cache-ttl 0 gave %v; want an error pointing to -cache-max-bytes 0", err)
	}
}

// The server with no flags runs app.DefaultConfig, the configuration every test harness starts
// from: what the tests exercise is what ships.
func TestNoFlagsIsTheDefaultConfig(t *testing.T) {
	t.Parallel()
	cfg, _, err := parseConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := app.DefaultConfig()
	want.MoodleURL, want.Demo = "https://moodle.example", true // no -moodle-url: the demo
	if got := cfg.app("https://moodle.example", nil, nil); !reflect.DeepEqual(got, want) {
		t.Errorf("the flags' defaults give\n%+v\nwant app.DefaultConfig\n%+v", got, want)
	}
}

func TestListFunctionsAndPrintFlags(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-list-functions"}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(out.String())
	if strings.Join(got, " ") != strings.Join(load.Functions(), " ") || len(got) < 10 {
		t.Fatalf("-list-functions printed %v", got)
	}
	out.Reset()
	if err := run(context.Background(), []string{"-print-flags"}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/DEPLOY.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), out.String()) {
		t.Fatalf("docs/DEPLOY.md does not hold the current flag table; regenerate it with `go run ./cmd/server -print-flags`:\n%s", out.String())
	}
	fns, _ := os.ReadFile("../../docs/DEPLOY.md")
	for _, f := range load.Functions() {
		if !strings.Contains(string(fns), f) {
			t.Errorf("docs/DEPLOY.md does not list %s", f)
		}
	}
}

// redisServer starts a private redis-server on a free port.
func redisServer(t *testing.T, port string) func() {
	t.Helper()
	path, err := exec.LookPath("redis-server")
	if err != nil {
		t.Fatal("redis-server is not installed: `make test` installs it (apt-get install redis-server)")
	}
	cmd := exec.Command(path, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) { // polling for the port, with a deadline
		c, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("redis-server does not listen on %s: %v", port, err)
		}
	}
	return func() { cmd.Process.Kill(); cmd.Wait() }
}

func TestTwoReplicasShareSessionsThroughRedis(t *testing.T) {
	t.Parallel()
	_, port, _ := net.SplitHostPort(freeAddr(t))
	stopRedis := redisServer(t, port)
	defer func() { stopRedis() }()
	site := demo.New(demo.Options{})
	moodle := httptest.NewServer(site.Handler())
	defer moodle.Close()
	env := map[string]string{"KTS_REDIS_URL": "redis://127.0.0.1:" + port + "/0", "KTS_MOODLE_URL": moodle.URL}
	a, _, _ := start(t, env)
	b, _, logsB := start(t, env)

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm("http://"+a+"/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in on A: %v %v", err, resp)
	}
	resp.Body.Close()
	// The session cookie is for host 127.0.0.1 whatever the port, as a load balancer would
	// present both replicas under one name.
	get := func(addr, path string) (int, string) {
		resp, err := client.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, body := get(b, "/course/2"); code != http.StatusOK || !strings.Contains(body, "Oliver Smith") {
		t.Fatalf("continue on B: %d; want the cohort (session shared through Redis)", code)
	}
	stopRedis()
	code, body := get(b, "/course/2")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "session store") {
		t.Fatalf("Redis down: %d %q; want 503 with a sentence", code, body)
	}
	if !strings.Contains(logsB.String(), "session store failed") {
		t.Error("the failure is not logged")
	}
	stopRedis = redisServer(t, port)
	// Redis is back (empty: it kept nothing): the servers recover and ask to sign in again.
	deadline := time.Now().Add(5 * time.Second)
	for {
		code, _ = get(b, "/course/2")
		if code == http.StatusSeeOther || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code != http.StatusSeeOther {
		t.Fatalf("after Redis came back: %d; want 303 to sign in", code)
	}
	if code, _ := get(a, "/healthz"); code != http.StatusOK {
		t.Fatalf("healthz on A: %d", code)
	}
	_ = fmt.Sprint
}

// The store lives in -data-dir, and -forget-user deletes one teacher's rows from it.
func TestForgetUser(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := store.Open(t.Context(), "", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, uid := range []int64{3, 4} {
		k := store.WriteKey{Site: "https://moodle.example", UserID: uid, Kind: "note", Key: "k"}
		if _, err := st.CreateWrite(t.Context(), store.Write{WriteKey: k, Items: []store.Item{{Recipient: 7, Text: "x"}}}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	var out bytes.Buffer
	args := []string{"-data-dir", dir, "-moodle-url", "https://moodle.example/", "-forget-user", "3"}
	if err := run(t.Context(), args, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "deleted 2 rows about user 3 of https://moodle.example") {
		t.Errorf("-forget-user printed %q", out.String())
	}
	st = storetest.Open(t, "", dir)
	if _, ok, _ := st.LoadWrite(t.Context(), store.WriteKey{Site: "https://moodle.example", UserID: 4, Kind: "note", Key: "k"}); !ok {
		t.Error("-forget-user deleted another teacher's data")
	}
	if err := run(t.Context(), []string{"-data-dir", dir, "-forget-user", "3"}, func(string) string { return "" }, &out, io.Discard); err == nil {
		t.Error("-forget-user without -moodle-url succeeded")
	}
}

// TestOldCacheFlagStillStarts: -cache-max-entries, removed when the cache got its one byte
// bound, is still accepted from the command line and the environment, so an existing
// deployment starts (with a warning) instead of failing on an unknown flag.
func TestOldCacheFlagStillStarts(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{
		{args: []string{"-cache-max-entries", "5000"}},
		{env: map[string]string{"KTS_CACHE_MAX_ENTRIES": "5000"}},
	} {
		cfg, _, err := parseConfig(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
		if err != nil || cfg.OldCacheMaxEntries != 5000 {
			t.Errorf("args %v env %v: %v, old bound %d; want it read, to warn about", tc.args, tc.env, err, cfg.OldCacheMaxEntries)
		}
	}
}
