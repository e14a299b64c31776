package export

import (
	"io"

	"github.com/knowthystudents/kts/internal/cohort"
)

// ActivitiesHeader is the header row of the activities CSV, the contract's columns.
func ActivitiesHeader() []string {
	return []string{"cmid", "section", "name", "modname", "completed", "failed", "eligible", "percent", "dropoff"}
}

// WriteActivitiesCSV writes the activity report as the contract's activities CSV: one row
// per activity with completion, in course order; dropoff is empty on the first row.
func WriteActivitiesCSV(w io.Writer, r cohort.ActivityReport) error {
	cw := newWriter(w)
	if err := cw.row(ActivitiesHeader()); err != nil {
		return err
	}
	for _, row := range r.Rows {
		dropoff := ""
		if row.HasDropoff {
			dropoff = integer(int64(row.Dropoff))
		}
		a := row.Activity
		err := cw.row([]string{
			integer(a.CMID), text(a.Section), text(a.Name), text(a.ModName),
			integer(int64(row.Completed)), integer(int64(row.Failed)), integer(int64(row.Eligible)),
			integer(int64(row.Percent)), dropoff,
		})
		if err != nil {
			return err
		}
	}
	return cw.flush()
}
