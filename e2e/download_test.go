package e2e_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// download clicks a link that downloads a file, lets the browser save it in a temporary
// directory as it would in Downloads, and returns the name the server suggested and the
// file's content.
func (tb *tab) download(link chromedp.CSS) (name string, body []byte) {
	tb.t.Helper()
	dir := tb.t.TempDir()
	ctx, cancel := context.WithTimeout(tb.ctx, timeout)
	defer cancel()
	_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior:         browser.SetDownloadBehaviorBehaviorAllowAndName,
		BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID,
		DownloadPath:     dir,
		EventsEnabled:    new(true),
	})
	if err != nil {
		tb.t.Fatalf("allowing downloads: %v", err)
	}
	begins := chromedp.BrowserEvents(ctx, browser.DownloadWillBegin)
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	tb.do(chromedp.Click(link))

	// Download events are the browser's, for every tab: this tab's main frame has the
	// tab's target id.
	frame := cdp.FrameID(chromedp.FromContext(tb.ctx).Target.TargetID)
	guid := ""
	for ev, err := range begins {
		if err != nil {
			tb.t.Fatalf("waiting for the download to begin: %v", err)
		}
		if ev.FrameID == frame {
			guid, name = ev.GUID, ev.SuggestedFilename
			break
		}
	}
	for ev, err := range progress {
		if err != nil {
			tb.t.Fatalf("waiting for the download of %s: %v", name, err)
		}
		if ev.GUID != guid {
			continue
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			body, err := os.ReadFile(filepath.Join(dir, guid))
			if err != nil {
				tb.t.Fatalf("reading the downloaded %s: %v", name, err)
			}
			return name, body
		case browser.DownloadProgressStateCanceled:
			tb.t.Fatalf("the browser cancelled the download of %s", name)
		}
	}
	panic("unreachable")
}

// checkCohortCSV checks the cohort export a teacher downloaded: the contract's first columns
// in order, and Oliver Smith's row as the cohort page shows him.
func (tb *tab) checkCohortCSV(name string, body []byte) {
	tb.t.Helper()
	if name != "KTS101-students.csv" {
		tb.t.Errorf("downloaded file is named %q; want KTS101-students.csv", name)
	}
	recs, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		tb.t.Fatalf("the download is not CSV: %v\n%s", err, body)
	}
	want := []string{"userid", "fullname", "email", "groups", "enrolment", "lastcourseaccess",
		"activities_completed", "activities_total", "completion_percent", "course_completed", "flags"}
	if len(recs) < 2 || len(recs[0]) < len(want) || !slices.Equal(recs[0][:len(want)], want) {
		tb.t.Fatalf("CSV header %q; want it to start with %q", recs[0], want)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var oliver []string
	for _, r := range recs[1:] {
		if r[0] == "14" {
			oliver = r
		}
	}
	if oliver == nil {
		tb.t.Fatalf("no row for Oliver Smith (userid 14) in:\n%s", body)
	}
	checks := map[string]string{"fullname": "Oliver Smith", "groups": "Group B", "enrolment": "active",
		"lastcourseaccess": "2026-11-08T15:44:48Z", "flags": "behind;inactive;overdue"}
	for h, want := range checks {
		if got := oliver[col[h]]; got != want {
			tb.t.Errorf("Oliver's %s is %q; want %q", h, got, want)
		}
	}
	i, ok := col["A1 Essay: Learning styles: status"]
	if !ok || oliver[i] != "late" {
		tb.t.Errorf("Oliver's A1 status column: %v %q; want late (header %q)", ok, oliver[min(i, len(oliver)-1)], recs[0])
	}
}
