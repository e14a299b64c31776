package live_test

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLiveDatesInTeachersMoodleZone: a teacher whose Moodle profile says Australia/Brisbane
// reads the pages in Brisbane time (AEST), as Moodle shows them, while the contract CSV stays
// RFC 3339 UTC. The zone is set through Moodle's profile field and put back afterwards; a
// dashboard of its own signs in after the change, since the zone is asked once per session.
func TestLiveDatesInTeachersMoodleZone(t *testing.T) {
	s := liveSite(t)
	d := dashboardFor(t, s)
	var set struct {
		Previous string `json:"previous"`
	}
	s.php(t, &set, "timezone.php", "--user="+s.Teacher, "--tz=Australia/Brisbane")
	t.Cleanup(func() {
		var back struct{}
		s.php(t, &back, "timezone.php", "--user="+s.Teacher, "--tz="+set.Previous)
	})
	o := d.another(t, s)
	c := o.as(t, s.Teacher, s.Password)
	course := "/course/" + strconv.FormatInt(s.CourseID, 10)

	status, body := o.get(t, c, course)
	if status != 200 {
		t.Fatalf("GET %s: status %d", course, status)
	}
	if !strings.Contains(body, "AEST") {
		t.Errorf("the cohort page does not show Brisbane time (AEST):\n%s", tail(body, 3000))
	}

	status, body = o.get(t, c, course+"/export.csv")
	if status != 200 {
		t.Fatalf("GET export.csv: status %d", status)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("export.csv: %d rows, %v", len(rows), err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "lastcourseaccess" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("export.csv has no lastcourseaccess column: %v", rows[0])
	}
	seen := 0
	for _, r := range rows[1:] {
		if r[col] == "" {
			continue
		}
		seen++
		if at, err := time.Parse(time.RFC3339, r[col]); err != nil || !strings.HasSuffix(r[col], "Z") || at.Location() != time.UTC {
			t.Errorf("lastcourseaccess %q is not RFC 3339 UTC", r[col])
		}
	}
	if seen == 0 {
		t.Error("no student with a last course access to check")
	}
}
