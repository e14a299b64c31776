package views

import (
	"net/url"
	"strconv"

	"github.com/knowthystudents/kts/internal/cohort"
)

// Every address the dashboard links to, redirects to or posts to is built in this file, and
// every query it reads is parsed in the handlers' query.go and query_cohort.go; a test there checks that each
// address built here parses back to itself through the real routes. The builders sit in views
// because the templates and view models link most, and the handlers import views (not the
// other way round). The routes themselves are listed in the handlers' routes.go; the public
// ones are in CONTRACT.md.

// Cohort query parameters (CONTRACT.md): what a cohort.Query is called in a URL.
const (
	ParamGroup     = "group"
	ParamSearch    = "q"
	ParamAttention = "attention"
	ParamSuspended = "suspended"
	ParamFlag      = "flag"
	ParamSort      = "sort"
	ParamDir       = "dir"
	ParamCols      = "cols"
)

// Other parameters the dashboard's own links carry.
const (
	ParamPage    = "page"     // the cohort's page, from 2
	ParamVersion = "v"        // the data version a filling-in page polls after
	ParamUserID  = "userid"   // a recipient of the compose form, repeated
	ParamFrom    = "from"     // "queue": the student page's previous and next follow the queue
	ParamAt      = "at"       // the student in focus in the queue
	ParamSaved   = "saved"    // "1": the form before said it saved
	ParamNote    = "note"     // "added": the student page says the note was saved
	ParamCourse  = "courseid" // what a Moodle URL resource sends to / (also "id")
)

// FromQueue is the value of ParamFrom on the links of the attention queue.
const FromQueue = "queue"

// CoursePath is a course's cohort page, under which every page of the course sits.
func CoursePath(courseID int64) string { return "/course/" + ID(courseID) }

func courseSub(courseID int64, rest string) string { return CoursePath(courseID) + "/" + rest }

// StudentPath is a student's page in a course.
func StudentPath(courseID, userID int64) string {
	return courseSub(courseID, "student/"+ID(userID))
}

// StudentNotesPath is where the student page's note form posts.
func StudentNotesPath(courseID, userID int64) string { return StudentPath(courseID, userID) + "/notes" }

// StudentStatePath is where the queue's state form for a student posts.
func StudentStatePath(courseID, userID int64) string { return StudentPath(courseID, userID) + "/state" }

// StudentFromQueue is a student's page whose previous and next follow the attention queue;
// notes jumps to the notes section.
func StudentFromQueue(courseID, userID int64, notes bool) string {
	h := StudentPath(courseID, userID) + "?" + ParamFrom + "=" + FromQueue
	if notes {
		h += "#notes-h"
	}
	return h
}

// StudentNoteAdded is the student page after a note was saved, at its notes.
func StudentNoteAdded(courseID, userID int64) string {
	return StudentPath(courseID, userID) + "?" + ParamNote + "=added#notes-h"
}

// QueuePath is the attention queue of a course.
func QueuePath(courseID int64) string { return courseSub(courseID, "queue") }

// QueueHref is the queue with the student at in focus (0: the first), saying it saved.
func QueueHref(courseID, at int64, saved bool) string {
	v := url.Values{}
	if at != 0 {
		v.Set(ParamAt, ID(at))
	}
	if saved {
		v.Set(ParamSaved, "1")
	}
	return withValues(QueuePath(courseID), v)
}

// ChangesPath is what changed since the teacher's previous visit.
func ChangesPath(courseID int64) string { return courseSub(courseID, "changes") }

// FollowUpPath is the follow-up of the teacher's messages.
func FollowUpPath(courseID int64) string { return courseSub(courseID, "followup") }

// RulesPath is the teacher's flag rules form.
func RulesPath(courseID int64) string { return courseSub(courseID, "rules") }

// RulesSaved is the rules form saying it saved.
func RulesSaved(courseID int64) string { return RulesPath(courseID) + "?" + ParamSaved + "=1" }

// MessagePath is the compose form (GET) and where it posts.
func MessagePath(courseID int64) string { return courseSub(courseID, "message") }

// MessageNotePath is where the "I contacted them another way" form posts.
func MessageNotePath(courseID int64) string { return courseSub(courseID, "message/note") }

// MessageHref is the compose form for the students q shows, narrowed to flag when not "".
func MessageHref(courseID int64, q cohort.Query, flag cohort.FlagCode) string {
	v := CohortValues(q)
	if flag != "" {
		v.Set(ParamFlag, string(flag))
	}
	return withValues(MessagePath(courseID), v)
}

