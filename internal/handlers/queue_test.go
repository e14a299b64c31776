package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/internal/demo"
	"github.com/knowthystudents/kts/internal/store/storetest"
)

const stateKey = "0123456789abcdef0123456789abcdef"

// queueIDs returns the user ids of the queue's list, in order.
func queueIDs(t *testing.T, doc *html.Node) []string {
	t.Helper()
	var ids []string
	for _, n := range byTestID(doc, "queue-item") {
		ids = append(ids, attr(n, "data-userid"))
	}
	return ids
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestQueuePage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2/queue")
	if p.status != http.StatusOK {
		t.Fatalf("queue: status %d: %s", p.status, text(p.doc))
	}
	ids := queueIDs(t, p.doc)
	// Ethan (30) never opened the course: the most urgent.
	if len(ids) < 5 || ids[0] != "30" {
		t.Fatalf("queue = %v, want Ethan (30) first", ids)
	}
	if got := attr(one(t, p.doc, "queue-focus"), "data-userid"); got != "30" {
		t.Errorf("focus on %s, want the first", got)
	}
	if !strings.Contains(text(one(t, p.doc, "urgency-order")), "never opened the course, then inactive") {
		t.Errorf("the page does not say the urgency order: %q", text(one(t, p.doc, "urgency-order")))
	}
	// Every flagged active student of the grid is in the queue, and no one else.
	grid := b.get("/course/2?attention=1")
	if n := len(byTestID(grid.doc, "student-row")); n != len(ids) {
		t.Errorf("queue has %d students, the grid's needs-attention filter %d", len(ids), n)
	}
	// Keyboard and no-script: plain links with access keys, and forms.
	next := one(t, p.doc, "queue-next")
	if attr(next, "accesskey") != "n" || attr(next, "href") != "/course/2/queue?at="+ids[1] {
		t.Errorf("next link: accesskey %q href %q", attr(next, "accesskey"), attr(next, "href"))
	}
	if len(byTestID(p.doc, "queue-prev")) != 0 {
		t.Error("the first student has a previous link")
	}
	for id, key := range map[string]string{"queue-message": "m", "queue-note": "t", "queue-moodle": "o"} {
		if got := attr(one(t, p.doc, id), "accesskey"); got != key {
			t.Errorf("%s accesskey %q, want %q", id, got, key)
		}
	}
	if got := attr(one(t, p.doc, "queue-message"), "href"); got != "/course/2/message?userid=30" {
		t.Errorf("message link %q", got)
	}
	form := one(t, p.doc, "form-handled")
	if attr(form, "method") != "post" || attr(form, "action") != "/course/2/student/30/state" {
		t.Errorf("handled form: %s %s", attr(form, "method"), attr(form, "action"))
	}
	// The second student in focus has a previous link back to the first.
	p2 := b.get("/course/2/queue?at=" + ids[1])
	if got := attr(one(t, p2.doc, "queue-prev"), "href"); got != "/course/2/queue?at=30" {
		t.Errorf("previous of the second = %q", got)
	}
	// htmx gets the content without the layout.
	f := b.get("/course/2/queue", "HX-Request", "true")
	if f.status != http.StatusOK || len(byTestID(f.doc, "queue")) != 1 || strings.Contains(f.body, "site-header") {
		t.Errorf("fragment: status %d, queue %d, layout %v", f.status, len(byTestID(f.doc, "queue")), strings.Contains(f.body, "site-header"))
	}
}

