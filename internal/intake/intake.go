// Package intake translates what Moodle returned for one course into the domain's input
// (cohort.Input): the one place where Moodle's reply shapes (internal/moodle) meet the pure
// domain (internal/cohort), so that neither the domain nor the packages built on it (attention,
// compose, export, the views) import the Moodle client.
//
// It is its own small package, not part of internal/load, because more than the loader needs
// the translation: test helpers build cohorts from the recorded Moodle replies
// (intaketest), and handlers preview a cohort under other rules, without pulling in the
// loader's cache and flights. The loader keeps Moodle's replies (Replies) in its snapshots,
// because its incremental refresh merges and compares them reply by reply; a cohort is
// built from them through Build.
package intake

import (
	"slices"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/htmltext"
	"github.com/knowthystudents/kts/internal/moodle"
)

// Replies is everything loaded from Moodle for one course by one user. The loader fills it; a
// part that failed to load is left empty and named in Missing, so that Build can still show
// the rest.
type Replies struct {
	Course   moodle.Course
	Sections []moodle.Section // core_course_get_contents, in course order
	// Roster is every participant Moodle shows this user (core_enrol_get_enrolled_users), staff
	// included; Build keeps the students.
	Roster []moodle.EnrolledUser
	// ActiveIDs are the ids Moodle lists with onlyactive=1. Nil means "not loaded": every
	// enrolment then counts as active.
	ActiveIDs map[int64]bool
	// Groups are the groups Moodle offers this user (core_group_get_groups_for_selector, the
	// "All participants" entry dropped).
	Groups      []moodle.SelectorGroup
	Assignments []moodle.Assignment // mod_assign_get_assignments for this course
	Submissions *moodle.SubmissionsReply
	Grades      *moodle.GradesReply
	UserFlags   *moodle.UserFlagsReply
	// GradeItems is gradereport_user_get_grade_items for every student (userid 0); nil when
	// the course has no graded activity other than assignments, or it did not load.
	GradeItems *moodle.GradeItemsReply
	// Completion is core_completion_get_activities_completion_status per student id; a
	// student without an entry has no completion loaded (yet).
	Completion map[int64]*moodle.ActivitiesCompletion
	// CourseCompletion is core_completion_get_course_completion_status per student id.
	CourseCompletion map[int64]*moodle.CourseCompletion
	// Missing names the parts that failed to load, in words a teacher understands
	// ("assignment grades", "completion for 3 students").
	Missing []string
}

// Build translates r and builds the cohort a teacher reads, as of now (cohort.Build).
func Build(r Replies, now time.Time, cfg cohort.Config) *cohort.Cohort {
	return cohort.Build(Input(r), now, cfg)
}

// Input translates Moodle's replies into the domain's input. It keeps every record as it is:
// choosing among them (latest attempt, students only) is the domain's work.
func Input(r Replies) cohort.Input {
	in := cohort.Input{
		Course:    cohort.Course{ID: r.Course.ID, FullName: r.Course.FullName, ShortName: r.Course.ShortName},
		ActiveIDs: r.ActiveIDs,
		Missing:   r.Missing,
	}
	in.Sections = sections(r.Sections)
	in.Roster = roster(r.Roster)
	for _, g := range r.Groups {
		in.Groups = append(in.Groups, cohort.Group{ID: int64(g.ID), Name: g.Name})
	}
	if len(r.Assignments) > 0 {
		in.Assignments = make([]cohort.AssignmentInfo, len(r.Assignments))
	}
	for i, a := range r.Assignments {
		in.Assignments[i] = cohort.AssignmentInfo{ID: a.ID, CMID: a.CMID, Name: a.Name, DueDate: a.DueDate, GradeMax: a.Grade}
	}
	in.Submissions = submissions(r.Submissions)
	in.Grades = grades(r.Grades)
	in.Extensions = extensions(r.UserFlags)
	in.GradeItems = gradeItems(r.GradeItems)
	in.Completion = completion(r.Completion)
	if r.CourseCompletion != nil {
		in.CourseCompleted = make(map[int64]bool, len(r.CourseCompletion))
		for id, cc := range r.CourseCompletion {
			if cc != nil {
				in.CourseCompleted[id] = cc.CompletionStatus.Completed
			}
		}
	}
	return in
}

func sections(secs []moodle.Section) []cohort.Section {
	if len(secs) == 0 {
		return nil
	}
	out := make([]cohort.Section, len(secs))
	for i, sec := range secs {
		out[i] = cohort.Section{Number: sec.Section, Name: sec.Name, Modules: make([]cohort.Module, len(sec.Modules))}
		for k, m := range sec.Modules {
			out[i].Modules[k] = cohort.Module{
				CMID: m.ID, Name: m.Name, ModName: m.ModName, Tracking: cohort.Tracking(m.Completion),
				Visible: m.Visible != 0, URL: m.URL,
			}
		}
	}
	return out
}

