package e2e_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

var updateScreenshots = flag.Bool("update-screenshots", false, "write the PNGs of docs/screenshots and docs/SCREENSHOTS.md from the current pages")

// installHint is what a developer without chromium reads.
const installHint = "the browser tests need Debian's chromium at /usr/bin/chromium: run `make deps` " +
	"(or `sudo apt-get install -y chromium fonts-liberation`), then run the tests again"

// chromiumPath finds the browser: Debian's /usr/bin/chromium, else chromium on the PATH.
func chromiumPath() (string, error) {
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", errors.New(installHint)
}

// shared is the one browser every test of the package uses: starting chromium costs a second
// or more, a browser context (a fresh profile, cookies included) costs milliseconds.
var shared struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel()
	}
	if sharedEnv.e != nil {
		sharedEnv.e.close()
	}
	os.Exit(code)
}

// startBrowser starts chromium once, headless, with a fresh temporary profile (chromedp makes
// a new --user-data-dir and removes it when the browser ends).
func startBrowser() (context.Context, error) {
	shared.once.Do(func() {
		path, err := chromiumPath()
		if err != nil {
			shared.err = err
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("hide-scrollbars", true),
			chromedp.Flag("lang", "en-GB"),
			chromedp.WindowSize(1280, 900),
		)
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, cancelBrowser := chromedp.NewContext(actx)
		shared.cancel = func() { cancelBrowser(); cancelAlloc() }
		if err := chromedp.Do(bctx); err != nil {
			shared.err = fmt.Errorf("starting %s: %w (%s)", path, err, installHint)
			return
		}
		shared.ctx = bctx
	})
	return shared.ctx, shared.err
}

// tab is one person's browser window: its own browser context (cookies, storage), so two
// tabs are two people.
type tab struct {
	t   *testing.T
	ctx context.Context // the tab itself, without a deadline
	e   *env
	// noJS is set when scripts are off in the tab; axe, being a script, then skips the page
	// (the same pages are audited with scripts on).
	noJS bool
}

// tabOptions change how a tab behaves.
type tabOption func(*tab) error

// noJavaScript turns script execution off in the tab, as a teacher's locked-down browser would.
func noJavaScript(tb *tab) error {
	tb.noJS = true
	_, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	return err
}

// newTab opens a tab in a new browser context. A test that fails leaves a screenshot of the
// tab in testdata/failures.
func newTab(t *testing.T, e *env, opts ...tabOption) *tab {
	t.Helper()
	bctx, err := startBrowser()
	if err != nil {
		t.Fatalf("no browser: %v", err)
	}
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	if err := chromedp.Do(ctx); err != nil { // opens the tab, outside any deadline
		cancel()
		t.Fatalf("opening a tab: %v", err)
	}
	tb := &tab{t: t, ctx: ctx, e: e}
	t.Cleanup(cancel)
	for _, o := range opts {
		if err := o(tb); err != nil {
			t.Fatalf("setting up the tab: %v", err)
		}
	}
	return tb
}

// sub gives a subtest its own handle on the same tab, so a failure screenshot is named after
// the subtest that failed.
func (tb *tab) sub(t *testing.T) *tab {
	c := *tb
	c.t = t
	t.Cleanup(func() {
		if t.Failed() {
			c.failureScreenshot()
		}
	})
	return &c
}

// failureScreenshot saves what the tab shows to testdata/failures/<test>.png and says where.
func (tb *tab) failureScreenshot() {
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Logf("no failure screenshot: %v", err)
		return
	}
	name := strings.NewReplacer("/", "_", " ", "_", ":", "_").Replace(tb.t.Name()) + ".png"
	path := filepath.Join("testdata", "failures", name)
	err = os.MkdirAll(filepath.Dir(path), 0o755)
	if err == nil {
		err = os.WriteFile(path, png, 0o644)
	}
	if err != nil {
		tb.t.Logf("no failure screenshot: %v", err)
		return
	}
	abs, _ := filepath.Abs(path)
	tb.t.Logf("screenshot of the failure: %s", abs)
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		tb.t.Logf("the tab was at %s", loc)
	}
}

// timeout bounds one step: long enough for a 500-student course loading under -race while CI runs every
// package at once on two cores (20 s was not), short enough that a
// missing element fails the test instead of hanging it.
const timeout = 60 * time.Second

// do runs steps in the tab and fails the test at the first error.
func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%v", err)
	}
}

// run runs one action that returns a value and fails the test on error.
func run[T any](tb *tab, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.t.Fatalf("%v", err)
	}
	return v
}
