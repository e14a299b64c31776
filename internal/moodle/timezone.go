package moodle

import (
	"strconv"
	"sync"
	"time"
)

// DefaultZone is the value Moodle stores for "the site's default time zone" (a user's
// timezone, the site's forcetimezone, and $CFG->timezone itself, meaning the server's).
const DefaultZone = "99"

// UserZone picks the zone Moodle shows a user's dates in, by Moodle's own rule
// (core_date::get_user_timezone): the site's forced zone when one is set, else the user's
// own, else the site's default. It returns the zone's name and false when none of them names a
// zone (all "99" or empty): the caller then falls back to its own default.
func UserZone(force, user, site string) (string, bool) {
	for _, z := range []string{force, user, site} {
		if z != "" && z != DefaultZone {
			if _, ok := LoadZone(z); ok {
				return z, true
			}
		}
	}
	return "", false
}

var zones sync.Map // name -> *time.Location, so one zone is one pointer

// LoadZone returns the location for a Moodle zone name: an IANA name ("Australia/Brisbane"),
// "UTC", or a legacy numeric offset in hours ("5.5", "-3") that older Moodle sites still
// store. The same name always gives the same *time.Location, so locations compare with ==.
func LoadZone(name string) (*time.Location, bool) {
	if v, ok := zones.Load(name); ok {
		return v.(*time.Location), true
	}
	var loc *time.Location
	if h, err := strconv.ParseFloat(name, 64); err == nil {
		if h < -14 || h > 14 {
			return nil, false
		}
		loc = time.FixedZone(offsetName(h), int(h*3600))
	} else {
		l, err := time.LoadLocation(name)
		if err != nil || name == "" || name == "Local" {
			return nil, false
		}
		loc = l
	}
	v, _ := zones.LoadOrStore(name, loc)
	return v.(*time.Location), true
}

// offsetName names a fixed offset as Moodle shows it: "UTC+5.5", "UTC-3", "UTC".
func offsetName(h float64) string {
	switch {
	case h == 0:
		return "UTC"
	case h > 0:
		return "UTC+" + strconv.FormatFloat(h, 'f', -1, 64)
	}
	return "UTC" + strconv.FormatFloat(h, 'f', -1, 64)
}
