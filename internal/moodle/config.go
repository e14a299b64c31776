package moodle

import (
	"context"
	"strconv"
)

// The functions the dashboard reads a teacher's time zone with. Both are optional: without
// them dates are in the server's -timezone.
const (
	FuncUsersByField = "core_user_get_users_by_field"
	FuncSiteConfig   = "tool_mobile_get_config"
)

// Setting is one entry of tool_mobile_get_config: a site setting's name and value, both
// strings as Moodle sends them.
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SiteConfigReply is the reply of tool_mobile_get_config.
type SiteConfigReply struct {
	Settings []Setting `json:"settings"`
	Warnings []Warning `json:"warnings"`
}

// Get returns the value of the setting name, "" when the reply does not hold it.
func (r SiteConfigReply) Get(name string) string {
	for _, s := range r.Settings {
		if s.Name == name {
			return s.Value
		}
	}
	return ""
}

// SiteConfig calls tool_mobile_get_config for one settings section (e.g. "locationsettings",
// which holds timezone and forcetimezone). Any signed-in user of the mobile service may read it.
func (c *Client) SiteConfig(ctx context.Context, token, section string) (*SiteConfigReply, error) {
	var out SiteConfigReply
	if err := c.call(ctx, token, FuncSiteConfig, newParams().Set("section", section), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// SiteConfigCall is tool_mobile_get_config for one settings section, in a batch.
func SiteConfigCall(section string) *BatchCall[SiteConfigReply] {
	return newBatchCall[SiteConfigReply](FuncSiteConfig, map[string]any{"section": section})
}

// UserByIDCall is core_user_get_users_by_field for one user id, in a batch: for the signed-in
// user it includes their own timezone.
func UserByIDCall(userID int64) *BatchCall[[]User] {
	return newBatchCall[[]User](FuncUsersByField, map[string]any{"field": "id", "values": []string{strconv.FormatInt(userID, 10)}})
}
