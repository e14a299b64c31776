package cohort

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// staffRoles returns the role shortnames of course staff. They keep a participant out of the
// cohort even alongside a student role: a teacher testing as a student is not a student.
func staffRoles() []string { return []string{"editingteacher", "teacher", "manager", "coursecreator"} }

// Build turns what the loader fetched for one course into the cohort a teacher reads, as of
// now. It never fails: parts that did not load leave their fields unknown (completion not
// loaded, statuses unknown) instead of turning into false alarms. Zero thresholds in cfg
// take their defaults.
func Build(in Input, now time.Time, cfg Config) *Cohort {
	c := &Cohort{
		Course:  in.Course,
		Now:     now,
		Config:  cfg.withDefaults(),
		Missing: slices.Clone(in.Missing),
	}
	c.buildModules(in.Sections)
	c.buildGroups(in.Groups)
	names := c.buildStudents(in.Roster, in.ActiveIDs)
	c.buildAssignments(in.Assignments, in.Submissions)
	idx := newAssignIndex(in, c)
	c.fillAssignments(idx, now)
	c.buildGraded(in.GradeItems)
	c.fillCompletion(in.Completion, in.CourseCompleted, names)
	c.fillFlags()
	return c
}

// hasRole reports whether roles holds one of the shortnames.
func hasRole(roles []string, shortnames ...string) bool {
	for _, r := range roles {
		if slices.Contains(shortnames, r) {
			return true
		}
	}
	return false
}

// buildModules lists the course's modules in course order and indexes those with completion.
func (c *Cohort) buildModules(sections []Section) {
	c.modIndex = make(map[int64]int)
	c.actIndex = make(map[int64]int)
	for _, sec := range sections {
		name := sec.Name
		if name == "" {
			name = "Section " + strconv.Itoa(sec.Number)
		}
		for _, m := range sec.Modules {
			a := Activity{
				CMID: m.CMID, Name: m.Name, ModName: m.ModName, Section: name, SectionNumber: sec.Number,
				Completion: m.Tracking, Visible: m.Visible, URL: m.URL,
			}
			if _, dup := c.modIndex[a.CMID]; dup {
				continue
			}
			c.modIndex[a.CMID] = len(c.Modules)
			c.Modules = append(c.Modules, a)
			if a.HasCompletion() {
				c.actIndex[a.CMID] = len(c.Activities)
				c.Activities = append(c.Activities, a)
			}
		}
	}
}

// buildGroups keeps the selector's groups, without "All participants" (id 0).
func (c *Cohort) buildGroups(groups []Group) {
	c.groupIDs = make(map[int64]bool, len(groups))
	for _, g := range groups {
		if g.ID <= 0 || c.groupIDs[g.ID] {
			continue
		}
		c.groupIDs[g.ID] = true
		c.Groups = append(c.Groups, g)
	}
}

// buildStudents keeps the roster's students, sorted by name then id, and returns every
// participant's name by id (staff included) to name who overrode a completion.
func (c *Cohort) buildStudents(roster []Participant, active map[int64]bool) map[int64]string {
	names := make(map[int64]string, len(roster))
	c.Students = make([]Student, 0, len(roster))
	for _, u := range roster {
		if _, dup := names[u.ID]; dup {
			continue
		}
		names[u.ID] = u.FullName
		if !hasRole(u.Roles, "student") || hasRole(u.Roles, staffRoles()...) {
			continue
		}
		s := Student{
			ID: u.ID, FullName: u.FullName, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email,
			ProfileImageURL: u.ProfileImageURL, Suspended: active != nil && !active[u.ID],
			LastCourseAccess: u.LastCourseAccess, FirstAccess: u.FirstAccess, LastAccess: u.LastAccess,
		}
		s.Groups = append(s.Groups, u.Groups...)
		slices.SortFunc(s.Groups, func(a, b Group) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
		c.Students = append(c.Students, s)
	}
	keys := make([]studentKey, len(c.Students))
	for i, s := range c.Students {
		name := fold(s.FullName)
		keys[i] = studentKey{name: name, search: name + "\x00" + fold(s.Email)}
	}
	order := make([]int, len(c.Students))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(keys[a].name, keys[b].name), cmp.Compare(c.Students[a].ID, c.Students[b].ID))
	})
	sorted := make([]Student, len(order))
	c.keys = make([]studentKey, len(order))
	c.byID = make(map[int64]int, len(order))
	for i, j := range order {
		sorted[i], c.keys[i] = c.Students[j], keys[j]
		c.byID[sorted[i].ID] = i
		if sorted[i].Suspended {
			c.SuspendedCount++
		} else {
			c.ActiveCount++
		}
	}
	c.Students = sorted
	return names
}

// buildAssignments orders the assignments as the course does; one the course contents do not
// list (contents not loaded) goes last.
func (c *Cohort) buildAssignments(in []AssignmentInfo, subs []AssignmentSubmissions) {
	loaded := map[int64]bool{}
	for _, a := range subs {
		loaded[a.AssignmentID] = true
	}
	c.Assignments = make([]Assignment, 0, len(in))
	for _, a := range in {
		as := Assignment{ID: a.ID, CMID: a.CMID, Name: a.Name, Label: shortLabel(a.Name), DueDate: a.DueDate, GradeMax: a.GradeMax, Loaded: loaded[a.ID]}
		if i, ok := c.modIndex[a.CMID]; ok {
			as.Section = c.Modules[i].Section
		}
		c.Assignments = append(c.Assignments, as)
	}
	pos := func(cmid int64) int {
		if i, ok := c.modIndex[cmid]; ok {
			return i
		}
		return len(c.Modules)
	}
	slices.SortStableFunc(c.Assignments, func(a, b Assignment) int {
		return cmp.Or(cmp.Compare(pos(a.CMID), pos(b.CMID)), cmp.Compare(a.CMID, b.CMID))
	})
	c.asgIndex = make(map[int64]int, len(c.Assignments))
	for i, a := range c.Assignments {
		c.asgIndex[a.CMID] = i
	}
}

// fillAssignments gives every student a status per assignment.
func (c *Cohort) fillAssignments(idx *assignIndex, now time.Time) {
	n := len(c.Assignments)
	all := make([]AssignmentStatus, len(c.Students)*n)
	for si := range c.Students {
		s := &c.Students[si]
		s.Assignments = all[si*n : (si+1)*n : (si+1)*n]
		for ai, a := range c.Assignments {
			st := AssignmentStatus{Due: a.DueDate}
			if a.Loaded {
				st = statusOf(submissionFacts{sub: idx.submission(ai, si, s), due: a.DueDate, extension: idx.ext[ai][si]}, now)
			} else if ext := idx.ext[ai][si]; !ext.Never() {
				st.Due, st.ExtensionUntil = ext, ext
			}
			st.CMID, st.GradeMax = a.CMID, a.GradeMax
			if g := idx.grades[ai][si]; g != nil && g.Graded {
				st.Graded, st.Grade, st.GradedAt = true, g.Value, g.Modified
			}
			st.NeedsGrading = st.IsSubmitted() && !st.Graded
			s.Assignments[ai] = st
		}
	}
}
