package demo

import (
	"encoding/base64"
	"fmt"
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

// ptr returns a pointer to v, for optional reply fields.
func ptr[T any](v T) *T { return &v }

// nonNil returns an empty slice for nil, because Moodle sends [] and never
// null for a list.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// courseImage is the generated course image Moodle shows when a course has
// none: a data URI in the timeline, a pluginfile URL elsewhere.
func (c *call) courseImageURL(co *course) string {
	return fmt.Sprintf("%s/pluginfile.php/%d/course/generated/course.svg", c.base, co.ctxid)
}

func courseImageData(co *course) string {
	hue := (co.id * 67) % 360
	svg := fmt.Sprintf(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="136" height="235">`+
		`<rect x="0" y="0" width="100%%" height="100%%" fill="hsl(%d, 35%%, 88%%)" /></svg>`, hue)
	return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg))
}
