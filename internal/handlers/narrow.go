package handlers

import (
	"net/http"
	"strconv"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/compose"
	"github.com/knowthystudents/kts/views"
)

// tooManyRecipients is a selection over the recipient cap: the compose page says so and
// offers smaller selections, instead of an error page.
type tooManyRecipients struct {
	n, max int
	q      cohort.Query
	flag   cohort.FlagCode
}

func (e *tooManyRecipients) Error() string {
	return "one message can go to at most " + strconv.Itoa(e.max) + " students; " + strconv.Itoa(e.n) + " are selected"
}

// renderNarrow is the compose page for a selection over the cap: the sentence, and links to the
// flags and groups that narrow it to a size one message can take.
func (s *server) renderNarrow(w http.ResponseWriter, r *http.Request, c *cohort.Cohort, tm *tooManyRecipients) error {
	path := views.CoursePath(c.Course.ID)
	v := views.ComposeView{CourseID: c.Course.ID, CourseName: c.Course.FullName, Path: path, Max: s.MaxRecipients,
		TooMany: tm.n, BackHref: views.WithQuery(path, tm.q)}
	for _, n := range compose.Narrow(c, tm.q, tm.flag, s.MaxRecipients) {
		label := n.Label
		if l, ok := views.FlagLabels[cohort.FlagCode(n.Label)]; ok && n.Flag == cohort.FlagCode(n.Label) {
			label = "only those " + l
		}
		v.Narrow = append(v.Narrow, views.NarrowLink{Label: label, Count: n.Count, Href: views.MessageHref(c.Course.ID, n.Query, n.Flag)})
	}
	return s.renderCompose(w, r, c, http.StatusOK, v)
}
