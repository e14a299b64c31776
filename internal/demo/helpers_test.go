package demo_test

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/demo"
)

// testNow anchors test sites: 2026-11-22T19:44:48Z, the main recording's
// seededat.
var testNow = time.Unix(1795376688, 0).UTC()

// server is a demo site behind a real httptest server.
type server struct {
	site *demo.Site
	url  string
	acc  map[string]demo.Account
}

func newServer(t *testing.T, opts demo.Options) *server {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = testNow
	}
	site := demo.New(opts)
	srv := httptest.NewServer(site.Handler())
	t.Cleanup(srv.Close)
	s := &server{site: site, url: srv.URL, acc: map[string]demo.Account{}}
	for _, a := range site.Accounts() {
		s.acc[a.Username] = a
	}
	return s
}

// as returns a client using the account's mobile-app token.
func (s *server) as(t *testing.T, username string) *client {
	return &client{t: t, s: s, token: s.acc[username].Token}
}

type client struct {
	t     *testing.T
	s     *server
	token string
}

// raw calls a web-service function and returns the body.
func (c *client) raw(fn string, kv ...string) []byte {
	c.t.Helper()
	form := url.Values{"wstoken": {c.token}, "wsfunction": {fn}, "moodlewsrestformat": {"json"}}
	for i := 0; i+1 < len(kv); i += 2 {
		form.Set(kv[i], kv[i+1])
	}
	return post(c.t, c.s.url+"/webservice/rest/server.php", form)
}

// get calls fn and decodes the reply into v, failing on an exception.
func (c *client) get(v any, fn string, kv ...string) {
	c.t.Helper()
	body := c.raw(fn, kv...)
	if code := errorCode(body); code != "" {
		c.t.Fatalf("%s: exception %s: %s", fn, code, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		c.t.Fatalf("%s: %v: %s", fn, err, body)
	}
}

// errorCode returns the errorcode of an exception body, "" otherwise.
func errorCode(body []byte) string {
	var e struct {
		Exception string `json:"exception"`
		Errorcode string `json:"errorcode"`
	}
	if json.Unmarshal(body, &e) != nil || e.Exception == "" {
		return ""
	}
	return e.Errorcode
}

// wantError calls fn and requires the exception code.
func (c *client) wantError(code, fn string, kv ...string) {
	c.t.Helper()
	body := c.raw(fn, kv...)
	if got := errorCode(body); got != code {
		c.t.Fatalf("%s: errorcode %q, want %q: %.300s", fn, got, code, body)
	}
}

type enrolledUser struct {
	ID               int    `json:"id"`
	Fullname         string `json:"fullname"`
	Email            string `json:"email"`
	Firstaccess      int64  `json:"firstaccess"`
	Lastaccess       int64  `json:"lastaccess"`
	Lastcourseaccess int64  `json:"lastcourseaccess"`
	Groups           []struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	} `json:"groups"`
	Roles []struct {
		Shortname string `json:"shortname"`
	} `json:"roles"`
}

func ids(users []enrolledUser) []int {
	out := make([]int, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

type activityStatus struct {
	Cmid          int   `json:"cmid"`
	State         int   `json:"state"`
	Timecompleted int64 `json:"timecompleted"`
	Overrideby    *int  `json:"overrideby"`
	Details       []struct {
		Rulename  string `json:"rulename"`
		Rulevalue struct {
			Status int `json:"status"`
		} `json:"rulevalue"`
	} `json:"details"`
}

func (c *client) completion(courseID, userID string) []activityStatus {
	c.t.Helper()
	var r struct {
		Statuses []activityStatus `json:"statuses"`
	}
	c.get(&r, "core_completion_get_activities_completion_status", "courseid", courseID, "userid", userID)
	return r.Statuses
}

type submissionRec struct {
	ID            int    `json:"id"`
	Userid        int    `json:"userid"`
	Status        string `json:"status"`
	Timemodified  int64  `json:"timemodified"`
	Gradingstatus string `json:"gradingstatus"`
}

type submissionsReply struct {
	Assignments []struct {
		Assignmentid int             `json:"assignmentid"`
		Submissions  []submissionRec `json:"submissions"`
	} `json:"assignments"`
	Warnings []struct {
		Item        string `json:"item"`
		Itemid      int    `json:"itemid"`
		Warningcode string `json:"warningcode"`
		Message     string `json:"message"`
	} `json:"warnings"`
}
