package handlers_test

import (
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/moodle"
	nethtml "golang.org/x/net/html"
)

// withScripts marks the browser as one that runs scripts, as static/js/kts.js does.
func (b *browser) withScripts() *browser {
	u, _ := url.Parse(b.e.app.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "kts_js", Value: "1"}})
	return b
}

// pollHref returns the address a page that fills itself in polls, "" when it does not.
func pollHref(body string) string {
	for _, tag := range regexp.MustCompile(`<a [^>]*data-testid="poll"[^>]*>`).FindAllString(body, -1) {
		if m := regexp.MustCompile(`hx-get="([^"]+)"`).FindStringSubmatch(tag); m != nil {
			return html.UnescapeString(m[1])
		}
	}
	return ""
}

func TestCohortPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.pageSize = 100 })
	b := e.browser()
	b.signInTeacher()
	first := b.get("/course/4")
	if first.status != http.StatusOK {
		t.Fatalf("status %d", first.status)
	}
	shown := shownCount(t, first)
	last := (shown + 99) / 100
	tests := []struct {
		path     string
		rows     int
		current  string
		prev     string // the Previous link's page parameter, "-" for none
		next     string
		rowsText string
	}{
		{"/course/4", 100, "1", "-", "2", "rows 1 to 100"},
		{"/course/4?page=3&sort=access", 100, "3", "2", "4", "rows 201 to 300"},
		{"/course/4?page=999", shown - (last-1)*100, strconv.Itoa(last), strconv.Itoa(last - 1), "-", "page " + strconv.Itoa(last) + " of " + strconv.Itoa(last)},
	}
	for _, tt := range tests {
		p := b.get(tt.path)
		if p.status != http.StatusOK {
			t.Fatalf("GET %s: %d", tt.path, p.status)
		}
		if n := len(byTestID(p.doc, "student-row")); n != tt.rows {
			t.Errorf("GET %s: %d rows; want %d", tt.path, n, tt.rows)
		}
		if got := text(one(t, p.doc, "page-current")); got != tt.current {
			t.Errorf("GET %s: current page %q; want %s", tt.path, got, tt.current)
		}
		if got := text(one(t, p.doc, "page-rows")); !strings.Contains(got, tt.rowsText) {
			t.Errorf("GET %s: %q; want it to say %q", tt.path, got, tt.rowsText)
		}
		for id, want := range map[string]string{"page-prev": tt.prev, "page-next": tt.next} {
			links := byTestID(p.doc, id)
			if want == "-" {
				if len(links) != 0 {
					t.Errorf("GET %s: a %s link; want none", tt.path, id)
				}
				continue
			}
			if len(links) != 1 {
				t.Fatalf("GET %s: %d %s links; want 1", tt.path, len(links), id)
			}
			u, _ := url.Parse(attr(links[0], "href"))
			if got := u.Query().Get("page"); got != want && !(want == "1" && got == "") {
				t.Errorf("GET %s: %s goes to page %q; want %s", tt.path, id, got, want)
			}
			if strings.Contains(tt.path, "sort=access") && u.Query().Get("sort") != "access" {
				t.Errorf("GET %s: %s loses the sort: %s", tt.path, id, attr(links[0], "href"))
			}
			if attr(links[0], "hx-get") != attr(links[0], "href") {
				t.Errorf("GET %s: %s's hx-get differs from its href", tt.path, id)
			}
		}
	}
	// The CSV has every row of the filter, whatever the page.
	csvPage := b.get("/course/4/export.csv?page=3")
	recs, err := csv.NewReader(strings.NewReader(csvPage.body)).ReadAll()
	if err != nil || len(recs)-1 != shown {
		t.Errorf("CSV of page 3: %d rows (%v); want all %d", len(recs)-1, err, shown)
	}
	// htmx gets the results with the pager; a small course has no pager.
	frag := b.get("/course/4?page=2", "HX-Request", "true")
	if strings.Contains(frag.body, "<html") || len(byTestID(frag.doc, "pager")) != 1 {
		t.Errorf("htmx page 2: a whole page %v, %d pagers", strings.Contains(frag.body, "<html"), len(byTestID(frag.doc, "pager")))
	}
	if p := b.get("/course/2"); len(byTestID(p.doc, "pager")) != 0 || len(byTestID(p.doc, "student-row")) != 29 {
		t.Errorf("KTS101: %d pagers, %d rows; want none and 29", len(byTestID(p.doc, "pager")), len(byTestID(p.doc, "student-row")))
	}
}

// shownCount reads "Showing N of ..." from a cohort page.
func shownCount(t *testing.T, p page) int {
	t.Helper()
	f := strings.Fields(text(one(t, p.doc, "shown-count")))
	n, err := strconv.Atoi(f[1])
	if err != nil {
		t.Fatalf("shown count %q", text(one(t, p.doc, "shown-count")))
	}
	return n
}

func TestCohortPageParameter(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) { o.pageSize = 100 })
	b := e.browser()
	b.signInTeacher()
	for _, q := range []string{"page=0", "page=-1", "page=abc", "page=1.5", "page=1&page=2", "page=99999999999999999999"} {
		p := b.get("/course/2?" + q)
		if p.status != http.StatusBadRequest {
			t.Errorf("?%s: status %d; want 400", q, p.status)
			continue
		}
		if got := text(one(t, p.doc, "error-message")); !strings.Contains(got, "page") {
			t.Errorf("?%s: the sentence %q does not say what is wrong", q, got)
		}
	}
}

