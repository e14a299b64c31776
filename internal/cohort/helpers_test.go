package cohort_test

import (
	"testing"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/intake/intaketest"
)

// Student ids of course KTS101 (README, student table).
const (
	zoe      = 5
	an       = 6
	siobhan  = 7
	jose     = 8
	lukasz   = 9
	aisha    = 10
	bjorn    = 11
	chloe    = 12
	mei      = 13
	oliver   = 14
	priya    = 15
	mateo    = 16
	amara    = 17
	soren    = 18
	emily    = 19
	hiroshi  = 20
	fatima   = 21
	liam     = 22
	isabella = 25
	noah     = 24
	dmitri   = 26
	ethan    = 30
	lea      = 31
	kwame    = 32
	hannah   = 33
	mehmet   = 34

	margaret = 3 // the editing teacher

	cmHandbook = 2
	cmReading  = 3
	cmForum    = 4
	cmA1       = 6
	cmA2       = 7
	cmA3       = 8
	cmQuiz     = 9
	cmFurther  = 10

	groupA = 1
	groupB = 2
)

const day = 24 * time.Hour

// kts101 builds course KTS101 from the recorded fixtures, as of seededat.
var kts101 = intaketest.KTS101Cohort

// student returns student id of c or fails the test.
var student = intaketest.Student

// assignment returns student id's status on the assignment cmid or fails the test.
func assignment(t testing.TB, c *cohort.Cohort, id, cmid int64) cohort.AssignmentStatus {
	t.Helper()
	a, ok := student(t, c, id).Assignment(cmid)
	if !ok {
		t.Fatalf("student %d has no status for assignment %d", id, cmid)
	}
	return a
}

func ids(rows []cohort.Student) []int64 {
	var out []int64
	for _, s := range rows {
		out = append(out, s.ID)
	}
	return out
}

func codes(fs []cohort.Flag) []cohort.FlagCode {
	var out []cohort.FlagCode
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}
