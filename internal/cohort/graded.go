package cohort

import (
	"slices"
	"strings"

	"github.com/knowthystudents/kts/internal/htmltext"
	"github.com/knowthystudents/kts/internal/moodle"
)

// gradableModules are the core activity types that can carry a grade item other than an
// assignment (whose grades come from mod_assign): a course without one of them has no
// reason to ask for the grade report.
var gradableModules = []string{"quiz", "forum", "lti", "workshop", "lesson", "scorm", "h5pactivity", "glossary", "data"}

// HasGradable reports whether the course has an activity, other than an assignment, that
// may be graded: the loader asks for the grade report only then.
func HasGradable(sections []moodle.Section) bool {
	for _, s := range sections {
		for _, m := range s.Modules {
			if slices.Contains(gradableModules, m.ModName) {
				return true
			}
		}
	}
	return false
}

// GradedActivity is an activity, other than an assignment, that has a grade item in Moodle's
// gradebook: a column a teacher may add to the cohort view.
type GradedActivity struct {
	CMID    int64
	Name    string
	ModName string
}

// GradeCell is one student's grade in one graded activity, as Moodle's user report shows
// it.
type GradeCell struct {
	// Grade is Moodle's formatted grade ("8.00", "B", "Satisfactory"); empty: no grade.
	Grade string
	// Result is pass or fail when the grade item has a grade to pass and there is a grade;
	// otherwise empty.
	Result GradeResult
}

// buildGraded lists the graded activities other than assignments, in course order, and gives
// each student one cell per activity, in the same order. Grade items of the gradebook
// without an activity (the course total, manual items) and those of assignments are left
// out: assignments have their own columns.
func (c *Cohort) buildGraded(r *moodle.GradeItemsReply) {
	if r == nil {
		return
	}
	items := map[int64]moodle.GradeItem{} // cmid → one item, for its name
	for _, ug := range r.UserGrades {
		for _, gi := range ug.GradeItems {
			if gi.ItemType == "mod" && gi.ItemModule != "assign" && gi.CMID != 0 && gi.ItemNumber == 0 {
				if _, ok := items[gi.CMID]; !ok {
					items[gi.CMID] = gi
				}
			}
		}
	}
	if len(items) == 0 {
		return
	}
	col := map[int64]int{}
	for _, m := range c.Modules {
		gi, ok := items[m.CMID]
		if !ok {
			continue
		}
		name := m.Name
		if name == "" && gi.ItemName != nil {
			name = *gi.ItemName
		}
		col[m.CMID] = len(c.Graded)
		c.Graded = append(c.Graded, GradedActivity{CMID: m.CMID, Name: name, ModName: gi.ItemModule})
	}
	if len(c.Graded) == 0 {
		return
	}
	for i := range c.Students {
		c.Students[i].Grades = make([]GradeCell, len(c.Graded))
	}
	for _, ug := range r.UserGrades {
		si, ok := c.byID[ug.UserID]
		if !ok {
			continue
		}
		for _, gi := range ug.GradeItems {
			j, ok := col[gi.CMID]
			if !ok || gi.ItemType != "mod" || gi.ItemNumber != 0 {
				continue
			}
			c.Students[si].Grades[j] = gradeCell(gi)
		}
	}
}

func gradeCell(gi moodle.GradeItem) GradeCell {
	g := strings.TrimSpace(htmltext.Text(gi.GradeFormatted))
	if g == "-" || g == "" {
		return GradeCell{}
	}
	cell := GradeCell{Grade: g}
	if pass, ok := gi.Pass(); ok {
		cell.Result = ResultFail
		if pass {
			cell.Result = ResultPass
		}
	}
	return cell
}

// GradedByCMID returns the index of the graded activity with that cmid in Graded, or -1.
func (c *Cohort) GradedByCMID(cmid int64) int {
	return slices.IndexFunc(c.Graded, func(g GradedActivity) bool { return g.CMID == cmid })
}
