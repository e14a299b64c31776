package moodle_test

import (
	"encoding/json"
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
)

var allAssignments = []int64{1, 2, 3}

func submissionCounts(r *moodle.SubmissionsReply) map[int64]int {
	m := map[int64]int{}
	for _, a := range r.Assignments {
		m[a.AssignmentID] = len(a.Submissions)
	}
	return m
}

func submissionOf(t *testing.T, r *moodle.SubmissionsReply, assign, user int64) moodle.Submission {
	t.Helper()
	for _, a := range r.Assignments {
		if a.AssignmentID == assign {
			return find(t, a.Submissions, "submission", func(s moodle.Submission) bool { return s.UserID == user })
		}
	}
	t.Fatalf("no assignment %d in the reply", assign)
	return moodle.Submission{}
}

// warningsOf summarises warnings as "item itemid code message".
func warningsOf(ws []moodle.Warning) [][4]any {
	return mapf(ws, func(w moodle.Warning) [4]any {
		return [4]any{w.Item, int64(w.ItemID), string(w.WarningCode), w.Message}
	})
}

func noGradesWarnings(ids ...int64) [][4]any {
	return mapf(ids, func(id int64) [4]any { return [4]any{"assignment", id, "3", "No grades found"} })
}

func gradeRaws(items []moodle.GradeItem) []any {
	return mapf(items, func(g moodle.GradeItem) any {
		if !g.GradeRaw.Valid {
			return nil
		}
		return g.GradeRaw.Value
	})
}

