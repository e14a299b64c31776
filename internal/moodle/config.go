package moodle

import "context"

// Setting is one entry of tool_mobile_get_config: a site setting's name and value, both
// strings as Moodle sends them.
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// SiteConfig calls tool_mobile_get_config for one settings section (e.g. "locationsettings",
// which holds timezone and forcetimezone) and returns the settings by name. Any signed-in user
// of the mobile service may read it.
func (c *Client) SiteConfig(ctx context.Context, token, section string) (map[string]string, error) {
	var out struct {
		Settings []Setting `json:"settings"`
	}
	if err := c.call(ctx, token, "tool_mobile_get_config", newParams().Set("section", section), &out); err != nil {
		return nil, err
	}
	m := make(map[string]string, len(out.Settings))
	for _, s := range out.Settings {
		m[s.Name] = s.Value
	}
	return m, nil
}
