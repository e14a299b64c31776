package moodle

import "context"

// SiteInfo is core_webservice_get_site_info: who the token belongs to and what it may call.
type SiteInfo struct {
	SiteName        string     `json:"sitename"`
	Username        string     `json:"username"`
	FirstName       string     `json:"firstname"`
	LastName        string     `json:"lastname"`
	FullName        string     `json:"fullname"`
	Lang            string     `json:"lang"`
	UserID          int64      `json:"userid"`
	SiteURL         string     `json:"siteurl"`
	UserPictureURL  string     `json:"userpictureurl"`
	Functions       []Function `json:"functions"`
	Release         string     `json:"release"`
	Version         string     `json:"version"`
	UserIsSiteAdmin bool       `json:"userissiteadmin"`
	// AdvancedFeatures are the site's switches (messaging, enablenotes, enablecompletion).
	AdvancedFeatures []Feature `json:"advancedfeatures"`
	SiteID           int64     `json:"siteid"`
}

// Function is one wsfunction the token's service allows.
type Function struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Feature is one of the site's advanced features and whether it is on.
type Feature struct {
	Name  string `json:"name"`
	Value Number `json:"value"`
}

// FeatureOff reports whether the site says the feature is switched off; a feature the site
// does not report counts as on (Moodle decides when it is used).
func (s *SiteInfo) FeatureOff(name string) bool {
	for _, f := range s.AdvancedFeatures {
		if f.Name == name {
			return f.Value.Valid && f.Value.Value == 0
		}
	}
	return false
}

// Allows reports whether the token's service lists fn.
func (s *SiteInfo) Allows(fn string) bool {
	for _, f := range s.Functions {
		if f.Name == fn {
			return true
		}
	}
	return false
}

// SiteInfo calls core_webservice_get_site_info.
func (c *Client) SiteInfo(ctx context.Context, token string) (*SiteInfo, error) {
	var out SiteInfo
	if err := c.call(ctx, token, "core_webservice_get_site_info", nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