func TestSetState(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	ids := queueIDs(t, b.get("/course/2/queue").doc)
	p := b.post("/course/2/student/30/state", url.Values{"state": {"handled"}, "key": {stateKey}, "next": {"/course/2/queue?at=" + ids[1]}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/course/2/queue?at="+ids[1] {
		t.Fatalf("handled: status %d, location %q", p.status, p.header.Get("Location"))
	}
	until := seeded.AddDate(0, 0, 3).Format(time.DateOnly)
	if p := b.post("/course/2/student/14/state", url.Values{"state": {"snoozed"}, "until": {until}, "key": {stateKey}}); p.status != http.StatusSeeOther {
		t.Fatalf("snoozed: status %d: %s", p.status, text(p.doc))
	}
	q := b.get("/course/2/queue")
	after := queueIDs(t, q.doc)
	if contains(after, "30") || contains(after, "14") || len(after) != len(ids)-2 {
		t.Errorf("queue after handled and snoozed = %v (was %v)", after, ids)
	}
	aside := byTestID(q.doc, "aside-item")
	if len(aside) != 2 || attr(aside[0], "data-userid") != "14" || !strings.Contains(text(aside[0]), "back on") {
		t.Errorf("set aside: %d items, first %q", len(aside), text(aside[0]))
	}
	// The grid shows the states.
	grid := b.get("/course/2?suspended=1")
	if got := text(one(t, rowOf(t, grid.doc, "30"), "state")); got != "handled" {
		t.Errorf("grid state of 30 = %q", got)
	}
	// Back to new: in the queue again.
	b.post("/course/2/student/30/state", url.Values{"state": {"new"}, "key": {stateKey}})
	if !contains(queueIDs(t, b.get("/course/2/queue").doc), "30") {
		t.Error("30 not back in the queue after new")
	}
	bad := []struct {
		name string
		path string
		form url.Values
		want int
		says string
	}{
		{"unknown state", "/course/2/student/30/state", url.Values{"state": {"done"}, "key": {stateKey}}, 400, "is not a state"},
		{"snooze without a date", "/course/2/student/30/state", url.Values{"state": {"snoozed"}, "key": {stateKey}}, 400, "YYYY-MM-DD"},
		{"snooze into the past", "/course/2/student/30/state", url.Values{"state": {"snoozed"}, "until": {"2020-01-01"}, "key": {stateKey}}, 400, "after today"},
		{"no key", "/course/2/student/30/state", url.Values{"state": {"handled"}}, 400, "not valid any more"},
		{"not a student", "/course/2/student/999/state", url.Values{"state": {"handled"}, "key": {stateKey}}, 404, ""},
		{"bad id", "/course/2/student/x/state", url.Values{"state": {"handled"}, "key": {stateKey}}, 400, "not a valid student number"},
	}
	for _, tt := range bad {
		p := b.post(tt.path, tt.form)
		if p.status != tt.want || !strings.Contains(text(p.doc), tt.says) {
			t.Errorf("%s: status %d, want %d saying %q: %s", tt.name, p.status, tt.want, tt.says, text(p.doc))
		}
	}
}

func TestStateIsTheTeachersOwn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tutor := e.browser()
	tutor.signIn("kts.tutor", demo.TutorPassword)
	tq := queueIDs(t, tutor.get("/course/2/queue").doc)
	if len(tq) == 0 {
		t.Fatal("the tutor's queue is empty")
	}
	teacher := e.browser()
	teacher.signInTeacher()
	if p := teacher.post("/course/2/student/"+tq[0]+"/state", url.Values{"state": {"handled"}, "key": {stateKey}}); p.status != http.StatusSeeOther {
		t.Fatalf("teacher sets handled: %d", p.status)
	}
	if contains(queueIDs(t, teacher.get("/course/2/queue").doc), tq[0]) {
		t.Fatal("the teacher's own state did not apply")
	}
	tp := tutor.get("/course/2/queue")
	if !contains(queueIDs(t, tp.doc), tq[0]) || len(byTestID(tp.doc, "queue-aside")) != 0 {
		t.Errorf("the tutor sees the teacher's state: queue %v", queueIDs(t, tp.doc))
	}
	grid := tutor.get("/course/2")
	if n := len(byTestID(rowOf(t, grid.doc, tq[0]), "state")); n != 0 {
		t.Errorf("the tutor's grid shows the teacher's state")
	}
}