// assignCases: assignments, submissions, grades, forums and quizzes.
var assignCases = map[string]contractCase{
	"mod_assign_get_assignments.kts101.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Assignments(r.ctx, r.tok, []int64{2})
		ok(t, err)
		due := r.seed.KTS101.DueDates
		all := reply.All()
		same(t, "assignments", [][3]int64{{1, 6, due["a1"]}, {2, 7, due["a2"]}, {3, 8, due["a3"]}},
			mapf(all, func(a moodle.Assignment) [3]int64 { return [3]int64{a.ID, a.CMID, a.DueDate.Unix()} }))
		same(t, "A1", []any{"A1 Essay: Learning styles", 100.0, true, 1}, []any{all[0].Name, all[0].Grade, all[0].CutoffDate.Never(), all[0].SubmissionDrafts})
		return nil
	},
	"mod_assign_get_assignments.kts101-capability.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Assignments(r.ctx, r.tok, []int64{2}, "mod/assign:grade")
		ok(t, err)
		same(t, "the teacher grades all three", allAssignments, mapf(reply.All(), func(a moodle.Assignment) int64 { return a.ID }))
		return nil
	},
	"mod_assign_get_submissions.kts101.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Submissions(r.ctx, r.tok, allAssignments, moodle.SubmissionsOptions{})
		ok(t, err)
		oliver := submissionOf(t, reply, 1, 14)
		same(t, "submission records", map[int64]int{1: 28, 2: 19, 3: 22}, submissionCounts(reply))
		same(t, "Oliver's A1: submitted after the due date, not graded", []any{"submitted", true, "notgraded"},
			[]any{oliver.Status, oliver.TimeModified.Unix() > r.seed.KTS101.DueDates["a1"], oliver.GradingStatus})
		same(t, "Ethan's A1 record made by a read", "new", submissionOf(t, reply, 1, 30).Status)
		return nil
	},
	"mod_assign_get_submissions.kts101-a1-submitted.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Submissions(r.ctx, r.tok, []int64{1}, moodle.SubmissionsOptions{Status: "submitted"})
		ok(t, err)
		subs := reply.Assignments[0].Submissions
		same(t, "submitted only", []int{25, 25}, []int{len(subs), count(subs, func(s moodle.Submission) bool { return s.Status == "submitted" })})
		return nil
	},
	"mod_assign_get_submissions.student.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Submissions(r.ctx, r.tok, allAssignments, moodle.SubmissionsOptions{})
		ok(t, err)
		same(t, "no assignments for a student", 0, len(reply.Assignments))
		same(t, "warnings", mapf(allAssignments, func(id int64) [4]any {
			return [4]any{"assignment", id, "1", "No access rights in module context"}
		}), warningsOf(reply.Warnings))
		return nil
	},
	"mod_assign_get_submissions.since.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Submissions(r.ctx, r.tok, allAssignments, moodle.SubmissionsOptions{Since: moodle.Unix(since10d)})
		ok(t, err)
		same(t, "changed submissions", map[int64]int{1: 1, 2: 19, 3: 22}, submissionCounts(reply))
		same(t, "A1: only Ethan's new record", []any{int64(1492), "new"}, []any{reply.Assignments[0].Submissions[0].ID, reply.Assignments[0].Submissions[0].Status})
		var older int
		for _, a := range reply.Assignments {
			older += count(a.Submissions, func(s moodle.Submission) bool { return s.TimeModified.Unix() < since10d })
		}
		same(t, "submissions older than since", 0, older)
		return nil
	},
	"mod_assign_get_submissions.since-now.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Submissions(r.ctx, r.tok, allAssignments, moodle.SubmissionsOptions{Since: moodle.Unix(sinceNow)})
		ok(t, err)
		same(t, "every assignment listed, empty", map[int64]int{1: 0, 2: 0, 3: 0}, submissionCounts(reply))
		same(t, "warnings", mapf(allAssignments, func(id int64) [4]any { return [4]any{"module", id, "3", "No submissions found"} }), warningsOf(reply.Warnings))
		return nil
	},

	"mod_assign_get_grades.kts101.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Grades(r.ctx, r.tok, allAssignments, moodle.Time{})
		ok(t, err)
		a1 := reply.Assignments[0]
		grade := func(user int64) moodle.AssignGrade {
			return find(t, a1.Grades, "grade", func(g moodle.AssignGrade) bool { return g.UserID == user })
		}
		same(t, "A1 only, 22 grades", []any{1, int64(1), 22}, []any{len(reply.Assignments), a1.AssignmentID, len(a1.Grades)})
		same(t, "grades (Emily's 0 is a grade)", []any{92.0, true, 0.0, true, 55.0},
			[]any{grade(5).Grade.Value, grade(19).Graded(), grade(19).Grade.Value, grade(19).Grade.Valid, grade(31).Grade.Value})
		same(t, "Oliver has no grade", 0, count(a1.Grades, func(g moodle.AssignGrade) bool { return g.UserID == 14 }))
		same(t, "warnings", noGradesWarnings(2, 3), warningsOf(reply.Warnings))
		return nil
	},
	"mod_assign_get_grades.since.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Grades(r.ctx, r.tok, allAssignments, moodle.Unix(since10d))
		ok(t, err)
		same(t, "no grades in 10 days", []any{0, noGradesWarnings(1, 2, 3)}, []any{len(reply.Assignments), warningsOf(reply.Warnings)})
		return nil
	},
	"mod_assign_get_grades.since-13d.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Grades(r.ctx, r.tok, allAssignments, moodle.Unix(since13d))
		ok(t, err)
		grades := reply.Assignments[0].Grades
		same(t, "13 A1 grades, all newer than since", []any{13, 0, noGradesWarnings(2, 3)},
			[]any{len(grades), count(grades, func(g moodle.AssignGrade) bool { return g.TimeModified.Unix() < since13d }), warningsOf(reply.Warnings)})
		return nil
	},
	"mod_assign_get_grades.since-now.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Grades(r.ctx, r.tok, allAssignments, moodle.Unix(sinceNow))
		ok(t, err)
		same(t, "nothing", []any{0, noGradesWarnings(1, 2, 3)}, []any{len(reply.Assignments), warningsOf(reply.Warnings)})
		return nil
	},
	"mod_assign_get_user_flags.kts101.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.UserFlags(r.ctx, r.tok, allAssignments)
		ok(t, err)
		a3 := reply.Assignments[1]
		same(t, "flags", []any{2, 22, int64(3), 1}, []any{len(reply.Assignments), len(reply.Assignments[0].UserFlags), a3.AssignmentID, len(a3.UserFlags)})
		same(t, "Mei's A3 extension", []any{int64(13), r.seed.KTS101.Extension.A3Until}, []any{a3.UserFlags[0].UserID, a3.UserFlags[0].ExtensionDueDate.Unix()})
		same(t, "no extension is never", true, reply.Assignments[0].UserFlags[0].ExtensionDueDate.Never())
		same(t, "warnings", [][4]any{{"assignment", int64(2), "3", "No user flags found"}}, warningsOf(reply.Warnings))
		return nil
	},

	"mod_assign_get_submission_status.zoe-a1.json": func(t *testing.T, r *replay) error {
		st, err := r.c.SubmissionStatus(r.ctx, r.tok, 1, 5)
		ok(t, err)
		la, fb := st.LastAttempt, st.Feedback
		same(t, "graded submission", []any{"submitted", true, 92.0, "92.00&nbsp;/&nbsp;100.00", 29, true},
			[]any{la.Submission.Status, la.Graded, fb.Grade.Grade.Value, fb.GradeForDisplay, st.GradingSummary.ParticipantCount, la.ExtensionDueDate.Never()})
		comments := find(t, fb.Plugins, "feedback comments", func(p moodle.Plugin) bool { return p.Type == "comments" })
		same(t, "feedback", "<p>Excellent work: clear argument and well-chosen sources.</p>", comments.EditorFields[0].Text)
		return nil
	},
	"mod_assign_get_submission_status.oliver-a1.json": func(t *testing.T, r *replay) error {
		st, err := r.c.SubmissionStatus(r.ctx, r.tok, 1, 14)
		ok(t, err)
		sub := st.LastAttempt.Submission
		late := sub.TimeModified.Time().After(moodle.Unix(r.seed.KTS101.DueDates["a1"]).Time())
		same(t, "Oliver's A1: late, no grade", []any{int64(14), "submitted", true, false, "notgraded", true},
			[]any{sub.UserID, sub.Status, late, st.LastAttempt.Graded, st.LastAttempt.GradingStatus, st.Feedback == nil})
		return nil
	},
	"mod_assign_get_submission_status.ethan-a1.json": func(t *testing.T, r *replay) error {
		st, err := r.c.SubmissionStatus(r.ctx, r.tok, 1, 30)
		ok(t, err)
		la := st.LastAttempt
		same(t, "Ethan: the new record his first read created", []any{int64(1492), "new", true, true, []int64{2}},
			[]any{la.Submission.ID, la.Submission.Status, la.ExtensionDueDate.Never(), st.Feedback == nil, la.UserGroups})
		return nil
	},
	"mod_assign_get_submission_status.mei-a3.json": func(t *testing.T, r *replay) error {
		st, err := r.c.SubmissionStatus(r.ctx, r.tok, 3, 13)
		ok(t, err)
		la := st.LastAttempt
		same(t, "Mei: draft with an extension past the due date", []any{"draft", r.seed.KTS101.Extension.A3Until, true},
			[]any{la.Submission.Status, la.ExtensionDueDate.Unix(), la.ExtensionDueDate.Unix() > r.seed.KTS101.DueDates["a3"]})
		return nil
	},
	// The typed method always sends assignid: only Call can leave it out.
	"mod_assign_get_submission_status.missing-assignid.json": func(t *testing.T, r *replay) error {
		var out any
		err := r.c.Call(r.ctx, r.tok, "mod_assign_get_submission_status", moodle.Params{}.SetInt("userid", 5), &out)
		wantErr(t, err, moodle.ErrInvalidParameter, "invalidparameter")
		return err
	},

	"gradereport_user_get_grade_items.zoe.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.GradeItems(r.ctx, r.tok, 2, 5)
		ok(t, err)
		ug := reply.UserGrades[0]
		same(t, "Zoë's raw grades (A2, A3 none; course total last)", []any{int64(5), []any{92.0, nil, nil, 9.0, 101.0}}, []any{ug.UserID, gradeRaws(ug.GradeItems)})
		total := ug.GradeItems[4]
		same(t, "course total has no name", []any{true, "course", "91.82 %"}, []any{total.ItemName == nil, total.ItemType, total.PercentageFormatted})
		return nil
	},
	"gradereport_user_get_grade_items.oliver.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.GradeItems(r.ctx, r.tok, 2, 14)
		ok(t, err)
		ug := reply.UserGrades[0]
		same(t, "Oliver: nothing graded", []any{int64(14), []any{nil, nil, nil, nil, nil}}, []any{ug.UserID, gradeRaws(ug.GradeItems)})
		same(t, "A1 item", []any{"A1 Essay: Learning styles", "assign", int64(6)}, []any{*ug.GradeItems[0].ItemName, ug.GradeItems[0].ItemModule, ug.GradeItems[0].CMID})
		return nil
	},
	"gradereport_user_get_grade_items.ethan.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.GradeItems(r.ctx, r.tok, 2, 30)
		ok(t, err)
		same(t, "Ethan: nothing graded", []any{nil, nil, nil, nil, nil}, gradeRaws(reply.UserGrades[0].GradeItems))
		return nil
	},
	"gradereport_user_get_grade_items.all-users.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.GradeItems(r.ctx, r.tok, 2, 0)
		ok(t, err)
		zoe := find(t, reply.UserGrades, "Zoë", func(u moodle.UserGrades) bool { return u.UserID == 5 })
		same(t, "every active student (not Léa)", []any{29, 0, 92.0},
			[]any{len(reply.UserGrades), count(reply.UserGrades, func(u moodle.UserGrades) bool { return u.UserID == 31 }), zoe.GradeItems[0].GradeRaw.Value})
		return nil
	},
	"gradereport_user_get_grade_items.student-all-users.json": func(t *testing.T, r *replay) error {
		_, err := r.c.GradeItems(r.ctx, r.tok, 2, 0)
		wantErr(t, err, moodle.ErrNoPermission, "nopermissions")
		return err
	},
	"gradereport_user_get_grades_table.zoe.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.GradesTable(r.ctx, r.tok, 2, 5)
		ok(t, err)
		tbl := reply.Tables[0]
		var pct struct {
			Content string `json:"content"`
		}
		if err := json.Unmarshal(tbl.TableData[2]["percentage"], &pct); err != nil {
			t.Fatalf("A1 percentage cell: %v", err)
		}
		same(t, "Zoë's table", []any{int64(5), "Zoë Andersen", 2, 7, "92.00 %"}, []any{tbl.UserID, tbl.UserFullName, tbl.MaxDepth, len(tbl.TableData), pct.Content})
		return nil
	},

	"mod_forum_get_forums_by_courses.kts101.json": func(t *testing.T, r *replay) error {
		forums, err := r.c.Forums(r.ctx, r.tok, []int64{2})
		ok(t, err)
		same(t, "forums", [][3]any{{int64(1), "news", 0}, {int64(4), "general", 2}},
			mapf(forums, func(f moodle.Forum) [3]any { return [3]any{f.CMID, f.Type, f.CompletionPosts} }))
		return nil
	},
	"mod_quiz_get_quizzes_by_courses.kts101.json": func(t *testing.T, r *replay) error {
		reply, err := r.c.Quizzes(r.ctx, r.tok, []int64{2})
		ok(t, err)
		q := reply.Quizzes[0]
		same(t, "quiz", []any{1, int64(9), 10.0, 1, true}, []any{len(reply.Quizzes), q.CourseModule, q.Grade, q.CompletionPass, q.TimeOpen.Never()})
		return nil
	},
}
