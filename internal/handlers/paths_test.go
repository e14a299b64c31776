package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/moodle"
	"github.com/knowthystudents/kts/internal/store/storetest"
	"github.com/knowthystudents/kts/static"
	"github.com/knowthystudents/kts/views"
)

// routesOnly is the dashboard's real router, for matching addresses (nothing is served).
func routesOnly(t testing.TB) *chi.Mux {
	t.Helper()
	mc, err := moodle.New("http://127.0.0.1:9", moodle.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	h := New(Deps{Moodle: mc, Assets: static.New(), Store: storetest.Open(t, "", t.TempDir()),
		Sessions: auth.NewSessionManager(auth.SessionOptions{Idle: time.Hour, Lifetime: time.Hour})})
	mux, ok := h.(*chi.Mux)
	if !ok {
		t.Fatalf("New returns a %T, not the chi router", h)
	}
	return mux
}

// link is an address as the handlers read it: the route it reaches, its ids parsed by
// parseID, its query and fragment.
type link struct {
	route              string
	course, user, cmid int64
	query              url.Values
	fragment           string
}

// parseLink reads href the way a request for it is read: routed by mux, each id through
// parseID, the query strictly (as strictQuery does).
func parseLink(t *testing.T, mux *chi.Mux, method, href string) link {
	t.Helper()
	u, err := url.Parse(href)
	if err != nil {
		t.Fatalf("%s does not parse: %v", href, err)
	}
	rctx := chi.NewRouteContext()
	l := link{route: mux.Find(rctx, method, u.Path), fragment: u.Fragment}
	if l.route == "" {
		t.Fatalf("%s %s reaches no route", method, href)
	}
	ids := map[string]*int64{"courseid": &l.course, "userid": &l.user, "cmid": &l.cmid}
	for i, k := range rctx.URLParams.Keys {
		if k == "*" { // what a mounted router leaves to its subrouter
			continue
		}
		p, ok := ids[k]
		if !ok {
			t.Fatalf("%s: unexpected route parameter %s", href, k)
		}
		if *p, err = parseID(rctx.URLParams.Values[i], k); err != nil {
			t.Fatalf("%s: %s: %v", href, k, err)
		}
	}
	if l.query, err = url.ParseQuery(u.RawQuery); err != nil {
		t.Fatalf("%s: the query does not parse strictly: %v", href, err)
	}
	return l
}

// TestPathsRoundTrip: every address views/paths.go builds reaches the route it is meant for,
// and what the handlers parse from it builds the same address again.
func TestPathsRoundTrip(t *testing.T) {
	t.Parallel()
	mux := routesOnly(t)
	c := kts101(t)
	must := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cq := func(t *testing.T, l link) cohort.Query {
		t.Helper()
		q, err := parseCohortQuery(l.query, c)
		must(t, err)
		return q
	}
	page := func(t *testing.T, l link) int {
		t.Helper()
		n, err := parsePage(l.query)
		must(t, err)
		return n
	}
	queries := []cohort.Query{
		{},
		{Group: groupA, Search: "O'Brien & co", Attention: true, Suspended: true, Sort: "8", Desc: true},
		{Flag: cohort.FlagFailed, Sort: cohort.SortAttention},
		{Group: groupB, Sort: cohort.SortCompletion, Cols: []int64{8, 6}},
		{Search: "zoë a/b?c#d"},
	}
	type rebuild func(t *testing.T, l link) string
	type tc struct {
		method, href, route string
		again               rebuild
	}
	var cases []tc
	add := func(method, href, route string, again rebuild) {
		cases = append(cases, tc{method, href, "/course/{courseid}" + route, again})
	}
	for _, q := range queries {
		add("GET", views.WithQuery(views.CoursePath(2), q), "", func(t *testing.T, l link) string {
			return views.WithQuery(views.CoursePath(l.course), cq(t, l))
		})
		add("GET", views.PageHref(q, views.CoursePath(2), 3), "", func(t *testing.T, l link) string {
			return views.PageHref(cq(t, l), views.CoursePath(l.course), page(t, l))
		})
		add("GET", views.PollHref(2, q, 2, 17), "/rows", func(t *testing.T, l link) string {
			v, err := parseVersion(l.query)
			must(t, err)
			return views.PollHref(l.course, cq(t, l), page(t, l), v)
		})
		add("GET", views.WithQuery(views.StudentPath(2, 14), q), "/student/{userid}", func(t *testing.T, l link) string {
			return views.WithQuery(views.StudentPath(l.course, l.user), cq(t, l))
		})
		add("GET", views.WithQuery(views.ExportCSVPath(2), q), "/export.csv", func(t *testing.T, l link) string {
			return views.WithQuery(views.ExportCSVPath(l.course), cq(t, l))
		})
		add("GET", views.WithQuery(views.ExportXLSXPath(2), q), "/export.xlsx", func(t *testing.T, l link) string {
			return views.WithQuery(views.ExportXLSXPath(l.course), cq(t, l))
		})
		add("GET", views.WithQuery(views.ActivitiesCSVPath(2), q), "/activities.csv", func(t *testing.T, l link) string {
			return views.WithQuery(views.ActivitiesCSVPath(l.course), cq(t, l))
		})
		add("GET", views.WithQuery(views.ActivityPath(2, 7), q), "/activity/{cmid}", func(t *testing.T, l link) string {
			return views.WithQuery(views.ActivityPath(l.course, l.cmid), cq(t, l))
		})
		add("GET", views.MessageHref(2, q, ""), "/message", func(t *testing.T, l link) string {
			return views.MessageHref(l.course, cq(t, l), "")
		})
		add("GET", views.MessageHref(2, q, cohort.FlagOverdue), "/message", func(t *testing.T, l link) string {
			return views.MessageHref(l.course, cq(t, l), "")
		})
	}
	plain := func(build func(int64) string) rebuild {
		return func(t *testing.T, l link) string { return build(l.course) }
	}
	add("GET", views.ActivitiesPath(2), "/activities", plain(views.ActivitiesPath))
	add("GET", views.QueuePath(2), "/queue", plain(views.QueuePath))
	add("GET", views.ChangesPath(2), "/changes", plain(views.ChangesPath))
	add("GET", views.FollowUpPath(2), "/followup", plain(views.FollowUpPath))
	add("GET", views.RulesPath(2), "/rules", plain(views.RulesPath))
	add("POST", views.RulesPath(2), "/rules", plain(views.RulesPath))
	add("GET", views.MessagePath(2), "/message", plain(views.MessagePath))
	add("POST", views.MessagePath(2), "/message", plain(views.MessagePath))
	add("POST", views.MessageNotePath(2), "/message/note", plain(views.MessageNotePath))
	add("POST", views.RefreshPath(2), "/refresh", plain(views.RefreshPath))
	add("POST", views.ColumnsPath(2), "/columns", plain(views.ColumnsPath))
	add("GET", views.RulesSaved(2), "/rules", func(t *testing.T, l link) string {
		if !saidSaved(l.query) {
			t.Error("saved=1 not read")
		}
		return views.RulesSaved(l.course)
	})
	for _, at := range []int64{0, 14} {
		for _, saved := range []bool{false, true} {
			add("GET", views.QueueHref(2, at, saved), "/queue", func(t *testing.T, l link) string {
				at, err := parseAt(l.query)
				must(t, err)
				return views.QueueHref(l.course, at, saidSaved(l.query))
			})
		}
	}
	for _, notes := range []bool{false, true} {
		add("GET", views.StudentFromQueue(2, 14, notes), "/student/{userid}", func(t *testing.T, l link) string {
			if !fromQueue(l.query) {
				t.Error("from=queue not read")
			}
			return views.StudentFromQueue(l.course, l.user, l.fragment == "notes-h")
		})
	}
	add("GET", views.StudentNoteAdded(2, 14), "/student/{userid}", func(t *testing.T, l link) string {
		if !noteAdded(l.query) || l.fragment != "notes-h" {
			t.Error("note=added#notes-h not read")
		}
		return views.StudentNoteAdded(l.course, l.user)
	})
	add("POST", views.StudentNotesPath(2, 14), "/student/{userid}/notes", func(t *testing.T, l link) string {
		return views.StudentNotesPath(l.course, l.user)
	})
	add("POST", views.StudentStatePath(2, 14), "/student/{userid}/state", func(t *testing.T, l link) string {
		return views.StudentStatePath(l.course, l.user)
	})
	recipients := func(t *testing.T, l link) []int64 {
		var ids []int64
		for _, raw := range l.query[views.ParamUserID] {
			id, err := parseID(raw, "student")
			must(t, err)
			ids = append(ids, id)
		}
		return ids
	}
	add("GET", views.MessageTo(2, 14), "/message", func(t *testing.T, l link) string {
		ids := recipients(t, l)
		if len(ids) != 1 {
			t.Fatalf("recipients %v, want one", ids)
		}
		return views.MessageTo(l.course, ids[0])
	})
	add("GET", views.MessageToAll(2, []int64{14, 6, 9}), "/message", func(t *testing.T, l link) string {
		return views.MessageToAll(l.course, recipients(t, l))
	})

	for _, tt := range cases {
		t.Run(tt.method+" "+tt.href, func(t *testing.T) {
			t.Parallel()
			l := parseLink(t, mux, tt.method, tt.href)
			if l.route != tt.route {
				t.Errorf("reaches %s, want %s", l.route, tt.route)
			}
			if got := tt.again(t, l); got != tt.href {
				t.Errorf("parsed and built again: %s", got)
			}
		})
	}
}

// FuzzPathsRoundTrip: for any ids, the student, activity and queue addresses reach their
// routes and their ids parse back (a non-positive id is not an id: parseID refuses it).
func FuzzPathsRoundTrip(f *testing.F) {
	for _, seed := range [][3]int64{{2, 14, 7}, {1, 1, 1}, {1 << 62, 9, 1<<63 - 1}} {
		f.Add(seed[0], seed[1], seed[2])
	}
	mux := routesOnly(f)
	f.Fuzz(func(t *testing.T, course, user, cmid int64) {
		if course <= 0 || user <= 0 || cmid <= 0 {
			t.Skip()
		}
		for _, href := range []string{views.StudentPath(course, user), views.ActivityPath(course, cmid), views.QueueHref(course, user, true)} {
			l := parseLink(t, mux, http.MethodGet, href)
			if l.course != course || (strings.Contains(l.route, "{userid}") && l.user != user) ||
				(strings.Contains(l.route, "{cmid}") && l.cmid != cmid) {
				t.Errorf("%s parses to %+v", href, l)
			}
			if at, err := parseAt(l.query); l.route == "/course/{courseid}/queue" && (err != nil || at != user) {
				t.Errorf("%s: at = %d, %v", href, at, err)
			}
		}
	})
}
