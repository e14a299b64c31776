package demo

import (
	"fmt"
	"strings"
)

type wireSection struct {
	ID                  int          `json:"id"`
	Name                string       `json:"name"`
	Visible             int          `json:"visible"`
	Summary             string       `json:"summary"`
	Summaryformat       int          `json:"summaryformat"`
	Section             int          `json:"section"`
	Hiddenbynumsections int          `json:"hiddenbynumsections"`
	Uservisible         bool         `json:"uservisible"`
	Component           *string      `json:"component"`
	Itemid              *int         `json:"itemid"`
	Modules             []wireModule `json:"modules"`
}

type wireRuleValue struct {
	Status      int    `json:"status"`
	Description string `json:"description"`
}

type wireRule struct {
	Rulename  string        `json:"rulename"`
	Rulevalue wireRuleValue `json:"rulevalue"`
}

type wireCompletionData struct {
	State             int        `json:"state"`
	Timecompleted     int64      `json:"timecompleted"`
	Overrideby        *int       `json:"overrideby"`
	Valueused         bool       `json:"valueused"`
	Hascompletion     bool       `json:"hascompletion"`
	Isautomatic       bool       `json:"isautomatic"`
	Istrackeduser     bool       `json:"istrackeduser"`
	Uservisible       bool       `json:"uservisible"`
	Details           []wireRule `json:"details"`
	Isoverallcomplete bool       `json:"isoverallcomplete"`
}

type wireDate struct {
	Label     string `json:"label"`
	Timestamp int64  `json:"timestamp"`
	Dataid    string `json:"dataid"`
}

type wireContent struct {
	Type         string  `json:"type"`
	Filename     string  `json:"filename"`
	Filepath     *string `json:"filepath"`
	Filesize     int     `json:"filesize"`
	Fileurl      string  `json:"fileurl"`
	Timecreated  *int64  `json:"timecreated"`
	Timemodified int64   `json:"timemodified"`
	Sortorder    *int    `json:"sortorder"`
	Userid       *int    `json:"userid"`
	Author       *string `json:"author"`
	License      *string `json:"license"`
}

type wireContentsInfo struct {
	Filescount     int      `json:"filescount"`
	Filessize      int      `json:"filessize"`
	Lastmodified   int64    `json:"lastmodified"`
	Mimetypes      []string `json:"mimetypes"`
	Repositorytype string   `json:"repositorytype"`
}

type wireModule struct {
	ID                  int                 `json:"id"`
	URL                 string              `json:"url,omitempty"`
	Name                string              `json:"name"`
	Instance            int                 `json:"instance"`
	Contextid           int                 `json:"contextid"`
	Description         string              `json:"description,omitempty"`
	Visible             int                 `json:"visible"`
	Uservisible         bool                `json:"uservisible"`
	Visibleoncoursepage int                 `json:"visibleoncoursepage"`
	Modicon             string              `json:"modicon"`
	Modname             string              `json:"modname"`
	Purpose             string              `json:"purpose"`
	Branded             bool                `json:"branded"`
	Modplural           string              `json:"modplural"`
	Availability        *string             `json:"availability"`
	Indent              int                 `json:"indent"`
	Onclick             string              `json:"onclick"`
	Afterlink           *string             `json:"afterlink"`
	Activitybadge       *[]any              `json:"activitybadge,omitempty"`
	Customdata          string              `json:"customdata"`
	Noviewlink          bool                `json:"noviewlink"`
	Completion          int                 `json:"completion"`
	Completiondata      *wireCompletionData `json:"completiondata,omitempty"`
	Downloadcontent     int                 `json:"downloadcontent"`
	Dates               []wireDate          `json:"dates"`
	Groupmode           int                 `json:"groupmode"`
	Contents            *[]wireContent      `json:"contents,omitempty"`
	Contentsinfo        *wireContentsInfo   `json:"contentsinfo,omitempty"`
}

// modMeta is what Moodle says about a module type.
func modMeta(modname string) (purpose, plural string) {
	switch modname {
	case "forum":
		return "collaboration", "Forums"
	case "page":
		return "content", "Pages"
	case "url":
		return "content", "URLs"
	case "label":
		return "content", "Text and media areas"
	case "assign":
		return "assessment", "Assignments"
	case "quiz":
		return "assessment", "Quizzes"
	}
	return "other", modname
}

// customData is the module's customdata: a JSON document in a string, as
// Moodle sends it (keys in Moodle's order).
func customData(m *module) string {
	switch m.modname {
	case "forum":
		if m.completionPosts > 0 {
			return fmt.Sprintf(`{"customcompletionrules":{"completiondiscussions":"0","completionreplies":"0","completionposts":"%d"},"trackingtype":"1"}`, m.completionPosts)
		}
		return `{"trackingtype":"1"}`
	case "url":
		return `{"display":4,"filtericon":true}`
	case "assign":
		return fmt.Sprintf(`{"customcompletionrules":{"completionsubmit":"1"},"duedate":%d,"allowsubmissionsfromdate":"%d"}`, m.duedate, m.allowfrom)
	case "quiz":
		return `{"customcompletionrules":{"completionpassorattemptsexhausted":[],"completionminattempts":"0"}}`
	}
	return `""`
}