func TestGridSortByAttentionAndFlagFilter(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/course/2?flag=overdue&sort=attention")
	if p.status != http.StatusOK {
		t.Fatalf("status %d: %s", p.status, text(p.doc))
	}
	rows := byTestID(p.doc, "student-row")
	if len(rows) == 0 || attr(rows[0], "data-userid") != "30" {
		t.Fatalf("flag=overdue sorted by attention: %d rows, first %q", len(rows), attr(rows[0], "data-userid"))
	}
	for _, r := range rows {
		if !strings.Contains(text(r), "overdue") {
			t.Errorf("row %s without overdue", attr(r, "data-userid"))
		}
	}
	// The summary card links to the filter; the student link carries it for previous/next.
	home := b.get("/course/2")
	card := one(t, home.doc, "flag-card-overdue")
	if got := attr(one(t, card, "flag-filter"), "href"); got != "/course/2?flag=overdue" {
		t.Errorf("card links to %q", got)
	}
	if got := attr(one(t, rows[0], "student-link"), "href"); got != "/course/2/student/30?flag=overdue&sort=attention" {
		t.Errorf("student link %q", got)
	}
	if p := b.get("/course/2?flag=bogus"); p.status != http.StatusBadRequest || !strings.Contains(text(p.doc), "not one of the attention flags") {
		t.Errorf("flag=bogus: %d %s", p.status, text(p.doc))
	}
}

func TestMessageMarksContactedAndFollowUp(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	now.Store(seeded.Unix())
	e := newEnv(t, func(o *envOptions) { o.appNow = func() time.Time { return time.Unix(now.Load(), 0).UTC() } })
	b := e.browser()
	b.signInTeacher()
	if p := b.get("/course/2/followup"); p.status != http.StatusOK || len(byTestID(p.doc, "followup-empty")) != 1 {
		t.Fatalf("follow-up before any message: %d", p.status)
	}
	key, _ := composeKey(t, b, "userid=30&userid=14")
	p := b.post("/course/2/message", url.Values{"key": {key}, "userid": {"30", "14"}, "text": {"How are you getting on?"}, "action": {"send"}})
	if p.status != http.StatusOK {
		t.Fatalf("send: %d %s", p.status, text(p.doc))
	}
	q := b.get("/course/2/queue")
	ids := queueIDs(t, q.doc)
	if ids[len(ids)-1] != "14" && ids[len(ids)-2] != "14" || !contains(ids, "30") {
		t.Errorf("contacted students should stay in the queue, after the new ones: %v", ids)
	}
	for _, n := range byTestID(q.doc, "queue-item") {
		if id := attr(n, "data-userid"); (id == "30" || id == "14") && text(one(t, n, "state")) != "contacted" {
			t.Errorf("%s state %q", id, text(one(t, n, "state")))
		}
	}
	f := b.get("/course/2/followup")
	rows := byTestID(f.doc, "followup-row")
	if len(rows) != 2 {
		t.Fatalf("follow-up rows = %d", len(rows))
	}
	if strings.Contains(text(one(t, f.doc, "followup-due")), "1 follow") || !strings.Contains(text(one(t, f.doc, "followup-due")), "0 follow-ups due") {
		t.Errorf("due right after sending: %q", text(one(t, f.doc, "followup-due")))
	}
	// Eight days later, nobody did anything (the demo's clock stands still): both are due.
	now.Store(seeded.Add(8 * 24 * time.Hour).Unix())
	f = b.get("/course/2/followup")
	if got := text(one(t, f.doc, "followup-due")); !strings.Contains(got, "2 follow-ups due") {
		t.Errorf("after 8 days: %q", got)
	}
	if got := text(byTestID(f.doc, "followup-row")[0]); !strings.Contains(got, "follow up") {
		t.Errorf("row: %q", got)
	}
}

