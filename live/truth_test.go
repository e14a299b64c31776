package live_test

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

// table is a CSV as truth.php gives it: a header and rows of cells.
type table struct {
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
}

// truthView is what one viewer must see with one filter.
type truthView struct {
	Cohort     table `json:"cohort"`
	Activities table `json:"activities"`
	// Graded is every graded activity other than an assignment (quiz, rated forum): userid,
	// then per activity "<name>: grade" (the gradebook's formatted grade, empty without one)
	// and "<name>: result" (pass, fail, or empty without a grade or a grade to pass).
	Graded table `json:"graded"`
	Notes  struct {
		// ProgressDisagreements are students whose completion_percent truth.php computes
		// differently from Moodle's own course progress: a broken oracle.
		ProgressDisagreements map[string]any `json:"progress_disagreements"`
		Now                   int64          `json:"now"`
		Median                float64        `json:"median"`
		Visible               int            `json:"visible"`
		Shown                 int            `json:"shown"`
	} `json:"notes"`
}

// truth is truth.php's answer: viewer → filter ("default", "suspended") → view.
type truth map[string]map[string]truthView

var theTruth struct {
	once sync.Once
	at   time.Time
	t    truth
}

// moodleTruth computes, once for the package, what the teacher and the tutor must see, at
// the moment of the first call. Every time in the seed is whole days away from a threshold,
// so the few minutes a run takes change nothing.
func moodleTruth(t *testing.T, s *site) truth {
	t.Helper()
	theTruth.once.Do(func() {
		theTruth.at = time.Now()
		var tr truth
		s.php(t, &tr, "truth.php", "--course="+strconv.FormatInt(s.CourseID, 10),
			"--viewer="+s.Teacher+","+s.Tutor, "--now="+strconv.FormatInt(theTruth.at.Unix(), 10))
		theTruth.t = tr // not reached when php fails the test: no half answer for the others
	})
	if theTruth.t == nil {
		t.Fatal("truth.php gave nothing (see the first test that asked)")
	}
	return theTruth.t
}

// view is one viewer's expected CSVs with one filter, failing the test when truth.php has none.
func (tr truth) view(t *testing.T, viewer, filter string) truthView {
	t.Helper()
	v, ok := tr[viewer][filter]
	if !ok {
		t.Fatalf("truth.php has no %s view for %s", filter, viewer)
	}
	return v
}