// cleanFilename drops the characters Moodle's clean_filename removes.
func cleanFilename(name string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:/\?*"<>|`, r) {
			return -1
		}
		return r
	}, name)
}

// wireCompletion renders the caller's completion of module m.
func (c *call) wireCompletion(co *course, e *enrolment, m *module) *wireCompletionData {
	st := co.completionOf(e, m)
	d := &wireCompletionData{
		State: st.state, Timecompleted: st.time, Hascompletion: true, Isautomatic: m.completion == 2,
		Istrackeduser: e != nil && e.tracked(), Uservisible: true, Details: []wireRule{},
		Isoverallcomplete: isDone(st.state),
	}
	if st.overrideby != 0 {
		d.Overrideby = ptr(st.overrideby)
	}
	for _, r := range st.details {
		d.Details = append(d.Details, wireRule{r.rule, wireRuleValue{r.status, ruleDescription(m, r.rule)}})
	}
	if m.completion == 2 && len(d.Details) == 0 {
		for _, r := range m.rules {
			d.Details = append(d.Details, wireRule{r, wireRuleValue{0, ruleDescription(m, r)}})
		}
	}
	return d
}

func (c *call) wireModule(co *course, e *enrolment, m *module, withContents bool) wireModule {
	purpose, plural := modMeta(m.modname)
	w := wireModule{
		ID: m.cmid, Name: m.name, Instance: m.instance, Contextid: m.ctxid, Visible: 1, Uservisible: true,
		Visibleoncoursepage: 1, Modicon: c.modIcon(m.modname), Modname: m.modname, Purpose: purpose,
		Modplural: plural, Customdata: customData(m), Completion: m.completion, Downloadcontent: 1,
		Dates: []wireDate{},
	}
	if m.modname == "label" {
		w.Description, w.Noviewlink = m.description, true
	} else {
		w.URL = fmt.Sprintf("%s/mod/%s/view.php?id=%d", c.base, m.modname, m.cmid)
	}
	if m.modname == "forum" {
		w.Activitybadge = &[]any{}
	}
	if m.completion > 0 {
		w.Completiondata = c.wireCompletion(co, e, m)
	}
	if m.modname == "assign" {
		w.Dates = []wireDate{
			{"Opened:", m.allowfrom, "allowsubmissionsfromdate"},
			{"Due:", m.duedate, "duedate"},
		}
	}
	var contents []wireContent
	switch m.modname {
	case "page":
		contents = []wireContent{{Type: "file", Filename: "index.html", Filepath: ptr("/"),
			Fileurl:      fmt.Sprintf("%s/webservice/pluginfile.php/%d/mod_page/content/index.html?forcedownload=1", c.base, m.ctxid),
			Timemodified: m.timemodified, Sortorder: ptr(1)}}
	case "url":
		contents = []wireContent{{Type: "url", Filename: cleanFilename(m.name), Fileurl: m.externalURL, Timemodified: m.timemodified}}
	}
	if contents != nil {
		if withContents {
			w.Contents = &contents
		}
		w.Contentsinfo = &wireContentsInfo{Filescount: 1, Lastmodified: m.timemodified, Mimetypes: []string{}}
	}
	return w
}

// courseContents answers core_course_get_contents: sections and modules in
// course order, with the caller's own completion. Options: excludemodules,
// excludecontents, sectionid, sectionnumber, cmid, modname.
func courseContents(c *call) (any, error) {
	id, err := c.a.reqInt("courseid")
	if err != nil {
		return nil, err
	}
	opts, err := c.a.options()
	if err != nil {
		return nil, err
	}
	co, e, err := c.courseAsMember(id)
	if err != nil {
		return nil, err
	}
	flag := func(name string) (bool, error) { return parseBool(opts[name]) }
	noMods, err := flag("excludemodules")
	if err != nil {
		return nil, err
	}
	noContents, err := flag("excludecontents")
	if err != nil {
		return nil, err
	}
	num := func(name string) (int, bool, error) {
		v, ok := opts[name]
		if !ok {
			return 0, false, nil
		}
		n, err := parseInt(v)
		return int(n), true, err
	}
	secID, bySecID, err := num("sectionid")
	if err != nil {
		return nil, err
	}
	secNum, bySecNum, err := num("sectionnumber")
	if err != nil {
		return nil, err
	}
	cmid, byCmid, err := num("cmid")
	if err != nil {
		return nil, err
	}
	modname, byModname := opts["modname"]

	out := []wireSection{}
	for _, sc := range co.sections {
		if bySecID && sc.id != secID || bySecNum && sc.num != secNum {
			continue
		}
		ws := wireSection{ID: sc.id, Name: sc.name, Visible: 1, Summaryformat: 1, Section: sc.num,
			Uservisible: true, Modules: []wireModule{}}
		if !noMods {
			for _, m := range sc.mods {
				if byCmid && m.cmid != cmid || byModname && m.modname != modname {
					continue
				}
				ws.Modules = append(ws.Modules, c.wireModule(co, e, m, !noContents))
				c.work(1)
			}
		}
		if (byCmid || byModname) && len(ws.Modules) == 0 {
			continue
		}
		out = append(out, ws)
	}
	return out, nil
}