func TestRulesPreviewSaveAndCSV(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	g := b.get("/course/2/rules")
	if g.status != http.StatusOK || len(byTestID(g.doc, "rule-1")) != 1 {
		t.Fatalf("rules form: %d", g.status)
	}
	form := url.Values{"inactive_days": {"20"}, "off": {"behind"}, "rule_1_kind": {"not_submitted_after"}, "rule_1_cmid": {"8"}, "rule_1_days": {"0"}, "action": {"preview"}}
	p := b.post("/course/2/rules", form)
	if p.status != http.StatusOK {
		t.Fatalf("preview: %d %s", p.status, text(p.doc))
	}
	res := one(t, p.doc, "rules-preview-result")
	if !strings.Contains(text(res), "not saved") || len(byTestID(res, "preview-behind")) != 0 {
		t.Errorf("preview: %q", text(res))
	}
	overdueA3 := text(one(t, one(t, res, "preview-rule_1"), "preview-count"))
	if overdueA3 == "0" {
		t.Error("the rule flags nobody in the preview")
	}
	// Not saved yet: the CSV still has the defaults.
	if csv := b.get("/course/2/export.csv"); strings.Contains(csv.body, "rule_1") || !strings.Contains(csv.body, "behind") {
		t.Error("preview changed the CSV")
	}
	form.Set("action", "save")
	if p := b.post("/course/2/rules", form); p.status != http.StatusSeeOther || p.header.Get("Location") != "/course/2/rules?saved=1" {
		t.Fatalf("save: %d %q", p.status, p.header.Get("Location"))
	}
	csv := b.get("/course/2/export.csv").body
	if !strings.Contains(csv, "rule_1") || strings.Contains(csv, "behind") {
		t.Errorf("CSV after saving: rule_1 %v, behind %v", strings.Contains(csv, "rule_1"), strings.Contains(csv, "behind"))
	}
	grid := b.get("/course/2")
	if got := text(one(t, one(t, grid.doc, "flag-card-rule_1"), "flag-filter")); !strings.Contains(got, overdueA3) || !strings.Contains(got, "your rule 1") {
		t.Errorf("rule card %q, preview said %s", got, overdueA3)
	}
	if p := b.get("/course/2?flag=rule_1"); p.status != http.StatusOK || len(byTestID(p.doc, "student-row")) == 0 {
		t.Errorf("flag=rule_1: %d", p.status)
	}
	// The tutor keeps the defaults.
	tutor := e.browser()
	tutor.signIn("kts.tutor", demo.TutorPassword)
	if tc := tutor.get("/course/2/export.csv").body; strings.Contains(tc, "rule_1") {
		t.Error("the tutor's CSV has the teacher's rule")
	}
	bad := []struct {
		name string
		form url.Values
		says string
	}{
		{"inactive 0", url.Values{"inactive_days": {"0"}}, "“Inactive after” must be"},
		{"behind text", url.Values{"behind_percent": {"half"}}, "is not a whole number"},
		{"unknown activity", url.Values{"rule_2_kind": {"not_completed_by"}, "rule_2_cmid": {"999"}, "rule_2_date": {"2026-12-01"}}, "Rule 2: choose an activity"},
		{"bad date", url.Values{"rule_2_kind": {"not_completed_by"}, "rule_2_cmid": {"9"}, "rule_2_date": {"soon"}}, "Rule 2: the date must be"},
	}
	for _, tt := range bad {
		tt.form.Set("action", "save")
		p := b.post("/course/2/rules", tt.form)
		if p.status != http.StatusBadRequest || !strings.Contains(text(one(t, p.doc, "rules-error")), tt.says) {
			t.Errorf("%s: %d %q", tt.name, p.status, text(p.doc))
		}
	}
}

func TestChangesPage(t *testing.T) {
	t.Parallel()
	var now atomic.Int64
	now.Store(seeded.Unix())
	e := newEnv(t, func(o *envOptions) { o.appNow = func() time.Time { return time.Unix(now.Load(), 0).UTC() } })
	b := e.browser()
	b.signInTeacher()
	first := b.get("/course/2/changes")
	if first.status != http.StatusOK || !strings.Contains(text(one(t, first.doc, "changes-since")), "first visit") {
		t.Fatalf("first visit: %d %q", first.status, text(first.doc))
	}
	// Since three weeks before the seeded moment, the demo's work shows up.
	since := seeded.Add(-21 * 24 * time.Hour).Format(time.RFC3339)
	p := b.get("/course/2/changes?since=" + url.QueryEscape(since))
	if p.status != http.StatusOK || len(byTestID(p.doc, "changes-submitted")) != 1 || len(byTestID(p.doc, "changes-completed")) != 1 {
		t.Fatalf("since 3 weeks: %d, sections %q", p.status, text(p.doc))
	}
	// A reload within the hour is the same visit: still measured from the first visit's start.
	// The next day is a new visit. Nothing happened in Moodle (its clock stands still), but a
	// day went by: Emily (19), last in the course 6 days before, went quiet and is newly
	// inactive; nobody else changed.
	now.Store(seeded.Add(24 * time.Hour).Unix())
	p = b.get("/course/2/changes")
	if !strings.Contains(text(one(t, p.doc, "changes-since")), "previous visit") {
		t.Errorf("second visit: %q", text(p.doc))
	}
	quiet := byTestID(one(t, p.doc, "changes-went_quiet"), "change")
	newFlags := byTestID(one(t, p.doc, "changes-new_flag"), "change")
	if len(quiet) != 1 || !strings.Contains(text(quiet[0]), "Emily") || len(newFlags) != 1 || !strings.Contains(text(newFlags[0]), "inactive") {
		t.Errorf("changes of a day: %q", text(p.doc))
	}
	if n := len(byTestID(p.doc, "change")); n != 2 {
		t.Errorf("%d changes, want 2", n)
	}
	// The course page sums it up.
	if got := text(one(t, b.get("/course/2").doc, "changes-summary")); !strings.Contains(got, "1 student went quiet, 1 new flag.") {
		t.Errorf("summary: %q", got)
	}
	// A third visit an hour later: nothing new since the second.
	now.Store(seeded.Add(26 * time.Hour).Unix())
	if p := b.get("/course/2/changes"); len(byTestID(p.doc, "no-changes")) != 1 {
		t.Errorf("third visit: %q", text(p.doc))
	}
	for _, bad := range []string{"yesterday", seeded.Add(48 * time.Hour).Format(time.RFC3339)} {
		if p := b.get("/course/2/changes?since=" + url.QueryEscape(bad)); p.status != http.StatusBadRequest {
			t.Errorf("since=%s: %d", bad, p.status)
		}
	}
}

