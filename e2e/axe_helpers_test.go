package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// axeSource is node_modules/axe-core/axe.min.js, pinned in package.json; npm ci installs it.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		return "", fmt.Errorf("%w: axe-core is missing; run `npm ci` (make test does)", err)
	}
	return string(b), nil
})

// axeTags are the rule sets a page must pass: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// violation is one failed axe rule with the elements that fail it.
type violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  string `json:"target"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

func (v violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.URL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t\t%s: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

// axe runs axe-core on the tab's page as it is now. The script goes in through the DevTools
// protocol, which the page's Content-Security-Policy does not govern.
func (tb *tab) axe() []violation {
	tb.t.Helper()
	src, err := axeSource()
	if err != nil {
		tb.t.Fatal(err)
	}
	if !run(tb, chromedp.Evaluate[bool](`typeof window.axe === "object"`)) {
		run(tb, chromedp.Evaluate[chromedp.Void](src))
	}
	tags := `["` + strings.Join(axeTags, `","`) + `"]`
	return run(tb, chromedp.Evaluate[[]violation](`axe.run(document, {runOnly: {type: "tag", values: `+tags+`}, resultTypes: ["violations"]})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary || ""}))})))`, chromedp.EvalAwaitPromise))
}

// audit fails the test with every violation on the page, named by what the page is.
func (tb *tab) audit(what string) {
	tb.t.Helper()
	if tb.noJS {
		return
	}
	vs := tb.axe()
	for _, v := range vs {
		tb.t.Errorf("axe on %s (%s): %s", what, tb.where(), v)
	}
}
