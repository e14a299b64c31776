package export_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/cohort"
	"github.com/knowthystudents/kts/internal/export"
)

// FuzzWriteActivitiesCSV: whatever Moodle sends as section, activity and module names, and
// whatever the counts, the activities CSV reads back with a header and one record of nine
// cells per activity, each text cell as sent (valid UTF-8, an apostrophe before a formula
// start), each count a plain integer, and no cell but a number starting with =, +, -, @, tab
// or CR.
func FuzzWriteActivitiesCSV(f *testing.F) {
	f.Add("Week 1: Writing to learn", "A1 Essay: Learning styles", "assign", int64(6), 12, 1, 29, -14)
	f.Add("=cmd|' /C calc'!A0", "<img src=x onerror=alert(1)>", "+x", int64(-1), 0, 0, 0, 0)
	f.Add("\r\n", "a,b\"c", "@SUM(A1)", int64(1<<62), -3, 1<<30, -1, 100)
	f.Fuzz(func(t *testing.T, section, name, modname string, cmid int64, completed, failed, eligible, dropoff int) {
		a := cohort.Activity{CMID: cmid, Section: section, Name: name, ModName: modname}
		rep := cohort.ActivityReport{Rows: []cohort.ActivityRow{
			{Activity: a, Completed: completed, Failed: failed, Eligible: eligible},
			{Activity: a, Completed: eligible, Dropoff: dropoff, HasDropoff: true},
		}}
		var buf bytes.Buffer
		if err := export.WriteActivitiesCSV(&buf, rep); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatalf("CSV does not read back: %v", err)
		}
		if len(recs) != 3 || strings.Join(recs[0], ",") != strings.Join(export.ActivitiesHeader(), ",") {
			t.Fatalf("records = %q", recs)
		}
		for _, rec := range recs[1:] {
			if len(rec) != 9 {
				t.Fatalf("record %q has %d cells, want 9", rec, len(rec))
			}
			for _, i := range []int{0, 4, 5, 6, 7} {
				if _, err := strconv.ParseInt(rec[i], 10, 64); err != nil {
					t.Errorf("cell %d = %q, want an integer", i, rec[i])
				}
			}
			for i, sent := range []string{section, name, modname} {
				if want := readBack(safe(sent)); rec[1+i] != want {
					t.Errorf("cell %d = %q, want %q", 1+i, rec[1+i], want)
				}
			}
			for _, cell := range rec {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					if _, err := strconv.ParseInt(cell, 10, 64); err != nil {
						t.Errorf("unsafe cell %q", cell)
					}
				}
			}
		}
		if recs[1][8] != "" || recs[2][8] != strconv.Itoa(dropoff) {
			t.Errorf("dropoff cells %q and %q, want empty and %d", recs[1][8], recs[2][8], dropoff)
		}
	})
}