func TestThisWeek(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	p := b.get("/")
	courses := byTestID(p.doc, "week-course")
	if len(courses) == 0 {
		t.Fatal("no week section")
	}
	for _, c := range courses {
		if len(byTestID(c, "week-not-loaded")) != 1 {
			t.Errorf("course %s counted before it was loaded", attr(c, "data-courseid"))
		}
	}
	b.get("/course/2")
	p = b.get("/")
	for _, c := range byTestID(p.doc, "week-course") {
		loaded := len(byTestID(c, "week-not-loaded")) == 0
		if (attr(c, "data-courseid") == "2") != loaded {
			t.Errorf("course %s loaded = %v", attr(c, "data-courseid"), loaded)
		}
		if attr(c, "data-courseid") == "2" {
			if got := attr(one(t, c, "week-new"), "href"); got != "/course/2/queue" {
				t.Errorf("new link %q", got)
			}
			if got := text(one(t, c, "week-new")); !strings.HasPrefix(got, "0 newly") {
				t.Errorf("right after a visit: %q", got)
			}
			if got := text(one(t, c, "week-waiting")); strings.HasPrefix(got, "0 ") {
				t.Errorf("KTS101 has work waiting for a grade: %q", got)
			}
		}
	}
}

// swapMemory lets a test reopen the store under a running dashboard: a restart of what keeps
// the state, with the same Moodle site (the state is keyed by its URL).
type swapMemory struct {
	mu sync.Mutex
	m  attention.Memory
}

func (s *swapMemory) get() attention.Memory  { s.mu.Lock(); defer s.mu.Unlock(); return s.m }
func (s *swapMemory) set(m attention.Memory) { s.mu.Lock(); s.m = m; s.mu.Unlock() }
func (s *swapMemory) Marks(ctx context.Context, k attention.Key) (map[int64]attention.Mark, error) {
	return s.get().Marks(ctx, k)
}
func (s *swapMemory) SetMarks(ctx context.Context, k attention.Key, m []attention.Mark) error {
	return s.get().SetMarks(ctx, k, m)
}
func (s *swapMemory) Visit(ctx context.Context, k attention.Key, now time.Time, f attention.Snapshot) (attention.Visit, error) {
	return s.get().Visit(ctx, k, now, f)
}
func (s *swapMemory) LastVisit(ctx context.Context, k attention.Key) (attention.Visit, error) {
	return s.get().LastVisit(ctx, k)
}
func (s *swapMemory) Rules(ctx context.Context, k attention.Key) (attention.Rules, error) {
	return s.get().Rules(ctx, k)
}
func (s *swapMemory) SetRules(ctx context.Context, k attention.Key, r attention.Rules, now time.Time) error {
	return s.get().SetRules(ctx, k, r, now)
}
func (s *swapMemory) Contacts(ctx context.Context, k attention.Key) ([]attention.Contact, error) {
	return s.get().Contacts(ctx, k)
}
func (s *swapMemory) AddContacts(ctx context.Context, k attention.Key, cs []attention.Contact) error {
	return s.get().AddContacts(ctx, k, cs)
}

func TestStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st := storetest.Open(t, "", dir)
	mem := &swapMemory{m: st.Memory()}
	e := newEnv(t, func(o *envOptions) { o.memory = mem })
	b := e.browser()
	b.signInTeacher()
	b.post("/course/2/student/30/state", url.Values{"state": {"handled"}, "key": {stateKey}})
	b.post("/course/2/rules", url.Values{"off": {"behind"}, "action": {"save"}})
	if !strings.Contains(b.get("/course/2/export.csv").body, "never_accessed") {
		t.Fatal("the CSV has no flags at all: the test checks nothing")
	}
	st.Close()
	mem.set(storetest.Open(t, "", dir).Memory())
	b2 := e.browser()
	b2.signInTeacher()
	if contains(queueIDs(t, b2.get("/course/2/queue").doc), "30") {
		t.Error("the state did not survive a restart")
	}
	if strings.Contains(b2.get("/course/2/export.csv").body, "behind") {
		t.Error("the rules did not survive a restart")
	}
}

func TestStudentPreviousNext(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	ids := queueIDs(t, b.get("/course/2/queue").doc)
	p := b.get("/course/2/student/" + ids[1] + "?from=queue")
	if p.status != http.StatusOK {
		t.Fatalf("student: %d", p.status)
	}
	if got := attr(one(t, p.doc, "student-prev"), "href"); got != "/course/2/student/"+ids[0]+"?from=queue" {
		t.Errorf("previous in the queue = %q", got)
	}
	if got := attr(one(t, p.doc, "student-next"), "href"); got != "/course/2/student/"+ids[2]+"?from=queue" {
		t.Errorf("next in the queue = %q", got)
	}
	// Within the grid's filter and sort, as its links carry them.
	grid := byTestID(b.get("/course/2?flag=overdue&sort=attention").doc, "student-row")
	second := attr(grid[1], "data-userid")
	p = b.get("/course/2/student/" + second + "?flag=overdue&sort=attention")
	if got := attr(one(t, p.doc, "student-prev"), "href"); got != "/course/2/student/"+attr(grid[0], "data-userid")+"?flag=overdue&sort=attention" {
		t.Errorf("previous in the list = %q", got)
	}
	if got := text(one(t, p.doc, "student-nav")); !strings.Contains(got, "2 of "+strconv.Itoa(len(grid))) {
		t.Errorf("nav = %q", got)
	}
}

func TestMemoryPagesFragments(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := e.browser()
	b.signInTeacher()
	for path, id := range map[string]string{"/course/2/queue": "queue", "/course/2/changes": "changes", "/course/2/followup": "followup", "/course/2/rules": "rules"} {
		full := b.get(path)
		if full.status != http.StatusOK || len(byTestID(full.doc, id)) != 1 || !strings.Contains(full.body, "site-header") {
			t.Errorf("%s: status %d, #%s %d, layout %v", path, full.status, id, len(byTestID(full.doc, id)), strings.Contains(full.body, "site-header"))
		}
		h1 := findAll(full.doc, func(n *html.Node) bool { return n.Data == "h1" })
		if len(h1) != 1 {
			t.Errorf("%s: %d h1", path, len(h1))
		}
		frag := b.get(path, "HX-Request", "true")
		if frag.status != http.StatusOK || len(byTestID(frag.doc, id)) != 1 || strings.Contains(frag.body, "site-header") {
			t.Errorf("%s with HX-Request: status %d, #%s %d, layout %v", path, frag.status, id, len(byTestID(frag.doc, id)), strings.Contains(frag.body, "site-header"))
		}
	}
	// Signed out: sent to sign in, like every course page.
	out := e.browser().get("/course/2/queue")
	if out.status != http.StatusSeeOther || !strings.HasPrefix(out.header.Get("Location"), "/signin?next=") {
		t.Errorf("signed out: %d %q", out.status, out.header.Get("Location"))
	}
	if p := b.get("/course/999/queue"); p.status != http.StatusNotFound {
		t.Errorf("a course Moodle does not show: %d", p.status)
	}
}