func roster(users []moodle.EnrolledUser) []cohort.Participant {
	if len(users) == 0 {
		return nil
	}
	out := make([]cohort.Participant, len(users))
	for i, u := range users {
		p := cohort.Participant{
			ID: u.ID, FullName: u.FullName, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email,
			ProfileImageURL:  u.ProfileImageURL,
			LastCourseAccess: u.LastCourseAccess, FirstAccess: u.FirstAccess, LastAccess: u.LastAccess,
		}
		if len(u.Roles) > 0 {
			p.Roles = make([]string, len(u.Roles))
			for k, r := range u.Roles {
				p.Roles[k] = r.ShortName
			}
		}
		if len(u.Groups) > 0 {
			p.Groups = make([]cohort.Group, len(u.Groups))
			for k, g := range u.Groups {
				p.Groups[k] = cohort.Group{ID: g.ID, Name: g.Name}
			}
		}
		out[i] = p
	}
	return out
}

func submissions(r *moodle.SubmissionsReply) []cohort.AssignmentSubmissions {
	if r == nil {
		return nil
	}
	out := make([]cohort.AssignmentSubmissions, len(r.Assignments))
	for i, a := range r.Assignments {
		out[i].AssignmentID = a.AssignmentID
		if len(a.Submissions) == 0 {
			continue
		}
		out[i].Submissions = make([]cohort.Submission, len(a.Submissions))
		for k, s := range a.Submissions {
			out[i].Submissions[k] = cohort.Submission{
				UserID: s.UserID, GroupID: s.GroupID, Attempt: s.AttemptNumber, Status: s.Status, Modified: s.TimeModified,
			}
		}
	}
	return out
}

func grades(r *moodle.GradesReply) []cohort.Grade {
	if r == nil {
		return nil
	}
	n := 0
	for _, a := range r.Assignments {
		n += len(a.Grades)
	}
	out := make([]cohort.Grade, 0, n)
	for _, a := range r.Assignments {
		for _, g := range a.Grades {
			out = append(out, cohort.Grade{
				AssignmentID: a.AssignmentID, UserID: g.UserID, Attempt: g.AttemptNumber,
				Graded: g.Graded(), Value: g.Grade.Value, Modified: g.TimeModified,
			})
		}
	}
	return out
}

func extensions(r *moodle.UserFlagsReply) []cohort.Extension {
	if r == nil {
		return nil
	}
	var out []cohort.Extension
	for _, a := range r.Assignments {
		for _, f := range a.UserFlags {
			out = append(out, cohort.Extension{AssignmentID: a.AssignmentID, UserID: f.UserID, Until: f.ExtensionDueDate})
		}
	}
	return out
}

// gradeItems keeps the grade items of activities other than assignments (whose grades come
// from mod_assign): the course total, manual items and an activity's further items
// (itemnumber > 0, e.g. a forum's whole-forum grade) are left out.
func gradeItems(r *moodle.GradeItemsReply) []cohort.GradeItem {
	if r == nil {
		return nil
	}
	var out []cohort.GradeItem
	for _, ug := range r.UserGrades {
		for _, gi := range ug.GradeItems {
			if gi.ItemType != "mod" || gi.ItemModule == "assign" || gi.CMID == 0 || gi.ItemNumber != 0 {
				continue
			}
			item := cohort.GradeItem{UserID: ug.UserID, CMID: gi.CMID, ModName: gi.ItemModule, Cell: gradeCell(gi)}
			if gi.ItemName != nil {
				item.Name = *gi.ItemName
			}
			out = append(out, item)
		}
	}
	return out
}

// gradeCell turns Moodle's formatted grade (HTML with a pass or fail icon) into text, "-" into
// no grade, and the item's grade to pass into pass or fail.
func gradeCell(gi moodle.GradeItem) cohort.GradeCell {
	g := strings.TrimSpace(htmltext.Text(gi.GradeFormatted))
	if g == "-" || g == "" {
		return cohort.GradeCell{}
	}
	cell := cohort.GradeCell{Grade: g}
	if pass, ok := gi.Pass(); ok {
		cell.Result = cohort.ResultFail
		if pass {
			cell.Result = cohort.ResultPass
		}
	}
	return cell
}

func completion(m map[int64]*moodle.ActivitiesCompletion) map[int64][]cohort.CompletionStatus {
	if m == nil {
		return nil
	}
	n := 0
	for _, ac := range m {
		if ac != nil {
			n += len(ac.Statuses)
		}
	}
	all := make([]cohort.CompletionStatus, 0, n) // one allocation for every student's statuses
	out := make(map[int64][]cohort.CompletionStatus, len(m))
	for id, ac := range m {
		if ac == nil {
			continue
		}
		start := len(all)
		for k := range ac.Statuses {
			all = append(all, status(&ac.Statuses[k]))
		}
		out[id] = all[start:len(all):len(all)]
	}
	return out
}

func status(st *moodle.ActivityStatus) cohort.CompletionStatus {
	cs := cohort.CompletionStatus{
		CMID: st.CMID, ModName: st.ModName, State: cohort.State(st.State), TimeCompleted: st.TimeCompleted,
		Tracking: cohort.Tracking(st.Tracking),
	}
	if st.OverrideBy != nil {
		cs.OverrideBy = *st.OverrideBy
	}
	for _, d := range st.Details {
		if d.RuleName == "completionpassgrade" {
			cs.PassGrade = true
		}
	}
	return cs
}

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
