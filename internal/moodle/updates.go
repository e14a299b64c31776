package moodle

import (
	"context"
	"strconv"
)

// UpdatesReply is the reply of core_course_get_updates_since and core_course_check_updates:
// one instance per module with something newer than since.
type UpdatesReply struct {
	Instances []UpdatedInstance `json:"instances"`
	Warnings  []Warning         `json:"warnings"`
}

// UpdatedInstance is a module (or other context) with updates.
type UpdatedInstance struct {
	ContextLevel string   `json:"contextlevel"`
	ID           int64    `json:"id"`
	Updates      []Update `json:"updates"`
}

// Update is one updated area (configuration, usersubmissions, ...). Note: a teacher sees no
// completion or gradeitems area, so completion changes cannot be found this way.
type Update struct {
	Name        string  `json:"name"`
	TimeUpdated Time    `json:"timeupdated"`
	ItemIDs     []int64 `json:"itemids"`
}

// UpdatesSince calls core_course_get_updates_since.
func (c *Client) UpdatesSince(ctx context.Context, token string, courseID int64, since Time) (*UpdatesReply, error) {
	var out UpdatesReply
	p := newParams().SetInt("courseid", courseID).SetInt("since", since.Unix())
	if err := c.call(ctx, token, "core_course_get_updates_since", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CheckItem is one entry of core_course_check_updates' tocheck[].
type CheckItem struct {
	ContextLevel string
	ID           int64
	Since        Time
}

// CheckUpdates calls core_course_check_updates.
func (c *Client) CheckUpdates(ctx context.Context, token string, courseID int64, items []CheckItem) (*UpdatesReply, error) {
	p := newParams().SetInt("courseid", courseID)
	for i, it := range items {
		p.Item("tocheck", i, "contextlevel", it.ContextLevel)
		p.Item("tocheck", i, "id", strconv.FormatInt(it.ID, 10))
		p.Item("tocheck", i, "since", strconv.FormatInt(it.Since.Unix(), 10))
	}
	var out UpdatesReply
	if err := c.call(ctx, token, "core_course_check_updates", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
