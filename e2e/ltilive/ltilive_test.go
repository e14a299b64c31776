// Package ltilive launches the dashboard from a real Moodle 4.5 over LTI 1.3: the site
// scripts/moodle/up.sh runs (branch live). The test starts the real server binary, registers
// it by Moodle's dynamic registration (scripts/moodle/lti.php mints the registration start as
// Moodle's "Add LTI Advantage" does, the dashboard then talks to Moodle's own endpoints), adds
// two activities of the tool to a course, and in Chromium signs in to Moodle as the teacher and
// launches them: in a window of its own (the password asked once), then embedded in Moodle's
// page (straight in, with the token kept encrypted).
//
// KTS_LIVE_MOODLE names the env file up.sh prints; without it the test skips.
package ltilive_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

type site struct {
	URL, Teacher, Student, Pass, PHP, MoodleDir, WebUser string
}

func readSite(t *testing.T) site {
	path := os.Getenv("KTS_LIVE_MOODLE")
	if path == "" {
		t.Skip("no live Moodle: run scripts/moodle/up.sh (branch live) and set KTS_LIVE_MOODLE to the env file it prints")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && !strings.HasPrefix(k, "#") {
			env[k] = v
		}
	}
	for _, k := range []string{"KTS_LIVE_URL", "KTS_LIVE_TEACHER", "KTS_LIVE_PASSWORD", "KTS_LIVE_PHP", "KTS_LIVE_MOODLE_DIR"} {
		if env[k] == "" {
			t.Fatalf("%s: no %s", path, k)
		}
	}
	return site{URL: env["KTS_LIVE_URL"], Teacher: env["KTS_LIVE_TEACHER"], Student: env["KTS_LIVE_STUDENT"], Pass: env["KTS_LIVE_PASSWORD"],
		PHP: env["KTS_LIVE_PHP"], MoodleDir: env["KTS_LIVE_MOODLE_DIR"], WebUser: env["KTS_LIVE_WEB_USER"]}
}

// php runs scripts/moodle/lti.php as the web user and decodes its JSON answer.
func (s site) php(t *testing.T, out any, args ...string) {
	t.Helper()
	script, _ := filepath.Abs("../../scripts/moodle/lti.php")
	argv := append([]string{script, "--moodle=" + s.MoodleDir}, args...)
	cmd := exec.Command(s.PHP, argv...)
	if s.WebUser != "" && os.Geteuid() == 0 {
		cmd = exec.Command("runuser", append([]string{"-u", s.WebUser, "--", s.PHP}, argv...)...)
	}
	cmd.Dir = os.TempDir()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("lti.php %v: %v\n%s", args, err, stderr.String())
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("lti.php %v: %v: %s", args, err, b)
	}
}

type logs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *logs) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// startServer builds and starts the dashboard as an LTI tool of the site on 127.0.0.1 (the
// same site as Moodle's 127.0.0.1, another port: cookies are same-site over plain HTTP).
func startServer(t *testing.T, s site) (string, *logs) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kts")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/knowthystudents/kts/cmd/server").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	public := "http://" + addr
	l := &logs{}
	cmd := exec.Command(bin, "-addr", addr, "-moodle-url", s.URL, "-public-url", public, "-data-dir", t.TempDir(),
		"-secret-key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", "-log-level", "debug")
	cmd.Stdout, cmd.Stderr = l, l
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(public + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return public, l
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not start:\n%s", l.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func chromium(t *testing.T) context.Context {
	t.Helper()
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		t.Skip("no chromium at /usr/bin/chromium (make deps)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	// The first action starts the browser and its tab, bound to ctx (not to a step's deadline).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return ctx
}

// person is a new browser context (its own cookies) in the browser, signed in to Moodle.
func (s site) person(t *testing.T, browser context.Context, username string) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	// Moodle's login form carries a one-time logintoken bound to the browser's Moodle session;
	// on a loaded machine the first try sometimes comes back "Invalid login" with the right
	// password (the token and the session out of step). A person would try again: so does this,
	// on a freshly loaded form, at most three times.
	var err error
	for try := 0; try < 3; try++ {
		step, cancelStep := context.WithTimeout(ctx, 40*time.Second)
		err = chromedp.Do(step,
			chromedp.Navigate(s.URL+"/login/index.php"),
			chromedp.WaitVisible(chromedp.CSS(`#username`)),
			chromedp.SetValue(chromedp.CSS(`#username`), username),
			chromedp.SetValue(chromedp.CSS(`#password`), s.Pass),
			chromedp.Click(chromedp.CSS(`#loginbtn`)),
			chromedp.WaitReady(chromedp.CSS(`#user-menu-toggle, #loginerrormessage`)), // signed in (the user menu) or refused
		)
		if err == nil {
			var signedIn bool
			signedIn, err = chromedp.Run(step, chromedp.Evaluate[bool](`document.querySelector('#user-menu-toggle') !== null`))
			if err == nil && !signedIn {
				err = errors.New("Moodle answered: " + pageText(ctx))
			}
		}
		cancelStep()
		if err == nil {
			return ctx
		}
		t.Logf("signing in to Moodle as %s, try %d: %v", username, try+1, err)
	}
	t.Fatalf("signing in to Moodle: %v\n%s", err, pageText(ctx))
	return ctx
}

