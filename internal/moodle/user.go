package moodle

import (
	"context"
	"strconv"
)

// User is an entry of core_user_get_users_by_field.
type User struct {
	ID              int64  `json:"id"`
	Username        string `json:"username"`
	FirstName       string `json:"firstname"`
	LastName        string `json:"lastname"`
	FullName        string `json:"fullname"`
	Email           string `json:"email"`
	IDNumber        string `json:"idnumber"`
	FirstAccess     Time   `json:"firstaccess"`
	LastAccess      Time   `json:"lastaccess"`
	Suspended       bool   `json:"suspended"`
	Timezone        string `json:"timezone"`
	City            string `json:"city"`
	Country         string `json:"country"`
	ProfileImageURL string `json:"profileimageurl"`
}

// UsersByField calls core_user_get_users_by_field (field id, idnumber, username, email).
func (c *Client) UsersByField(ctx context.Context, token, field string, values []string) ([]User, error) {
	var out []User
	err := c.call(ctx, token, "core_user_get_users_by_field", newParams().Set("field", field).StringList("values", values), &out)
	return out, err
}

// CourseUserProfile is an entry of core_user_get_course_user_profiles: a user as seen in one
// course, with groups and roles.
type CourseUserProfile struct {
	User
	Groups          []UserGroup `json:"groups"`
	Roles           []Role      `json:"roles"`
	EnrolledCourses []CourseRef `json:"enrolledcourses"`
}

// CourseUserProfiles calls core_user_get_course_user_profiles for users of one course.
// Moodle leaves out users the caller may not see.
func (c *Client) CourseUserProfiles(ctx context.Context, token string, courseID int64, userIDs []int64) ([]CourseUserProfile, error) {
	p := newParams()
	for i, id := range userIDs {
		p.Item("userlist", i, "userid", strconv.FormatInt(id, 10))
		p.Item("userlist", i, "courseid", strconv.FormatInt(courseID, 10))
	}
	var out []CourseUserProfile
	err := c.call(ctx, token, "core_user_get_course_user_profiles", p, &out)
	return out, err
}
