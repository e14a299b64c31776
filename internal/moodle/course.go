package moodle

import (
	"context"
	"strconv"
)

// UserCourse is an entry of core_enrol_get_users_courses: a course the user is enrolled in,
// with Moodle's own completion progress for that user (nil for a teacher).
type UserCourse struct {
	ID                    int64    `json:"id"`
	ShortName             string   `json:"shortname"`
	FullName              string   `json:"fullname"`
	DisplayName           string   `json:"displayname"`
	EnrolledUserCount     int      `json:"enrolledusercount"`
	IDNumber              string   `json:"idnumber"`
	Visible               int      `json:"visible"`
	Format                string   `json:"format"`
	EnableCompletion      bool     `json:"enablecompletion"`
	CompletionHasCriteria bool     `json:"completionhascriteria"`
	Category              int64    `json:"category"`
	Progress              *float64 `json:"progress"`
	Completed             *bool    `json:"completed"`
	StartDate             Time     `json:"startdate"`
	EndDate               Time     `json:"enddate"`
	LastAccess            Time     `json:"lastaccess"`
	IsFavourite           bool     `json:"isfavourite"`
	Hidden                bool     `json:"hidden"`
}

// UsersCourses calls core_enrol_get_users_courses for userID.
func (c *Client) UsersCourses(ctx context.Context, token string, userID int64) ([]UserCourse, error) {
	var out []UserCourse
	err := c.call(ctx, token, "core_enrol_get_users_courses", newParams().SetInt("userid", userID), &out)
	return out, err
}

// Course is an entry of core_course_get_courses_by_field.
type Course struct {
	ID               int64     `json:"id"`
	FullName         string    `json:"fullname"`
	DisplayName      string    `json:"displayname"`
	ShortName        string    `json:"shortname"`
	CategoryID       int64     `json:"categoryid"`
	CategoryName     string    `json:"categoryname"`
	Summary          string    `json:"summary"`
	IDNumber         string    `json:"idnumber"`
	Format           string    `json:"format"`
	StartDate        Time      `json:"startdate"`
	EndDate          Time      `json:"enddate"`
	Visible          int       `json:"visible"`
	GroupMode        int       `json:"groupmode"` // 0 none, 1 separate, 2 visible
	GroupModeForce   int       `json:"groupmodeforce"`
	EnableCompletion int       `json:"enablecompletion"`
	Contacts         []Contact `json:"contacts"`
}

// Contact is a course contact (a teacher shown on the course listing).
type Contact struct {
	ID       int64  `json:"id"`
	FullName string `json:"fullname"`
}

// CoursesReply is the reply of core_course_get_courses_by_field. An unknown id is not an
// error: Courses is simply empty.
type CoursesReply struct {
	Courses  []Course  `json:"courses"`
	Warnings []Warning `json:"warnings"`
}

// CoursesByField calls core_course_get_courses_by_field (field id, ids, shortname, idnumber,
// category; empty field lists every course the user can see).
func (c *Client) CoursesByField(ctx context.Context, token, field, value string) (*CoursesReply, error) {
	p := newParams()
	if field != "" {
		p.Set("field", field).Set("value", value)
	}
	var out CoursesReply
	if err := c.call(ctx, token, "core_course_get_courses_by_field", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CourseByID looks one course up with core_course_get_courses_by_field; nil when Moodle
// does not show it to this user.
func (c *Client) CourseByID(ctx context.Context, token string, id int64) (*Course, error) {
	r, err := c.CoursesByField(ctx, token, "id", strconv.FormatInt(id, 10))
	if err != nil || len(r.Courses) == 0 {
		return nil, err
	}
	return &r.Courses[0], nil
}

// Section is a course section of core_course_get_contents, modules in course order.
type Section struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Visible     int      `json:"visible"`
	Summary     string   `json:"summary"`
	Section     int      `json:"section"`
	UserVisible bool     `json:"uservisible"`
	Modules     []Module `json:"modules"`
}

// Module is an activity or resource in a section.
type Module struct {
	ID          int64        `json:"id"` // the cmid
	URL         string       `json:"url"`
	Name        string       `json:"name"`
	Instance    int64        `json:"instance"`
	ContextID   int64        `json:"contextid"`
	Visible     int          `json:"visible"`
	UserVisible bool         `json:"uservisible"`
	ModName     string       `json:"modname"`
	ModPlural   string       `json:"modplural"`
	Indent      int          `json:"indent"`
	Completion  int          `json:"completion"` // 0 none, 1 manual, 2 automatic
	NoViewLink  bool         `json:"noviewlink"`
	Dates       []ModuleDate `json:"dates"`
}

// ModuleDate is a labelled date of a module (opens, due).
type ModuleDate struct {
	Label     string `json:"label"`
	Timestamp Time   `json:"timestamp"`
	DataID    string `json:"dataid"`
}

// CourseContents calls core_course_get_contents. Options such as excludecontents=1 trim the
// reply to what the dashboard reads.
func (c *Client) CourseContents(ctx context.Context, token string, courseID int64, opts ...Option) ([]Section, error) {
	var out []Section
	p := newParams().SetInt("courseid", courseID).Options("options", opts)
	err := c.call(ctx, token, "core_course_get_contents", p, &out)
	return out, err
}

// TimelineCourse is an entry of core_course_get_enrolled_courses_by_timeline_classification.
type TimelineCourse struct {
	ID              int64    `json:"id"`
	FullName        string   `json:"fullname"`
	ShortName       string   `json:"shortname"`
	IDNumber        string   `json:"idnumber"`
	StartDate       Time     `json:"startdate"`
	EndDate         Time     `json:"enddate"`
	Visible         bool     `json:"visible"`
	FullNameDisplay string   `json:"fullnamedisplay"`
	ViewURL         string   `json:"viewurl"`
	Progress        *float64 `json:"progress"`
	HasProgress     bool     `json:"hasprogress"`
	IsFavourite     bool     `json:"isfavourite"`
	Hidden          bool     `json:"hidden"`
	CourseCategory  string   `json:"coursecategory"`
}

// TimelineReply is the reply of core_course_get_enrolled_courses_by_timeline_classification.
type TimelineReply struct {
	Courses    []TimelineCourse `json:"courses"`
	NextOffset int              `json:"nextoffset"`
}

// TimelineCourses calls core_course_get_enrolled_courses_by_timeline_classification
// (classification all, inprogress, future, past, favourites, hidden).
func (c *Client) TimelineCourses(ctx context.Context, token, classification string) (*TimelineReply, error) {
	var out TimelineReply
	if err := c.call(ctx, token, "core_course_get_enrolled_courses_by_timeline_classification",
		newParams().Set("classification", classification), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SearchCoursesReply is the reply of core_course_search_courses.
type SearchCoursesReply struct {
	Total    int       `json:"total"`
	Courses  []Course  `json:"courses"`
	Warnings []Warning `json:"warnings"`
}

// SearchCourses calls core_course_search_courses (criterianame search, value the text).
func (c *Client) SearchCourses(ctx context.Context, token, criteriaName, criteriaValue string) (*SearchCoursesReply, error) {
	var out SearchCoursesReply
	p := newParams().Set("criterianame", criteriaName).Set("criteriavalue", criteriaValue)
	if err := c.call(ctx, token, "core_course_search_courses", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
