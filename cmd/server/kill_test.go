package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
)

// TestKill9BetweenTwoPostsSendsOnce builds the server, sends a message through it, kills it
// with SIGKILL (no shutdown, nothing flushed but what the store had committed), starts it
// again over the same SQLite data directory and posts the same form: Moodle gets the message
// once, and the restarted server shows the first outcome.
func TestKill9BetweenTwoPostsSendsOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server binary")
	}
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "kts")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	site := demo.New(demo.Options{})
	moodle := httptest.NewServer(site.Handler())
	defer moodle.Close()
	dir := t.TempDir()
	const text = `Quote check: "Chapter 2" & don't <miss> it 🎉`

	start := func() (*exec.Cmd, *http.Client, string) {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "-addr", addr, "-moodle-url", moodle.URL, "-data-dir", dir)
		logs := &lockedBuffer{}
		cmd.Stdout, cmd.Stderr = logs, logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		base := "http://" + addr
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if resp, err := http.Get(base + "/healthz"); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("the server did not start:\n%s", logs.String())
			}
		}
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
		resp, err := c.PostForm(base+"/signin", url.Values{"username": {"kts.teacher"}, "password": {demo.TeacherPassword}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return cmd, c, base
	}
	body := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", resp.Request.URL, resp.StatusCode)
		}
		return string(b)
	}
	sent := func() int {
		n := 0
		for _, m := range site.SentMessages() {
			if m.To == 14 {
				n++
			}
		}
		return n
	}

	cmd, c, base := start()
	m := regexp.MustCompile(`name="key" value="([0-9a-f]{32})"`).FindStringSubmatch(body(c.Get(base + "/course/2/message?userid=14")))
	if m == nil {
		t.Fatal("the compose form has no key")
	}
	form := url.Values{"key": {m[1]}, "userid": {"14"}, "text": {text}, "action": {"send"}}
	if page := body(c.PostForm(base+"/course/2/message", form)); !strings.Contains(page, `data-status="sent"`) || sent() != 1 {
		t.Fatalf("first post: %d messages; page sent=%v", sent(), strings.Contains(page, `data-status="sent"`))
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	cmd.Wait()

	_, c, base = start()
	page := body(c.PostForm(base+"/course/2/message", form))
	if !strings.Contains(page, `data-testid="repeat-notice"`) || !strings.Contains(page, `data-status="sent"`) {
		t.Errorf("after kill -9 and restart, the same form: no repeat notice with the first outcome")
	}
	if got := sent(); got != 1 {
		t.Fatalf("Moodle holds %d messages after two posts of one key across a kill -9; want 1", got)
	}
}
