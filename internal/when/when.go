// Package when holds the one time value the domain, the views and the Moodle client share: a
// point in time at second precision whose zero value means "never". It is a leaf package, so the
// domain can speak about times without importing the Moodle client.
package when

import (
	"encoding/json"
	"strconv"
	"time"
)

// Time is a timestamp as Moodle writes it: Unix seconds, where 0 (or null) means "never". The zero Time
// is "never", so a student who never opened the course compares as such without a sentinel date.
type Time struct{ t time.Time }

// Unix makes a Time from Unix seconds; 0 is "never".
func Unix(sec int64) Time {
	if sec == 0 {
		return Time{}
	}
	return Time{time.Unix(sec, 0).UTC()}
}

// Of wraps a time.Time; the zero time.Time is "never".
func Of(t time.Time) Time {
	if t.IsZero() {
		return Time{}
	}
	return Time{t.UTC().Truncate(time.Second)}
}

// Never reports whether the time is unset.
func (t Time) Never() bool { return t.t.IsZero() }

// Time returns the time.Time, the zero value for "never".
func (t Time) Time() time.Time { return t.t }

// Unix returns Unix seconds, 0 for "never".
func (t Time) Unix() int64 {
	if t.Never() {
		return 0
	}
	return t.t.Unix()
}

// UnmarshalJSON reads a number, a numeric string, or null.
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = Time{}
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	if n == "" {
		*t = Time{}
		return nil
	}
	sec, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return err
	}
	*t = Unix(int64(sec))
	return nil
}

// MarshalJSON writes Unix seconds, 0 for "never", as Moodle does.
func (t Time) MarshalJSON() ([]byte, error) { return []byte(strconv.FormatInt(t.Unix(), 10)), nil }
