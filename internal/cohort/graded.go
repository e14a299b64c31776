package cohort

import "slices"

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
	// Grade is Moodle's formatted grade as text ("8.00", "B", "Satisfactory"); empty: no
	// grade.
	Grade string
	// Result is pass or fail when the grade item has a grade to pass and there is a grade;
	// otherwise empty.
	Result GradeResult
}

// buildGraded lists the graded activities other than assignments, in course order, and gives
// each student one cell per activity, in the same order. An item of an activity the course
// outline does not list is left out.
func (c *Cohort) buildGraded(grades []GradeItem) {
	if len(grades) == 0 {
		return
	}
	items := map[int64]GradeItem{} // cmid → one item, for its name
	for _, gi := range grades {
		if _, ok := items[gi.CMID]; !ok {
			items[gi.CMID] = gi
		}
	}
	col := map[int64]int{}
	for _, m := range c.Modules {
		gi, ok := items[m.CMID]
		if !ok {
			continue
		}
		name := m.Name
		if name == "" {
			name = gi.Name
		}
		col[m.CMID] = len(c.Graded)
		c.Graded = append(c.Graded, GradedActivity{CMID: m.CMID, Name: name, ModName: gi.ModName})
	}
	if len(c.Graded) == 0 {
		return
	}
	for i := range c.Students {
		c.Students[i].Grades = make([]GradeCell, len(c.Graded))
	}
	for _, gi := range grades {
		si, ok := c.byID[gi.UserID]
		if !ok {
			continue
		}
		if j, ok := col[gi.CMID]; ok {
			c.Students[si].Grades[j] = gi.Cell
		}
	}
}

// GradedByCMID returns the index of the graded activity with that cmid in Graded, or -1.
func (c *Cohort) GradedByCMID(cmid int64) int {
	return slices.IndexFunc(c.Graded, func(g GradedActivity) bool { return g.CMID == cmid })
}
