package static

import (
	"regexp"
	"strings"
	"testing"
)

// TestCSSHasClasses lists the classes views rely on. The CSP forbids inline
// styles, so a class missing here is a page that renders unstyled, with
// nothing failing.
func TestCSSHasClasses(t *testing.T) {
	t.Parallel()
	b, err := files.ReadFile("css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	css := string(b)
	classes := strings.Fields(`
		site-header demo-banner container breadcrumbs skip-link
		notice notice-error notice-warn notice-info notice-success
		btn btn-primary btn-link btn-small
		form-row form-inline field-hint field-error filters
		data num table-wrap sticky-col sort
		status status-submitted status-late status-extension status-overdue status-draft
		status-not_started status-graded status-pass status-fail status-complete status-incomplete
		flag flag-never_accessed flag-inactive flag-overdue flag-failed flag-behind flag-suspended
		completion-meter muted small nowrap visually-hidden
		cards card card-value card-label grid-2 kv
		chart bar-fill bar-fill-lag axis label histogram pill-list
		empty-state loading htmx-request htmx-indicator pagination no-print`)
	for _, c := range classes {
		re := regexp.MustCompile(`\.` + regexp.QuoteMeta(c) + `[\s,:.\[{>]`)
		if !re.MatchString(css) {
			t.Errorf("app.css has no rule for .%s", c)
		}
	}
	for _, s := range []string{
		`[aria-sort="ascending"]`, `[aria-sort="descending"]`, ":focus-visible",
		"@page", "size: A4", "@media print", "position: sticky",
	} {
		if !strings.Contains(css, s) {
			t.Errorf("app.css lacks %s", s)
		}
	}
	if strings.Count(css, "{") != strings.Count(css, "}") {
		t.Error("app.css: unbalanced braces")
	}
}