// MessageTo is the compose form for one student.
func MessageTo(courseID, userID int64) string {
	return MessagePath(courseID) + "?" + ParamUserID + "=" + ID(userID)
}

// ActivitiesPath is the activity report and design review.
func ActivitiesPath(courseID int64) string { return courseSub(courseID, "activities") }

// ActivitiesCSVPath is the activity report as CSV.
func ActivitiesCSVPath(courseID int64) string { return courseSub(courseID, "activities.csv") }

// ActivityPath is one activity's detail.
func ActivityPath(courseID, cmid int64) string { return courseSub(courseID, "activity/"+ID(cmid)) }

// ExportCSVPath and ExportXLSXPath are the cohort's downloads.
func ExportCSVPath(courseID int64) string { return courseSub(courseID, "export.csv") }

// ExportXLSXPath is the cohort as a spreadsheet.
func ExportXLSXPath(courseID int64) string { return courseSub(courseID, "export.xlsx") }

// ColumnsPath is where the cohort page's grade columns form posts (the choice is kept).
func ColumnsPath(courseID int64) string { return courseSub(courseID, "columns") }

// RefreshPath is where the "load again from Moodle" form posts.
func RefreshPath(courseID int64) string { return courseSub(courseID, "refresh") }

// RowsPath is what a cohort page that is still filling in polls.
func RowsPath(courseID int64) string { return courseSub(courseID, "rows") }

// PollHref is the RowsPath address for the page's query, page and data version.
func PollHref(courseID int64, q cohort.Query, page int, version uint64) string {
	v := CohortValues(q)
	if page > 1 {
		v.Set(ParamPage, strconv.Itoa(page))
	}
	v.Set(ParamVersion, strconv.FormatUint(version, 10))
	return withValues(RowsPath(courseID), v)
}

// PageHref returns the link to page n of the rows of q at path (no page parameter for the
// first).
func PageHref(q cohort.Query, path string, n int) string {
	v := CohortValues(q)
	if n > 1 {
		v.Set(ParamPage, strconv.Itoa(n))
	}
	return withValues(path, v)
}

// CohortValues returns the query as URL parameters, defaults left out, so that links rebuilt
// from it are short and canonical (url.Values.Encode orders the keys).
func CohortValues(q cohort.Query) url.Values {
	v := url.Values{}
	if q.Group > 0 {
		v.Set(ParamGroup, strconv.FormatInt(q.Group, 10))
	}
	if q.Search != "" {
		v.Set(ParamSearch, q.Search)
	}
	if q.Attention {
		v.Set(ParamAttention, "1")
	}
	if q.Suspended {
		v.Set(ParamSuspended, "1")
	}
	if q.Flag != "" {
		v.Set(ParamFlag, string(q.Flag))
	}
	if k := q.SortKey(); k != cohort.SortName {
		v.Set(ParamSort, k)
	}
	if q.Desc {
		v.Set(ParamDir, "desc")
	}
	for _, id := range q.Cols {
		v.Add(ParamCols, strconv.FormatInt(id, 10))
	}
	return v
}

// WithQuery returns path with the cohort query appended ("/course/2?group=1&sort=access"),
// path alone for the default query.
func WithQuery(path string, q cohort.Query) string { return withValues(path, CohortValues(q)) }

func withValues(path string, v url.Values) string {
	if enc := v.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// MoodleProfile is the student's profile in the course, on Moodle.
func MoodleProfile(moodleURL string, userID, courseID int64) string {
	return moodleURL + "/user/view.php?id=" + ID(userID) + "&course=" + ID(courseID)
}

// MoodleMessages is Moodle's messaging page with the user.
func MoodleMessages(moodleURL string, userID int64) string {
	return moodleURL + "/message/index.php?id=" + ID(userID)
}

// MoodleGrader is Moodle's grader for the user's submission of the assignment cmid.
func MoodleGrader(moodleURL string, cmid, userID int64) string {
	return moodleURL + "/mod/assign/view.php?id=" + ID(cmid) + "&action=grader&userid=" + ID(userID)
}

// MessageToAll is the compose form for these students, in this order.
func MessageToAll(courseID int64, userIDs []int64) string {
	v := url.Values{}
	for _, id := range userIDs {
		v.Add(ParamUserID, ID(id))
	}
	return withValues(MessagePath(courseID), v)
}