func TestLaunchFromMoodle(t *testing.T) {
	s := readSite(t)
	public, srvLogs := startServer(t, s)
	defer func() {
		if t.Failed() {
			t.Logf("server log:\n%s", srvLogs.String())
		}
	}()

	// Dynamic registration, against Moodle's own endpoints.
	var start struct {
		RegisterURL string `json:"register_url"`
	}
	s.php(t, &start, "--start", "--tool="+public)
	resp, err := http.Get(start.RegisterURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "org.imsglobal.lti.close") {
		t.Fatalf("registration: %d\n%s", resp.StatusCode, body)
	}
	var ids struct {
		TypeID     int64  `json:"typeid"`
		ClientID   string `json:"clientid"`
		CourseID   int64  `json:"courseid"`
		CMIDEmbed  int64  `json:"cmid_embed"`
		CMIDWindow int64  `json:"cmid_window"`
	}
	s.php(t, &ids, "--activate", "--tool="+public)
	if !strings.Contains(srvLogs.String(), "client_id="+ids.ClientID) {
		t.Fatalf("the dashboard did not keep Moodle's client id %q", ids.ClientID)
	}
	course := "/course/" + strconv.FormatInt(ids.CourseID, 10)

	browser := chromium(t)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	window := s.person(t, browser, s.Teacher)
	ctx, cancel := context.WithTimeout(window, 40*time.Second)
	defer cancel()
	// The activity that opens in a window of its own: launch.php is what Moodle's link opens.
	err = chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/mod/lti/launch.php?id=%d", s.URL, ids.CMIDWindow)),
		chromedp.WaitVisible(css(`[data-testid="lti-token-password"]`)),
	)
	if err != nil {
		t.Fatalf("launch in a new window: %v\n%s", err, pageText(window))
	}
	username, _ := chromedp.Run(ctx, chromedp.Value(css(`[data-testid="lti-token-password"] #username`)))
	if username != s.Teacher {
		t.Errorf("the username filled in is %q, want %q", username, s.Teacher)
	}
	ctx, cancel = context.WithTimeout(window, 40*time.Second)
	defer cancel()
	err = chromedp.Do(ctx,
		chromedp.SendKeys(css(`[data-testid="lti-token-password"] #password`), s.Pass),
		chromedp.Submit(css(`[data-testid="lti-token-password"] #password`)),
		chromedp.WaitVisible(css(`[data-testid="student-row"]`)),
	)
	where, _ := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("after the password: %v\n%s", err, pageText(window))
	}
	if !strings.HasPrefix(where, public+course) {
		t.Errorf("landed on %s, want %s%s", where, public, course)
	}

	// Embedded in Moodle's page, by the same teacher in another browser (no dashboard
	// session there): straight in to the cohort with the kept token, inside Moodle's frame.
	embedded := s.person(t, browser, s.Teacher)
	mark := len(srvLogs.String())
	ctx, cancel = context.WithTimeout(embedded, 40*time.Second)
	defer cancel()
	err = chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/mod/lti/view.php?id=%d", s.URL, ids.CMIDEmbed)),
		chromedp.WaitVisible(css(`iframe#contentframe`)),
	)
	if err != nil {
		t.Fatalf("embedded launch: %v", err)
	}
	framed := regexp.MustCompile(`msg="lti launch" .*framed=true`)
	signedIn := regexp.MustCompile(`msg="signed in" method=lti`)
	cohort := regexp.MustCompile(`path=` + regexp.QuoteMeta(course) + `/? status=200`)
	deadline := time.Now().Add(60 * time.Second)
	for {
		l := srvLogs.String()[mark:]
		if framed.MatchString(l) && signedIn.MatchString(l) && cohort.MatchString(l) {
			if strings.Contains(l, "path=/lti/token") {
				t.Errorf("the embedded launch asked for the password again")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the embedded launch did not reach the cohort; log since:\n%s", l)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// A student of the course who clicks the activity is told the dashboard is for teachers.
	if s.Student != "" {
		student := s.person(t, browser, s.Student)
		ctx, cancel = context.WithTimeout(student, 40*time.Second)
		defer cancel()
		err = chromedp.Do(ctx,
			chromedp.Navigate(fmt.Sprintf("%s/mod/lti/launch.php?id=%d", s.URL, ids.CMIDWindow)),
			chromedp.WaitVisible(css(`[data-testid="error-message"]`)),
		)
		if err != nil {
			t.Fatalf("a student's launch: %v\n%s", err, pageText(student))
		}
		if text := pageText(student); !strings.Contains(text, "This dashboard is for teachers") || !strings.Contains(text, "/lti/launch") {
			t.Errorf("a student's launch shows:\n%s", text)
		}
	}
}

// pageText is where the browser is and what it shows, for a failure's message.
func pageText(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	where, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if len(text) > 2000 {
		text = text[:2000]
	}
	return "at " + where + ":\n" + text
}
