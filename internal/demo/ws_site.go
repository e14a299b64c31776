package demo

// Versions site info reports.
const (
	moodleVersion = "2024090300"
	demoRelease   = "4.5 (demo)"
)

type wireFunction struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type wireFeature struct {
	Name  string `json:"name"`
	Value int    `json:"value"`
}

type wireSiteInfo struct {
	Sitename              string         `json:"sitename"`
	Username              string         `json:"username"`
	Firstname             string         `json:"firstname"`
	Lastname              string         `json:"lastname"`
	Fullname              string         `json:"fullname"`
	Lang                  string         `json:"lang"`
	Userid                int            `json:"userid"`
	Siteurl               string         `json:"siteurl"`
	Userpictureurl        string         `json:"userpictureurl"`
	Functions             []wireFunction `json:"functions"`
	Downloadfiles         int            `json:"downloadfiles"`
	Uploadfiles           int            `json:"uploadfiles"`
	Release               string         `json:"release"`
	Version               string         `json:"version"`
	Mobilecssurl          string         `json:"mobilecssurl"`
	Advancedfeatures      []wireFeature  `json:"advancedfeatures"`
	Usercanmanageownfiles bool           `json:"usercanmanageownfiles"`
	Userquota             int64          `json:"userquota"`
	Usermaxuploadfilesize int64          `json:"usermaxuploadfilesize"`
	Userhomepage          int            `json:"userhomepage"`
	Userprivateaccesskey  string         `json:"userprivateaccesskey"`
	Siteid                int            `json:"siteid"`
	Sitecalendartype      string         `json:"sitecalendartype"`
	Usercalendartype      string         `json:"usercalendartype"`
	Userissiteadmin       bool           `json:"userissiteadmin"`
	Theme                 string         `json:"theme"`
	Limitconcurrentlogins int            `json:"limitconcurrentlogins"`
	Policyagreed          int            `json:"policyagreed"`
}

// siteInfo answers core_webservice_get_site_info: who the token belongs to
// and which functions its service allows.
func siteInfo(c *call) (any, error) {
	files := 0
	if c.svc.files {
		files = 1
	}
	fns := make([]wireFunction, 0, len(c.svc.functions))
	for _, name := range c.svc.functions {
		fns = append(fns, wireFunction{Name: name, Version: c.s.funcs[name].version})
	}
	return wireSiteInfo{
		Sitename: "KTS Demo Moodle", Username: c.u.username, Firstname: c.u.firstname, Lastname: c.u.lastname,
		Fullname: c.u.fullname(), Lang: "en", Userid: c.u.id, Siteurl: c.base,
		Userpictureurl: c.userPicture(false), Functions: fns,
		Downloadfiles: files, Uploadfiles: files, Release: demoRelease, Version: moodleVersion,
		Advancedfeatures: []wireFeature{
			{"usecomments", 1}, {"usetags", 1}, {"enablenotes", 1}, {"messaging", 1},
			{"enableblogs", 1}, {"enablecompletion", 1}, {"enablebadges", 1}, {"messagingallusers", 0},
			{"enablecustomreports", 1}, {"enableglobalsearch", 0}, {"mnet_dispatcher_mode", 0},
			{"enablecompetencies", 1},
		},
		Usercanmanageownfiles: true, Userquota: 104857600, Usermaxuploadfilesize: 67108864,
		Userhomepage: 1, Userprivateaccesskey: tokenFor(c.u.username, "privateaccesskey"),
		Siteid: 1, Sitecalendartype: "gregorian", Usercalendartype: "gregorian", Theme: "boost",
	}, nil
}

// themeRev is the theme revision in image URLs.
func (c *call) themeRev() string { return c.s.themeRev }

// userPicture is the default avatar URL (f1 large, f2 small).
func (c *call) userPicture(small bool) string {
	f := "f1"
	if small {
		f = "f2"
	}
	return c.base + "/theme/image.php/boost/core/" + c.themeRev() + "/u/" + f
}

func (c *call) modIcon(modname string) string {
	return c.base + "/theme/image.php/boost/" + modname + "/" + c.themeRev() + "/monologo?filtericon=1"
}
