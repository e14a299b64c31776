package export

import (
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/when"
)

// Words for people, in the spreadsheet: the contract's codes stay in the CSV for scripts.
var (
	statusWords = map[cohort.Status]string{
		cohort.StatusSubmitted:  "Submitted",
		cohort.StatusLate:       "Submitted late",
		cohort.StatusExtension:  "Extension granted",
		cohort.StatusOverdue:    "Overdue",
		cohort.StatusDraft:      "Draft saved",
		cohort.StatusNotStarted: "Not started",
	}
	flagWords = map[cohort.FlagCode]string{
		cohort.FlagNeverAccessed: "Never opened the course",
		cohort.FlagInactive:      "Inactive",
		cohort.FlagOverdue:       "Overdue",
		cohort.FlagFailed:        "Below a pass grade",
		cohort.FlagBehind:        "Behind",
		cohort.FlagSuspended:     "Suspended",
	}
)

const sheetName = "Students"

// WriteCohortXLSX writes rows (the students of the cohort view's filter, in its order) as a
// spreadsheet for people: headers in words, dates as real dates in loc (the teacher's zone),
// statuses and flags in words, the header row and the names column frozen, a filter on every
// column.
//
// cols are the graded activities other than assignments (cmids) the teacher chose as
// columns on the cohort page: each gets a grade and a pass-or-fail column, in course order.
func WriteCohortXLSX(w io.Writer, c *cohort.Cohort, rows []cohort.Student, loc *time.Location, cols []int64) error {
	if loc == nil {
		loc = time.UTC
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return err
	}
	header := []any{"Name", "Email", "Groups", "Enrolment", "Last course access (" + zoneName(loc) + ")",
		"Activities completed", "Activities with completion", "Completion %", "Course completed", "Needs attention"}
	for _, a := range c.Assignments {
		header = append(header, sheetText(a.Name), sheetText(a.Name+": grade"))
	}
	var graded []int // indexes into c.Graded of the chosen columns
	for i, g := range c.Graded {
		if slices.Contains(cols, g.CMID) {
			graded = append(graded, i)
			header = append(header, sheetText(g.Name+": grade"), sheetText(g.Name+": pass or fail"))
		}
	}
	if err := f.SetSheetRow(sheetName, "A1", &header); err != nil {
		return err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("d mmm yyyy hh:mm")})
	if err != nil {
		return err
	}
	for i, s := range rows {
		cells := make([]any, 0, len(header))
		cells = append(cells, sheetText(s.FullName), sheetText(s.Email), sheetText(strings.Join(s.GroupNames(), ", ")),
			enrolmentWords(s), wallClock(s.LastCourseAccess, loc))
		if comp := s.Completion; comp.Loaded {
			cells = append(cells, comp.Completed, comp.Total, comp.Percent)
		} else {
			cells = append(cells, "not loaded", nil, nil)
		}
		cells = append(cells, yesNoWords(s.Completion.CourseCompleted), flagSentence(s.Flags))
		for j := range c.Assignments {
			var a cohort.AssignmentStatus
			if j < len(s.Assignments) {
				a = s.Assignments[j]
			}
			var grade any
			if a.Graded {
				grade = a.Grade
			}
			cells = append(cells, statusWords[a.Status], grade)
		}
		for _, j := range graded {
			var g cohort.GradeCell
			if j < len(s.Grades) {
				g = s.Grades[j]
			}
			cells = append(cells, gradeValue(g.Grade), string(g.Result))
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheetName, cell, &cells); err != nil {
			return err
		}
	}
	last := len(rows) + 1
	if err := f.SetCellStyle(sheetName, "E2", "E"+itoa(max(last, 2)), dateStyle); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	if err := f.SetRowStyle(sheetName, 1, 1, bold); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(len(header))
	if err := f.AutoFilter(sheetName, "A1:"+lastCol+itoa(max(last, 2)), nil); err != nil {
		return err
	}
	widths := map[string]float64{"A": 26, "B": 30, "C": 18, "D": 11, "E": 20, "F": 11, "G": 11, "H": 11, "I": 11, "J": 40}
	for col, wd := range widths {
		if err := f.SetColWidth(sheetName, col, col, wd); err != nil {
			return err
		}
	}
	if len(header) > 10 {
		first, _ := excelize.ColumnNumberToName(11)
		if err := f.SetColWidth(sheetName, first, lastCol, 16); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheetName, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: "B2", ActiveCell: "B2", Pane: "bottomRight"}}}); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// wallClock is t as a spreadsheet date showing loc's wall clock (a spreadsheet's dates have no
// zone: the cell reads as the time in loc), or "never".
func wallClock(t when.Time, loc *time.Location) any {
	if t.Never() {
		return "never"
	}
	l := t.Time().In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// zoneName names loc for a header: "Australia/Brisbane", "UTC".
func zoneName(loc *time.Location) string {
	if n := loc.String(); n != "" && n != "Local" {
		return n
	}
	return time.Now().In(loc).Format("MST")
}

func enrolmentWords(s cohort.Student) string {
	if s.Suspended {
		return "Suspended"
	}
	return "Active"
}

func yesNoWords(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// flagSentence is the flags with their reasons: "Overdue: A1 overdue since 2 Nov; Behind: ...".
func flagSentence(fs []cohort.Flag) string {
	parts := make([]string, 0, len(fs))
	for _, fl := range fs {
		w := flagWords[fl.Code]
		if w == "" {
			w = string(fl.Code)
		}
		if fl.Reason != "" {
			w += ": " + fl.Reason
		}
		parts = append(parts, w)
	}
	return sheetText(strings.Join(parts, "; "))
}

// sheetText is valid UTF-8 within a cell's 32,767 characters. Excelize writes strings as
// text cells, never formulas, so no apostrophe is needed.
func sheetText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if utf8.RuneCountInString(s) > 32767 {
		s = string([]rune(s)[:32767])
	}
	return s
}

// gradeValue is Moodle's formatted grade as a number when it is one ("8.00"), so a teacher
// can sum and sort it; as text otherwise ("B+"), and nothing for no grade.
func gradeValue(s string) any {
	if s == "" {
		return nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	return sheetText(s)
}

func itoa(n int) string { return integer(int64(n)) }

func ptr[T any](v T) *T { return &v }
