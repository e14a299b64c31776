package demo

// mobileConfig answers tool_mobile_get_config with the sections the dashboard reads: the
// location settings (timezone, forcetimezone), as Moodle 4.5's tool_mobile\api::get_config
// lists them. Other sections answer with no settings.
func mobileConfig(c *call) (any, error) {
	section, err := c.a.strOr("section", "")
	if err != nil {
		return nil, err
	}
	type setting struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	settings := []setting{}
	if section == "" || section == "locationsettings" {
		settings = append(settings,
			setting{"timezone", orDefaultZone(c.s.opts.Timezone)},
			setting{"forcetimezone", orDefaultZone(c.s.opts.ForceTimezone)})
	}
	return map[string]any{"settings": settings, "warnings": []any{}}, nil
}

// userTimezone is u's profile zone: "99" (the site's default) unless Options name one.
func (s *Site) userTimezone(u *user) string {
	return orDefaultZone(s.opts.UserTimezones[u.username])
}

func orDefaultZone(z string) string {
	if z == "" {
		return "99"
	}
	return z
}
