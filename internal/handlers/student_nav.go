package handlers

import (
	"net/http"
	"slices"

	"github.com/knowthystudents/kts/internal/attention"
	"github.com/knowthystudents/kts/views"
)

// studentNav is previous/next for the student page: within this teacher's queue with
// ?from=queue, else within the cohort query the page's URL carries (the grid's links carry
// theirs). A malformed query gives no navigation rather than an error on the student page.
func (s *server) studentNav(r *http.Request, cd *courseData, uid int64) views.StudentNav {
	path := views.CoursePath(cd.id)
	var (
		ids []int64
		nav views.StudentNav
	)
	if fromQueue(r.URL.Query()) {
		ids = attention.BuildQueue(cd.cohort, s.marks(r, cd.id), s.Now()).IDs()
		nav = views.StudentNav{Within: "in your attention queue", BackHref: views.QueueHref(cd.id, uid, false)}
		prev, next := attention.Neighbours(ids, uid)
		if prev != 0 {
			nav.PrevHref = views.StudentFromQueue(cd.id, prev, false)
		}
		if next != 0 {
			nav.NextHref = views.StudentFromQueue(cd.id, next, false)
		}
	} else {
		q, err := parseCohortQuery(r.URL.Query(), cd.cohort)
		if err != nil {
			return views.StudentNav{}
		}
		for _, st := range cd.cohort.Rows(q) {
			ids = append(ids, st.ID)
		}
		nav = views.StudentNav{Within: "in this list", BackHref: views.WithQuery(path, q)}
		prev, next := attention.Neighbours(ids, uid)
		if prev != 0 {
			nav.PrevHref = views.WithQuery(views.StudentPath(cd.id, prev), q)
		}
		if next != 0 {
			nav.NextHref = views.WithQuery(views.StudentPath(cd.id, next), q)
		}
	}
	if i := slices.Index(ids, uid); i >= 0 {
		nav.Pos, nav.Of = i+1, len(ids)
	}
	return nav
}
