package moodle

import "context"

// CourseGroup is an entry of core_group_get_course_groups.
type CourseGroup struct {
	ID          int64  `json:"id"`
	CourseID    int64  `json:"courseid"`
	Name        string `json:"name"`
	Description string `json:"description"`
	IDNumber    string `json:"idnumber"`
}

// CourseGroups calls core_group_get_course_groups: every group of the course, whatever the
// caller may see.
func (c *Client) CourseGroups(ctx context.Context, token string, courseID int64) ([]CourseGroup, error) {
	var out []CourseGroup
	err := c.call(ctx, token, "core_group_get_course_groups", newParams().SetInt("courseid", courseID), &out)
	return out, err
}

// SelectorGroup is a group of the course's group selector; id 0 is "All participants".
type SelectorGroup struct {
	ID            ID     `json:"id"`
	Name          string `json:"name"`
	GroupImageURL string `json:"groupimageurl"`
}

// GroupsForSelectorReply is the reply of core_group_get_groups_for_selector.
type GroupsForSelectorReply struct {
	Groups   []SelectorGroup `json:"groups"`
	Warnings []Warning       `json:"warnings"`
}

// GroupsForSelector calls core_group_get_groups_for_selector: the groups Moodle offers this
// user in a course's group menu (only their own in separate groups mode without
// accessallgroups), which is the set the dashboard may filter by.
func (c *Client) GroupsForSelector(ctx context.Context, token string, courseID int64) (*GroupsForSelectorReply, error) {
	var out GroupsForSelectorReply
	if err := c.call(ctx, token, "core_group_get_groups_for_selector", newParams().SetInt("courseid", courseID), &out); err != nil {
		return nil, err
	}
	return &out, nil
}
