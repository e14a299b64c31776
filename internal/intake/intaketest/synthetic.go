package intaketest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake"
	"github.com/knowthystudents/kts/internal/moodle"
)

// Synthetic returns the domain input translated from SyntheticReplies(n, now).
func Synthetic(n int, now time.Time) cohort.Input { return intake.Input(SyntheticReplies(n, now)) }

// SyntheticReplies returns Moodle's replies for a made-up course shaped like the recorded
// BIG500 (25 activities with completion in 8 sections, 5 of them assignments, 6 groups) with n
// students of varied engagement, some never logged in and some suspended: input for
// benchmarks and for tests that need size rather than truth. The same n and now give the same
// input.
func SyntheticReplies(n int, now time.Time) intake.Replies {
	rng := rand.New(rand.NewPCG(uint64(n), 42))
	lastNames := strings.Fields(syntheticLastNames)
	day := 24 * time.Hour
	in := intake.Replies{
		Course:           moodle.Course{ID: 3, FullName: "Big Cohort", ShortName: "BIG", GroupMode: 1, EnableCompletion: 1},
		ActiveIDs:        make(map[int64]bool, n),
		Completion:       make(map[int64]*moodle.ActivitiesCompletion, n),
		CourseCompletion: make(map[int64]*moodle.CourseCompletion, n),
		Submissions:      &moodle.SubmissionsReply{},
		Grades:           &moodle.GradesReply{},
		UserFlags:        &moodle.UserFlagsReply{},
	}
	for g := range 6 {
		in.Groups = append(in.Groups, moodle.SelectorGroup{ID: moodle.ID(g + 3), Name: fmt.Sprintf("Cohort group %d", g+1)})
	}
	type act struct {
		cmid    int64
		modname string
		assign  int64
		due     time.Time
	}
	dues := []int{-42, -28, -14, -3, 7}
	var acts []act
	for i := range 25 {
		a := act{cmid: int64(12 + i), modname: []string{"page", "url"}[i%2]}
		if i == 4 || i == 9 || i == 12 || i == 17 || i == 22 {
			a.modname, a.assign = "assign", int64(len(in.Assignments)+4)
			a.due = now.Add(time.Duration(dues[len(in.Assignments)]) * day)
			in.Assignments = append(in.Assignments, moodle.Assignment{
				ID: a.assign, CMID: a.cmid, Course: 3, Name: fmt.Sprintf("A%d Assignment", len(in.Assignments)+1),
				DueDate: moodle.TimeOf(a.due), Grade: 100, SubmissionDrafts: 1, CompletionSubmit: 1,
			})
		}
		acts = append(acts, a)
		sec := i / 4
		for len(in.Sections) <= sec {
			in.Sections = append(in.Sections, moodle.Section{ID: int64(len(in.Sections) + 10), Section: len(in.Sections) + 1, Name: fmt.Sprintf("Week %d", len(in.Sections)+1)})
		}
		tracking := moodle.TrackingAutomatic
		if a.modname == "url" {
			tracking = moodle.TrackingManual
		}
		in.Sections[sec].Modules = append(in.Sections[sec].Modules, moodle.Module{ID: a.cmid, Name: fmt.Sprintf("%s %d", a.modname, i+1), ModName: a.modname, Visible: 1, Completion: tracking})
	}
	subs := make([]moodle.AssignmentSubmissions, len(in.Assignments))
	grades := make([]moodle.AssignmentGrades, len(in.Assignments))
	for i, a := range in.Assignments {
		subs[i].AssignmentID, grades[i].AssignmentID = a.ID, a.ID
	}
	in.Roster = append(in.Roster, moodle.EnrolledUser{ID: 2, FullName: "Teacher", Roles: []moodle.Role{{ShortName: "editingteacher"}}})
	for k := range n {
		id := int64(35 + k)
		engagement := rng.Float64()
		never := rng.IntN(30) == 0
		u := moodle.EnrolledUser{
			ID: id, FirstName: fmt.Sprintf("Student%03d", k+1), LastName: lastNames[k%len(lastNames)],
			Email: fmt.Sprintf("s%03d@students.example", k+1), Roles: []moodle.Role{{ShortName: "student"}},
			Groups: []moodle.UserGroup{{ID: int64(k%6 + 3), Name: fmt.Sprintf("Cohort group %d", k%6+1)}},
		}
		u.FullName = u.FirstName + " " + u.LastName
		if !never {
			u.FirstAccess = moodle.TimeOf(now.Add(-50 * day))
			u.LastAccess = moodle.TimeOf(now.Add(-time.Duration(rng.IntN(30*24)) * time.Hour))
			u.LastCourseAccess = u.LastAccess
		}
		in.Roster = append(in.Roster, u)
		if rng.IntN(55) != 0 {
			in.ActiveIDs[id] = true
		}
		comp := &moodle.ActivitiesCompletion{}
		for i, a := range acts {
			st := moodle.ActivityStatus{CMID: a.cmid, ModName: a.modname, Tracking: moodle.TrackingAutomatic}
			if a.modname == "url" {
				st.Tracking = moodle.TrackingManual
			}
			doneP := engagement * (1 - float64(i)/40)
			if !never && rng.Float64() < doneP {
				st.State = moodle.StateComplete
				st.TimeCompleted = moodle.TimeOf(now.Add(-time.Duration(rng.IntN(40)) * day))
			}
			if a.assign != 0 {
				st.Details = []moodle.CompletionRule{{RuleName: "completionsubmit"}}
				ai := int(a.assign - 4)
				if sub, ok := synthSubmission(rng, id, st.State != 0, a.due, never); ok {
					subs[ai].Submissions = append(subs[ai].Submissions, sub)
					if sub.Status == "submitted" && a.due.Before(now.Add(-10*day)) && rng.IntN(4) != 0 {
						grades[ai].Grades = append(grades[ai].Grades, moodle.AssignGrade{
							UserID: id, Grade: moodle.Number{Value: float64(40 + rng.IntN(61)), Valid: true},
							TimeModified: moodle.TimeOf(sub.TimeModified.Time().Add(time.Duration(1+rng.IntN(10)) * day)),
						})
					}
				}
			}
			comp.Statuses = append(comp.Statuses, st)
		}
		in.Completion[id] = comp
		in.CourseCompletion[id] = &moodle.CourseCompletion{}
	}
	in.Submissions.Assignments = subs
	in.Grades.Assignments = grades
	return in
}

// synthSubmission makes a submission record matching a completion state: submitted (on time
// or late) when complete, else sometimes a draft or an opened empty one.
func synthSubmission(rng *rand.Rand, user int64, complete bool, due time.Time, never bool) (moodle.Submission, bool) {
	s := moodle.Submission{UserID: user}
	switch {
	case never:
		return s, false
	case complete:
		s.Status = "submitted"
		s.TimeModified = moodle.TimeOf(due.Add(time.Duration(rng.IntN(10*24)-8*24) * time.Hour))
	case rng.IntN(3) == 0:
		s.Status = "draft"
		s.TimeModified = moodle.TimeOf(due.Add(-time.Duration(rng.IntN(5*24)) * time.Hour))
	case rng.IntN(3) == 0:
		s.Status = "new"
		s.TimeModified = moodle.TimeOf(due.Add(-10 * 24 * time.Hour))
	default:
		return s, false
	}
	return s, true
}

// syntheticLastNames gives synthetic students varied, accented names so that search folding
// is exercised.
const syntheticLastNames = "Andersen Nguyễn O'Brien Martínez Kowalski Rahman Lindqvist Dubois Chen Smith Holm Müller"
