package live_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// picked is what act.php --what=pick chose: two different students, one who can mark a
// manual activity done and one who can submit an assignment, without touching anything the
// seed gave them.
type picked struct {
	Complete struct {
		User   string `json:"user"`
		UserID int64  `json:"userid"`
		CMID   int64  `json:"cmid"`
		Name   string `json:"name"`
	} `json:"complete"`
	Submit struct {
		User   string `json:"user"`
		UserID int64  `json:"userid"`
		Assign int64  `json:"assign"`
		Name   string `json:"name"`
	} `json:"submit"`
}

// acted is what act.php --what=complete or --what=submit did, with Moodle's timestamps and
// what puts it back.
type acted struct {
	UserID     int64 `json:"userid"`
	Completion *struct {
		State        int   `json:"completionstate"`
		TimeModified int64 `json:"timemodified"`
	} `json:"completion"`
	Status       string          `json:"status"`
	TimeModified int64           `json:"timemodified"`
	Undo         json.RawMessage `json:"undo"`
}

// act makes a student act in Moodle through act.php and puts it back at the end of the test,
// so the rest of the suite sees the seeded site.
func act(t *testing.T, s *site, args ...string) acted {
	t.Helper()
	var a acted
	s.php(t, &a, "act.php", args...)
	if len(a.Undo) == 0 {
		t.Fatalf("act.php %v printed no undo", args)
	}
	t.Cleanup(func() {
		var out map[string]any
		s.php(t, &out, "act.php", "--what=undo", "--undo="+string(a.Undo))
	})
	return a
}

// freshTruth is what truth.php computes now (not the package's cached truth).
func freshTruth(t *testing.T, s *site) truth {
	t.Helper()
	var tr truth
	s.php(t, &tr, "truth.php", "--course="+strconv.FormatInt(s.CourseID, 10),
		"--viewer="+s.Teacher+","+s.Tutor, "--now="+strconv.FormatInt(time.Now().Unix(), 10))
	return tr
}

