package moodle

import (
	"time"

	"github.com/knowthystudents/kts/internal/when"
)

// Time is a Moodle timestamp: Unix seconds, where 0 (or null) means "never". It is when.Time,
// so the domain and the views read the client's replies without importing the client.
type Time = when.Time

// Unix makes a Time from Unix seconds; 0 is "never".
func Unix(sec int64) Time { return when.Unix(sec) }

// TimeOf wraps a time.Time; the zero time.Time is "never".
func TimeOf(t time.Time) Time { return when.Of(t) }
