package lti

import "strings"

// Role is what a launch's roles mean to the dashboard.
type Role int

// The roles the dashboard tells apart.
const (
	RoleOther   Role = iota // neither: refused
	RoleLearner             // a student: the dashboard is for teachers
	RoleTeacher             // Instructor or TeachingAssistant: the course's cohort
)

// RoleOf reads LTI 1.3 context roles (the membership vocabulary; Moodle sends
// http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor or #Learner). A teacher role
// wins over a learner role.
func RoleOf(roles []string) Role {
	r := RoleOther
	for _, s := range roles {
		switch membership(s) {
		case "Instructor", "TeachingAssistant", "Instructor#TeachingAssistant":
			return RoleTeacher
		case "Learner":
			r = RoleLearner
		}
	}
	return r
}

// membership returns the role's name in the context membership vocabulary ("" otherwise);
// the short names LTI 1.3 deprecates are accepted as the specification asks.
func membership(s string) string {
	const full = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
	const sub = "http://purl.imsglobal.org/vocab/lis/v2/membership/"
	switch {
	case strings.HasPrefix(s, full):
		return s[len(full):]
	case strings.HasPrefix(s, sub):
		return s[len(sub):]
	case !strings.Contains(s, ":") && !strings.Contains(s, "/"):
		return s
	}
	return ""
}