// The teacher's working memory against the live Moodle, in a dashboard of its own (its own
// store in a -data-dir of the test's, its own cache):
//
//   - After the teacher's visit, a student marks an activity done and another submits an
//     assignment, through Moodle's own APIs (act.php). The teacher's refresh (the course
//     page's Refresh button, the incremental path) brings them in, and the changes page since
//     the visit lists the completion and the submission, waiting for a grade; since a moment
//     after them it lists neither.
//   - A state set from the queue's form and flag rules saved from the rules form are there
//     again after a restart of the dashboard on the same -data-dir: the queue, the rules form
//     and the CSV's flags column.
//
// What the students did is put back at the end, and truth.php then must give the same tables
// as before it: the package's other tests compare the CSVs with the seeded site. They use the
// package's shared dashboard, whose cache never saw these changes.
func TestLiveWorkingMemoryChangesAndRestart(t *testing.T) {
	s := liveSite(t)
	shared := dashboardFor(t, s)
	course := "/course/" + strconv.FormatInt(s.CourseID, 10)

	var p picked
	s.php(t, &p, "act.php", "--what=pick", "--course="+strconv.FormatInt(s.CourseID, 10))
	t.Logf("picked: %s completes %q (cmid %d); %s submits %q (cmid %d)", p.Complete.User, p.Complete.Name, p.Complete.CMID,
		p.Submit.User, p.Submit.Name, p.Submit.Assign)
	before := freshTruth(t, s)
	t.Cleanup(func() {
		// Runs after the undos (cleanups run last registered first).
		after := freshTruth(t, s)
		for _, viewer := range []string{s.Teacher, s.Tutor} {
			for _, filter := range []string{"default", "suspended"} {
				compareTables(t, "after undo, cohort ("+viewer+", "+filter+")", before.view(t, viewer, filter).Cohort, after.view(t, viewer, filter).Cohort)
				compareTables(t, "after undo, activities ("+viewer+", "+filter+")", before.view(t, viewer, filter).Activities, after.view(t, viewer, filter).Activities)
			}
		}
	})

	dataDir := t.TempDir()
	d1 := shared.another(t, s, "-data-dir", dataDir)
	teacher := d1.as(t, s.Teacher, s.Password)

	// The visit: the course page, loaded complete (no scripts: the page waits for the load).
	if status, body := d1.get(t, teacher, course); status != http.StatusOK {
		t.Fatalf("GET %s: status %d\n%s", course, status, tail(body, 1500))
	}
	visited := time.Now().UTC().Truncate(time.Second)
	since := course + "/changes?since=" + url.QueryEscape(visited.Format(time.RFC3339))
	// Moodle's timestamps are whole seconds: what the students do must be after the visit's.
	for time.Now().Unix() <= visited.Unix() {
		time.Sleep(50 * time.Millisecond)
	}
	ch := changesPage(t, d1, teacher, since)
	for _, k := range []string{"completed", "submitted"} {
		if rows := ch[k]; len(rows) > 0 {
			t.Fatalf("before anyone acted, the changes since the visit list %s: %+v", k, rows)
		}
	}

	done := act(t, s, "--what=complete", "--user="+p.Complete.User, "--cmid="+strconv.FormatInt(p.Complete.CMID, 10))
	sub := act(t, s, "--what=submit", "--user="+p.Submit.User, "--assign="+strconv.FormatInt(p.Submit.Assign, 10))
	if done.Completion == nil || done.Completion.State != 1 || done.Completion.TimeModified < visited.Unix() {
		t.Fatalf("act.php complete: completion %+v, want state 1 at or after the visit (%d)", done.Completion, visited.Unix())
	}
	if sub.Status != "submitted" || sub.TimeModified < visited.Unix() {
		t.Fatalf("act.php submit: status %q at %d, want submitted after the visit (%d)", sub.Status, sub.TimeModified, visited.Unix())
	}
	acts := time.Now()

	// The teacher's Refresh button (incremental: what changed since the last load).
	status, loc, body := d1.post(t, teacher, course+"/refresh", url.Values{"next": {course + "/changes"}})
	if status != http.StatusSeeOther || loc != course+"/changes" {
		t.Fatalf("refresh: status %d, Location %q, want 303 to the changes\n%s", status, loc, tail(body, 1500))
	}
	ch = changesPage(t, d1, teacher, since)
	wantChange(t, ch, "completed", p.Complete.UserID, p.Complete.Name, false)
	wantChange(t, ch, "submitted", p.Submit.UserID, p.Submit.Name, true)
	// Without ?since= it is the first visit from this dashboard (the previous-visit basis
	// needs an hour without a request: attention.VisitGap): the last 7 days, these included.
	status, body = d1.get(t, teacher, course+"/changes")
	if status != http.StatusOK || !strings.Contains(body, "first visit") {
		t.Errorf("GET %s/changes: status %d, want 200 saying it is the first visit\n%s", course, status, tail(body, 1500))
	}
	// Since a moment after they acted, neither.
	for time.Now().Unix() <= acts.Unix() {
		time.Sleep(50 * time.Millisecond)
	}
	later := changesPage(t, d1, teacher, course+"/changes?since="+url.QueryEscape(time.Now().UTC().Format(time.RFC3339)))
	if listed(later["completed"], p.Complete.UserID) || listed(later["submitted"], p.Submit.UserID) {
		t.Errorf("the changes since after the acts still list them: %+v", later)
	}

	// Rules from the rules form.
	target := assignmentTarget(t, d1, teacher, course)
	rules := url.Values{"inactive_days": {"11"}, "off": {"behind"}, "rule_1_kind": {"not_submitted_after"},
		"rule_1_cmid": {target}, "rule_1_days": {"0"}, "action": {"save"}}
	status, loc, body = d1.post(t, teacher, course+"/rules", rules)
	if status != http.StatusSeeOther || loc != course+"/rules?saved=1" {
		t.Fatalf("save rules: status %d, Location %q\n%s", status, loc, tail(body, 1500))
	}
	// A state from the queue's own form, after the rules (a rule saved later could give the
	// student a new reason, which ends a snooze by design).
	status, body = d1.get(t, teacher, course+"/queue")
	if status != http.StatusOK {
		t.Fatalf("queue: status %d\n%s", status, tail(body, 1500))
	}
	doc := parseHTML(t, body)
	focus := byTestID(doc, "queue-focus")
	if len(focus) != 1 {
		t.Fatalf("the queue has %d students in focus, want 1\n%s", len(focus), tail(body, 2000))
	}
	snoozed := attr(focus[0], "data-userid")
	form := formFields(t, byTestID(focus[0], "form-snooze"))
	until := time.Now().UTC().AddDate(0, 0, 14).Format(time.DateOnly)
	form.Set("until", until)
	form.Del("next")
	status, loc, body = d1.post(t, teacher, course+"/student/"+snoozed+"/state", form)
	if status != http.StatusSeeOther || loc != course+"/queue" {
		t.Fatalf("snooze: status %d, Location %q, want 303 to the queue\n%s", status, loc, tail(body, 1500))
	}
	t.Logf("snoozed student %s until %s; rule 1: A1 (cmid %s) not submitted 0 days after its due date", snoozed, until, target)
	checkMemory := func(d *dashboard, c *http.Client, when string) {
		t.Helper()
		status, body := d.get(t, c, course+"/queue")
		if status != http.StatusOK {
			t.Fatalf("%s: queue: status %d", when, status)
		}
		doc := parseHTML(t, body)
		var aside string
		for _, n := range byTestID(doc, "aside-item") {
			if attr(n, "data-userid") == snoozed {
				aside = text(n)
			}
		}
		if !strings.Contains(aside, "snoozed") {
			t.Errorf("%s: student %s is not set aside as snoozed in the queue (aside: %q)", when, snoozed, aside)
		}
		for _, n := range byTestID(doc, "queue-item") {
			if attr(n, "data-userid") == snoozed {
				t.Errorf("%s: the snoozed student %s is in the queue's list", when, snoozed)
			}
		}
		status, body = d.get(t, c, course+"/rules")
		if status != http.StatusOK {
			t.Fatalf("%s: rules: status %d", when, status)
		}
		doc = parseHTML(t, body)
		if v := attr(byID(doc, "inactive_days"), "value"); v != "11" {
			t.Errorf("%s: inactive_days %q, want 11", when, v)
		}
		if _, checked := attrOK(byID(doc, "off-behind"), "checked"); !checked {
			t.Errorf("%s: the behind flag is not switched off on the rules form", when)
		}
		if v := selected(byID(doc, "rule_1_kind")); v != "not_submitted_after" {
			t.Errorf("%s: rule 1 kind %q, want not_submitted_after", when, v)
		}
		if v := selected(byID(doc, "rule_1_cmid")); v != target {
			t.Errorf("%s: rule 1 activity %q, want %s", when, v, target)
		}
		status, body = d.get(t, c, course+"/export.csv")
		if status != http.StatusOK {
			t.Fatalf("%s: export: status %d", when, status)
		}
		csv := parseCSV(t, body)
		col := slices.Index(csv.Header, "flags")
		if col < 0 {
			t.Fatalf("%s: no flags column in %q", when, csv.Header)
		}
		var rule, behind int
		for _, r := range csv.Rows {
			codes := strings.Split(r[col], ";")
			for i := range codes {
				codes[i] = strings.TrimSpace(codes[i])
			}
			if slices.Contains(codes, "rule_1") {
				rule++
			}
			if slices.Contains(codes, "behind") {
				behind++
			}
		}
		if rule == 0 || behind != 0 {
			t.Errorf("%s: the CSV flags rule_1 for %d students and behind for %d; want some and none", when, rule, behind)
		}
	}
	checkMemory(d1, teacher, "before the restart")

	// The restart: the first process ends; a new one on the same -data-dir.
	d1.stop()
	d2 := shared.another(t, s, "-data-dir", dataDir)
	checkMemory(d2, d2.as(t, s.Teacher, s.Password), "after the restart")

	// And it is this teacher's alone: the tutor (of the same course) keeps the server's rules.
	tutor := d2.as(t, s.Tutor, s.Password)
	if status, body := d2.get(t, tutor, course+"/export.csv"); status != http.StatusOK || strings.Contains(body, "rule_1") {
		t.Errorf("the tutor's export: status %d, has rule_1: %v", status, strings.Contains(body, "rule_1"))
	}
}

