package live_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// site is the live Moodle described by the env file up.sh writes.
type site struct {
	URL       string // Moodle's wwwroot
	CourseID  int64
	Teacher   string
	Tutor     string
	Student   string
	Password  string
	PHP       string // the php CLI binary
	MoodleDir string // Moodle's code, with config.php
	WebUser   string // the user PHP runs as, owner of Moodle's data
}

const howToRun = "set KTS_LIVE_MOODLE to the env file scripts/moodle/up.sh prints " +
	"(run `make live`, which installs, seeds and runs this suite; it needs root and the Moodle 4.5 code, see docs/TESTING.md)"

var theSite struct {
	once sync.Once
	s    *site
	err  error
}

// liveSite returns the live Moodle, or skips the test (fails it when CI=true) without one.
func liveSite(t *testing.T) *site {
	t.Helper()
	path := os.Getenv("KTS_LIVE_MOODLE")
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("live Moodle suite did not run in CI: KTS_LIVE_MOODLE is unset; .ci/run must run scripts/moodle/up.sh and export it")
		}
		t.Skip("live Moodle suite did not run: " + howToRun)
	}
	theSite.once.Do(func() { theSite.s, theSite.err = readSite(path) })
	if theSite.err != nil {
		t.Fatalf("live Moodle env file %s: %v", path, theSite.err)
	}
	return theSite.s
}

// readSite parses the KEY=value lines of up.sh's env file.
func readSite(path string) (*site, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	kv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %q is not KEY=value", line)
		}
		kv[k] = v
	}
	s := &site{URL: kv["KTS_LIVE_URL"], Teacher: kv["KTS_LIVE_TEACHER"], Tutor: kv["KTS_LIVE_TUTOR"],
		Student: kv["KTS_LIVE_STUDENT"], Password: kv["KTS_LIVE_PASSWORD"], PHP: kv["KTS_LIVE_PHP"],
		MoodleDir: kv["KTS_LIVE_MOODLE_DIR"], WebUser: kv["KTS_LIVE_WEB_USER"]}
	s.CourseID, err = strconv.ParseInt(kv["KTS_LIVE_COURSE"], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("KTS_LIVE_COURSE: %v", err)
	}
	for k, v := range map[string]string{"KTS_LIVE_URL": s.URL, "KTS_LIVE_TEACHER": s.Teacher, "KTS_LIVE_TUTOR": s.Tutor,
		"KTS_LIVE_STUDENT": s.Student, "KTS_LIVE_PASSWORD": s.Password, "KTS_LIVE_PHP": s.PHP, "KTS_LIVE_MOODLE_DIR": s.MoodleDir} {
		if v == "" {
			return nil, fmt.Errorf("%s is missing", k)
		}
	}
	return s, nil
}

// scriptsDir is scripts/moodle of this repository (the test runs in live/).
func scriptsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "scripts", "moodle")
}

// php runs one of the harness's PHP scripts as the web user (Moodle's data belongs to it)
// and decodes its JSON output into out.
func (s *site) php(t *testing.T, out any, script string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	argv := append([]string{filepath.Join(scriptsDir(), script), "--moodle=" + s.MoodleDir}, args...)
	var cmd *exec.Cmd
	if s.WebUser != "" && os.Geteuid() == 0 {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", s.WebUser, "--", s.PHP}, argv...)...)
	} else {
		cmd = exec.CommandContext(ctx, s.PHP, argv...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("php %s %s: %v\n%s%s", script, strings.Join(args, " "), err, stderr.String(), tail(stdout.String(), 2000))
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("php %s: output is not JSON: %v\n%s", script, err, tail(stdout.String(), 2000))
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
