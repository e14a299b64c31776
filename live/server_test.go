package live_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// dashboard is the real server binary, built from this repository and started once for the
// whole package against the live Moodle.
type dashboard struct {
	base   string // http://127.0.0.1:port
	cmd    *exec.Cmd
	log    *lockedBuffer
	dir    string        // its working directory, removed by stop
	bin    string        // the server binary
	exited chan struct{} // closed when the process has exited

	mu       sync.Mutex
	sessions map[string]*http.Client // one signed-in client per Moodle username
}

var theDashboard struct {
	once sync.Once
	d    *dashboard
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if d := theDashboard.d; d != nil {
		d.stop()
	}
	os.Exit(code)
}

// dashboardFor returns the dashboard started against s (building and starting it on first use).
func dashboardFor(t *testing.T, s *site) *dashboard {
	t.Helper()
	theDashboard.once.Do(func() { theDashboard.d, theDashboard.err = startDashboard(s) })
	if theDashboard.err != nil {
		t.Fatal(theDashboard.err)
	}
	d := theDashboard.d
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the end of the dashboard's log:\n%s", tail(d.log.String(), 6000))
		}
	})
	return d
}

func startDashboard(s *site) (*dashboard, error) {
	dir, err := os.MkdirTemp("", "kts-live-")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "server")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/knowthystudents/kts/cmd/server")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build ./cmd/server: %v\n%s", err, out)
	}
	return launch(s, bin, dir)
}

// launch starts the server binary bin in dir (its working directory: the SQLite store of the
// default -data-dir lands there) against s, with extra flags, and waits until it serves.
func launch(s *site, bin, dir string, args ...string) (*dashboard, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	d := &dashboard{base: "http://" + addr, log: &lockedBuffer{}, dir: dir, bin: bin, exited: make(chan struct{}),
		sessions: map[string]*http.Client{}}
	d.cmd = exec.Command(bin, append([]string{"-addr", addr, "-moodle-url", s.URL, "-log-level", "debug"}, args...)...)
	d.cmd.Dir = dir
	// Only what the server needs from the environment: no KTS_* setting of the developer's
	// shell leaks in.
	d.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TZ=UTC"}
	d.cmd.Stdout, d.cmd.Stderr = d.log, d.log
	if err := d.cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- d.cmd.Wait(); close(d.exited) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(d.base + "/healthz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && string(body) == "ok" {
				go func() { <-exited }()
				return d, nil
			}
		}
		select {
		case err := <-exited:
			return nil, fmt.Errorf("the dashboard exited before it served: %v\n%s", err, d.log.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			d.stop()
			return nil, fmt.Errorf("the dashboard did not answer /healthz within 30 s\n%s", d.log.String())
		}
	}
}

// another starts a second server process of the same binary against s with extra flags
// (say -data-dir), in a working directory of its own; it stops at the end of the test, or
// earlier with stop (a restart).
func (d *dashboard) another(t *testing.T, s *site, args ...string) *dashboard {
	t.Helper()
	dir, err := os.MkdirTemp("", "kts-live-")
	if err != nil {
		t.Fatal(err)
	}
	o, err := launch(s, d.bin, dir, args...)
	if err != nil {
		os.RemoveAll(dir)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the end of the log of the dashboard at %s:\n%s", o.base, tail(o.log.String(), 6000))
		}
		o.stop()
	})
	return o
}

// stop interrupts the server and waits until it has exited (killing it after 10 s); a
// second stop does nothing more.
func (d *dashboard) stop() {
	if d.cmd.Process != nil {
		d.cmd.Process.Signal(os.Interrupt)
		select {
		case <-d.exited:
		case <-time.After(10 * time.Second):
			d.cmd.Process.Kill()
			<-d.exited
		}
	}
	os.RemoveAll(d.dir)
}

// freeAddr is a loopback address nothing listens on now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// newClient is an HTTP client with its own cookie jar that does not follow redirects, so a
// test sees the 303 of a sign-in or a form.
func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 5 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn posts the sign-in form and returns the response's status and body.
func (d *dashboard) signIn(c *http.Client, username, password string) (int, string, error) {
	resp, err := c.PostForm(d.base+"/signin", url.Values{"username": {username}, "password": {password}})
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), err
}

// as returns a client signed in as username: one sign-in per account for the whole package.
func (d *dashboard) as(t *testing.T, username, password string) *http.Client {
	t.Helper()
	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.sessions[username]; ok {
		return c
	}
	c := newClient()
	status, body, err := d.signIn(c, username, password)
	if err != nil {
		t.Fatalf("sign in as %s: %v", username, err)
	}
	if status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d, want 303\n%s", username, status, tail(body, 1500))
	}
	d.sessions[username] = c
	return c
}

// get fetches path with c and returns status and body.
func (d *dashboard) get(t *testing.T, c *http.Client, path string) (int, string) {
	t.Helper()
	resp, err := c.Get(d.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp.StatusCode, string(body)
}

// post sends a form with c and returns status, Location and body.
func (d *dashboard) post(t *testing.T, c *http.Client, path string, form url.Values) (int, string, string) {
	t.Helper()
	resp, err := c.PostForm(d.base+path, form)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatalf("POST %s: %v", path, err)
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

// lockedBuffer collects the dashboard's log from its two pipes.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