// changesPage fetches a changes page and returns, per kind of change, its rows.
func changesPage(t *testing.T, d *dashboard, c *http.Client, path string) map[string][]changeItem {
	t.Helper()
	status, body := d.get(t, c, path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: status %d\n%s", path, status, tail(body, 1500))
	}
	return changeItems(t, body)
}

// listed reports whether student id is among the rows.
func listed(items []changeItem, id int64) bool {
	return slices.ContainsFunc(items, func(it changeItem) bool { return it.userID == id })
}

type changeItem struct {
	userID int64
	text   string
	waits  bool
}

// changeItems parses the sections of a changes page: kind → its rows.
func changeItems(t *testing.T, body string) map[string][]changeItem {
	t.Helper()
	out := map[string][]changeItem{}
	doc := parseHTML(t, body)
	for _, sec := range byTestIDPrefix(doc, "changes-") {
		kind := strings.TrimPrefix(attr(sec, "data-testid"), "changes-")
		if kind == "since" || kind == "summary" {
			continue
		}
		for _, li := range byTestID(sec, "change") {
			var id int64
			if a := first(li, "a"); a != nil {
				href := attr(a, "href")
				id, _ = strconv.ParseInt(href[strings.LastIndex(href, "/")+1:], 10, 64)
			}
			out[kind] = append(out[kind], changeItem{userID: id, text: text(li), waits: strings.Contains(text(li), "waits for a grade")})
		}
	}
	return out
}

