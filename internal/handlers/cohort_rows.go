package handlers

import (
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/knowthystudents/kts/views"
)

// jsCookie is set by static/js/kts.js: the browser runs scripts, so a page may arrive in
// parts and fill itself in.
const jsCookie = "kts_js"

// pollWait is how long a poll of a page that is filling in waits for something new.
const pollWait = 4 * time.Second

// progressive reports whether the response may be a page that fills itself in: the browser
// runs scripts and the loader keeps loads for the polls that follow.
func (s *server) progressive(r *http.Request) bool {
	c, err := r.Cookie(jsCookie)
	return err == nil && c.Value == "1" && s.Loader.Progressive()
}

// cohortRows is what a cohort page that is still filling in polls (internal, htmx only):
// it waits until the course load in flight has something newer than version v, then answers
// with the results for the page's query, and the head and summary out of band. While more
// is coming the results carry the next poll. A browser that asks for it directly is sent to
// the page.
func (s *server) cohortRows(w http.ResponseWriter, r *http.Request) error {
	id, err := parseID(chi.URLParam(r, "courseid"), "course")
	if err != nil {
		return err
	}
	if !isFragment(r) {
		http.Redirect(w, r, views.CoursePath(id)+pageQuery(r.URL.Query()), http.StatusSeeOther)
		return nil
	}
	version, err := parseVersion(r.URL.Query())
	if err != nil {
		return err
	}
	lv, err := s.Loader.CourseAfter(r.Context(), userFrom(r).Credentials, id, version, pollWait)
	if err != nil {
		return err
	}
	v, err := s.cohortView(r, s.courseData(r, id, lv))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, views.CohortPoll(v))
	return nil
}

// pageQuery keeps the page's own parameters of a cohortRows address (not v).
func pageQuery(v url.Values) string {
	v = cloneValues(v)
	v.Del("v")
	if enc := v.Encode(); enc != "" {
		return "?" + enc
	}
	return ""
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
