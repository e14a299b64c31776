package moodle

import (
	"context"
	"encoding/json"
)

// GradeItem is one grade item of one user (gradereport_user_get_grade_items). The course
// total has a nil ItemName.
type GradeItem struct {
	ID                  int64   `json:"id"`
	ItemName            *string `json:"itemname"`
	ItemType            string  `json:"itemtype"`
	ItemModule          string  `json:"itemmodule"`
	ItemInstance        int64   `json:"iteminstance"`
	ItemNumber          int     `json:"itemnumber"`
	IDNumber            string  `json:"idnumber"`
	CMID                int64   `json:"cmid"`
	GradeRaw            Number  `json:"graderaw"`
	GradeFormatted      string  `json:"gradeformatted"` // HTML (a pass/fail icon)
	GradeMin            float64 `json:"grademin"`
	GradeMax            float64 `json:"grademax"`
	GradeDateSubmitted  Time    `json:"gradedatesubmitted"`
	GradeDateGraded     Time    `json:"gradedategraded"`
	GradeIsHidden       bool    `json:"gradeishidden"`
	GradeIsOverridden   bool    `json:"gradeisoverridden"`
	PercentageFormatted string  `json:"percentageformatted"`
	Feedback            string  `json:"feedback"` // HTML
	FeedbackFormat      int     `json:"feedbackformat"`
}

// UserGrades are one user's grade items in a course.
type UserGrades struct {
	CourseID     int64       `json:"courseid"`
	UserID       int64       `json:"userid"`
	UserFullName string      `json:"userfullname"`
	UserIDNumber string      `json:"useridnumber"`
	MaxDepth     int         `json:"maxdepth"`
	GradeItems   []GradeItem `json:"gradeitems"`
}

// GradeItemsReply is the reply of gradereport_user_get_grade_items.
type GradeItemsReply struct {
	UserGrades []UserGrades `json:"usergrades"`
	Warnings   []Warning    `json:"warnings"`
}

// GradeItems calls gradereport_user_get_grade_items for one user. userID 0 asks for every
// user, which is by far the most expensive call on a big course: the dashboard avoids it.
func (c *Client) GradeItems(ctx context.Context, token string, courseID, userID int64) (*GradeItemsReply, error) {
	var out GradeItemsReply
	p := newParams().SetInt("courseid", courseID).SetInt("userid", userID)
	if err := c.call(ctx, token, "gradereport_user_get_grade_items", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GradesTableReply is the reply of gradereport_user_get_grades_table: the user report as
// table cells of HTML, kept raw because each row has different columns.
type GradesTableReply struct {
	Tables []struct {
		CourseID     int64                        `json:"courseid"`
		UserID       int64                        `json:"userid"`
		UserFullName string                       `json:"userfullname"`
		MaxDepth     int                          `json:"maxdepth"`
		TableData    []map[string]json.RawMessage `json:"tabledata"`
	} `json:"tables"`
	Warnings []Warning `json:"warnings"`
}

// GradesTable calls gradereport_user_get_grades_table.
func (c *Client) GradesTable(ctx context.Context, token string, courseID, userID int64) (*GradesTableReply, error) {
	var out GradesTableReply
	p := newParams().SetInt("courseid", courseID).SetInt("userid", userID)
	if err := c.call(ctx, token, "gradereport_user_get_grades_table", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