// TestCohortFillsIn: a browser that runs scripts gets the rows before completion has loaded,
// with placeholders and a poll, and each poll brings more until the page is complete; one
// that does not gets the page complete at once.
func TestCohortFillsIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(o *envOptions) {
		o.latency = demo.Latency{Functions: map[string]demo.Cost{moodle.FuncActivitiesCompletion: {Base: 20 * time.Millisecond}}}
	})
	js := e.browser().withScripts()
	js.signInTeacher()
	p := js.get("/course/2")
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if n := len(byTestID(p.doc, "student-row")); n != 29 {
		t.Fatalf("%d rows before completion loaded; want the 29 of the roster", n)
	}
	href := pollHref(p.body)
	if href == "" || len(byTestID(p.doc, "load-state")) != 1 {
		t.Fatalf("no poll or no loading note in a page whose load is in flight:\n%s", text(p.doc))
	}
	loading := findAll(p.doc, func(n *nethtml.Node) bool { return attr(n, "data-state") == "loading" })
	if len(loading) == 0 {
		t.Fatal("no placeholder in the rows of a page whose completion is still loading")
	}
	if u, _ := url.Parse(href); u.Path != "/course/2/rows" || u.Query().Get("v") == "" {
		t.Fatalf("poll %q; want /course/2/rows with the version", href)
	}
	polls := 0
	var last page
	for href != "" {
		last = js.get(href, "HX-Request", "true")
		if last.status != http.StatusOK || strings.Contains(last.body, "<html") {
			t.Fatalf("poll %d: status %d, whole page %v", polls, last.status, strings.Contains(last.body, "<html"))
		}
		href = pollHref(last.body)
		if polls++; polls > 50 {
			t.Fatal("the page never completes")
		}
	}
	if strings.Contains(last.body, `data-state="loading"`) || !strings.Contains(last.body, `hx-swap-oob="true"`) {
		t.Errorf("the last poll: placeholders left %v, head and summary swapped %v", strings.Contains(last.body, `data-state="loading"`),
			strings.Contains(last.body, `hx-swap-oob="true"`))
	}
	if got := text(one(t, rowOf(t, last.doc, "5"), "completion")); !strings.Contains(got, "100 %") {
		t.Errorf("Zoë's completion after the last poll: %q", got)
	}

	// Without scripts: complete at once, nothing to poll.
	plain := e.browser()
	plain.signInTeacher()
	js.post("/course/2/refresh", url.Values{"full": {"1"}}) // a load in flight again
	p = plain.get("/course/2")
	if pollHref(p.body) != "" || strings.Contains(p.body, `data-state="loading"`) || len(byTestID(p.doc, "student-row")) != 29 {
		t.Errorf("without scripts: poll %q, placeholders %v", pollHref(p.body), strings.Contains(p.body, `data-state="loading"`))
	}
	// The poll address opened directly goes to the page; a version that is not one is a 400.
	if p := plain.get("/course/2/rows?v=3&sort=access"); p.status != http.StatusSeeOther || p.header.Get("Location") != "/course/2?sort=access" {
		t.Errorf("/rows without htmx: %d to %q; want 303 to /course/2?sort=access", p.status, p.header.Get("Location"))
	}
	if p := plain.get("/course/2/rows?v=x", "HX-Request", "true"); p.status != http.StatusBadRequest {
		t.Errorf("/rows?v=x: status %d; want 400", p.status)
	}
}

// TestRefreshButtons: the page says how old its data is and offers both refreshes; the
// refresh reads what changed, the full one everything.
func TestRefreshButtons(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	e.site.ResetCalls()
	p := b.get("/course/2?sort=access")
	cold := e.site.Requests()
	if got := text(one(t, p.doc, "data-age")); !strings.Contains(got, "loaded just now") {
		t.Errorf("data age %q", got)
	}
	one(t, p.doc, "refresh")
	if btn := one(t, p.doc, "full-refresh"); attr(btn, "name") != "full" || attr(btn, "value") != "1" {
		t.Errorf("the full refresh button sends %s=%s; want full=1", attr(btn, "name"), attr(btn, "value"))
	}
	tests := []struct {
		name      string
		form      url.Values
		requests  func(n int) bool
		wantCalls string
	}{
		{"refresh", url.Values{"next": {"/course/2?sort=access"}}, func(n int) bool { return n >= 2 && n < cold }, "fewer than a first load"},
		{"full refresh", url.Values{"next": {"/course/2?sort=access"}, "full": {"1"}}, func(n int) bool { return n == cold }, "as many as a first load"},
	}
	for _, tt := range tests {
		e.site.ResetCalls()
		r := b.post("/course/2/refresh", tt.form)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/course/2?sort=access" {
			t.Fatalf("%s: %d to %q; want 303 back to the page", tt.name, r.status, r.header.Get("Location"))
		}
		if n := e.site.Requests(); !tt.requests(n) {
			t.Errorf("%s made %d Moodle requests (%v); want %s (%d)", tt.name, n, e.site.Calls(), tt.wantCalls, cold)
		}
	}
}