// wantChange fails the test unless the changes since the visit list student id under kind
// with what, waiting for a grade or not.
func wantChange(t *testing.T, ch map[string][]changeItem, kind string, id int64, what string, waits bool) {
	t.Helper()
	for _, it := range ch[kind] {
		if it.userID != id {
			continue
		}
		if !strings.Contains(it.text, what) || it.waits != waits {
			t.Errorf("the changes since the visit list student %d as %s with %q; want %q, waiting for a grade: %v", id, kind, it.text, what, waits)
		}
		return
	}
	t.Errorf("the changes since the visit do not list student %d as %s (%q); %s: %+v", id, kind, what, kind, ch[kind])
}

// assignmentTarget is the value of the first assignment the rules form offers for rule 1,
// one whose due date has passed (the rule then flags someone): the seed's A1.
func assignmentTarget(t *testing.T, d *dashboard, c *http.Client, course string) string {
	t.Helper()
	status, body := d.get(t, c, course+"/rules")
	if status != http.StatusOK {
		t.Fatalf("rules form: status %d\n%s", status, tail(body, 1500))
	}
	sel := byID(parseHTML(t, body), "rule_1_cmid")
	for o := range sel.Descendants() {
		if o.Type == html.ElementNode && o.Data == "option" && strings.HasPrefix(text(o), "A1 ") {
			return attr(o, "value")
		}
	}
	t.Fatalf("the rules form offers no A1 for rule 1")
	return ""
}

// HTML: the pages are parsed, not matched as text.

func parseHTML(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the page is not HTML: %v", err)
	}
	return doc
}

func attrOK(n *html.Node, name string) (string, bool) {
	if n == nil {
		return "", false
	}
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func attr(n *html.Node, name string) string {
	v, _ := attrOK(n, name)
	return v
}

// find returns the elements under n (n included) that match.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if n == nil {
		return nil
	}
	if n.Type == html.ElementNode && match(n) {
		out = append(out, n)
	}
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && match(d) {
			out = append(out, d)
		}
	}
	return out
}

func byTestID(n *html.Node, id string) []*html.Node {
	return find(n, func(e *html.Node) bool { return attr(e, "data-testid") == id })
}

func byTestIDPrefix(n *html.Node, prefix string) []*html.Node {
	return find(n, func(e *html.Node) bool { return strings.HasPrefix(attr(e, "data-testid"), prefix) })
}

// byID is the element with that id, or nil.
func byID(n *html.Node, id string) *html.Node {
	if m := find(n, func(e *html.Node) bool { return attr(e, "id") == id }); len(m) > 0 {
		return m[0]
	}
	return nil
}

// first is the first element under n named tag, or nil.
func first(n *html.Node, tag string) *html.Node {
	if m := find(n, func(e *html.Node) bool { return e.Data == tag }); len(m) > 0 {
		return m[0]
	}
	return nil
}

// text is the text under n, spaces collapsed.
func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// selected is the value of a select's selected option ("" without one).
func selected(sel *html.Node) string {
	for _, o := range find(sel, func(e *html.Node) bool { return e.Data == "option" }) {
		if _, ok := attrOK(o, "selected"); ok {
			return attr(o, "value")
		}
	}
	return ""
}

// formFields are the named inputs of the one form in forms, with their values.
func formFields(t *testing.T, forms []*html.Node) url.Values {
	t.Helper()
	if len(forms) != 1 {
		t.Fatalf("%d forms, want 1", len(forms))
	}
	v := url.Values{}
	for _, in := range find(forms[0], func(e *html.Node) bool { return e.Data == "input" }) {
		if name := attr(in, "name"); name != "" {
			v.Add(name, attr(in, "value"))
		}
	}
	return v
}
