package demo

import (
	"sort"
	"strings"
)

type wireContact struct {
	ID       int    `json:"id"`
	Fullname string `json:"fullname"`
}

type wireFilter struct {
	Filter         string `json:"filter"`
	Localstate     int    `json:"localstate"`
	Inheritedstate int    `json:"inheritedstate"`
}

type wireFormatOption struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

// wireCourseSummary is the part of a course record search and lookups share.
type wireCourseSummary struct {
	ID                       int           `json:"id"`
	Fullname                 string        `json:"fullname"`
	Displayname              string        `json:"displayname"`
	Shortname                string        `json:"shortname"`
	Courseimage              string        `json:"courseimage"`
	Categoryid               int           `json:"categoryid"`
	Categoryname             string        `json:"categoryname"`
	Sortorder                int           `json:"sortorder"`
	Summary                  string        `json:"summary"`
	Summaryformat            int           `json:"summaryformat"`
	Summaryfiles             []any         `json:"summaryfiles"`
	Overviewfiles            []any         `json:"overviewfiles"`
	Showactivitydates        bool          `json:"showactivitydates"`
	Showcompletionconditions bool          `json:"showcompletionconditions"`
	Contacts                 []wireContact `json:"contacts"`
	Enrollmentmethods        []string      `json:"enrollmentmethods"`
}

// wireCourse is a course of core_course_get_courses_by_field.
type wireCourse struct {
	wireCourseSummary
	Idnumber            string             `json:"idnumber"`
	Format              string             `json:"format"`
	Showgrades          int                `json:"showgrades"`
	Newsitems           int                `json:"newsitems"`
	Startdate           int64              `json:"startdate"`
	Enddate             int64              `json:"enddate"`
	Maxbytes            int                `json:"maxbytes"`
	Showreports         int                `json:"showreports"`
	Visible             int                `json:"visible"`
	Groupmode           int                `json:"groupmode"`
	Groupmodeforce      int                `json:"groupmodeforce"`
	Defaultgroupingid   int                `json:"defaultgroupingid"`
	Enablecompletion    int                `json:"enablecompletion"`
	Completionnotify    int                `json:"completionnotify"`
	Lang                string             `json:"lang"`
	Theme               string             `json:"theme"`
	Marker              int                `json:"marker"`
	Legacyfiles         int                `json:"legacyfiles"`
	Calendartype        string             `json:"calendartype"`
	Timecreated         int64              `json:"timecreated"`
	Timemodified        int64              `json:"timemodified"`
	Requested           int                `json:"requested"`
	Cacherev            int64              `json:"cacherev"`
	Filters             []wireFilter       `json:"filters"`
	Courseformatoptions []wireFormatOption `json:"courseformatoptions"`
}

type wireWarning struct {
	Item        string `json:"item"`
	Itemid      int    `json:"itemid"`
	Warningcode string `json:"warningcode"`
	Message     string `json:"message"`
}

type wireCourses struct {
	Courses  []wireCourse  `json:"courses"`
	Warnings []wireWarning `json:"warnings"`
}

func (c *call) courseSummary(co *course) wireCourseSummary {
	var contacts []wireContact
	for _, e := range co.enrols {
		if e.role == roleEditingTeacher {
			contacts = append(contacts, wireContact{e.user.id, e.user.fullname()})
		}
	}
	return wireCourseSummary{
		ID: co.id, Fullname: co.fullname, Displayname: co.fullname, Shortname: co.shortname,
		Courseimage: c.courseImageURL(co), Categoryid: 1, Categoryname: "Category 1", Sortorder: co.sortorder,
		Summary: co.summary, Summaryformat: 1, Summaryfiles: []any{}, Overviewfiles: []any{},
		Showcompletionconditions: true, Contacts: nonNil(contacts), Enrollmentmethods: []string{"manual"},
	}
}

func (c *call) wireCourse(co *course) wireCourse {
	return wireCourse{
		wireCourseSummary: c.courseSummary(co),
		Idnumber:          co.idnumber, Format: "topics", Showgrades: 1, Startdate: co.startdate, Enddate: co.enddate,
		Visible: 1, Groupmode: co.groupmode, Enablecompletion: 1, Timecreated: co.timecreated,
		Timemodified: co.timemodified, Cacherev: co.cacherev,
		Filters: []wireFilter{
			{"displayh5p", 0, 1}, {"activitynames", 0, 1}, {"mathjaxloader", 0, 1},
			{"emoticon", 0, 1}, {"urltolink", 0, 1}, {"mediaplugin", 0, 1},
		},
		Courseformatoptions: []wireFormatOption{
			{"hiddensections", 1}, {"coursedisplay", 0}, {"indentation", "1"},
		},
	}
}

// coursesByField answers core_course_get_courses_by_field: an unknown value
// is not an error, just no courses.
func coursesByField(c *call) (any, error) {
	field, err := c.a.strOr("field", "")
	if err != nil {
		return nil, err
	}
	value, err := c.a.strOr("value", "")
	if err != nil {
		return nil, err
	}
	var match func(co *course) bool
	switch field {
	case "":
		match = func(*course) bool { return true }
	case "id", "category":
		n, err := parseInt(value)
		if err != nil {
			return nil, err
		}
		match = func(co *course) bool { return field == "id" && co.id == int(n) || field == "category" && n == 1 }
	case "ids":
		want := map[int]bool{}
		for _, part := range strings.Split(value, ",") {
			n, err := parseInt(part)
			if err != nil {
				return nil, err
			}
			want[int(n)] = true
		}
		match = func(co *course) bool { return want[co.id] }
	case "shortname":
		match = func(co *course) bool { return co.shortname == value }
	case "idnumber":
		match = func(co *course) bool { return co.idnumber == value }
	default:
		return nil, errInvalidParameter()
	}
	out := wireCourses{Courses: []wireCourse{}, Warnings: []wireWarning{}}
	for _, co := range c.s.courses { // by id, as Moodle's query returns them
		if match(co) {
			out.Courses = append(out.Courses, c.wireCourse(co))
		}
	}
	return out, nil
}

type wireSearchResult struct {
	Total    int                 `json:"total"`
	Courses  []wireCourseSummary `json:"courses"`
	Warnings []wireWarning       `json:"warnings"`
}

// searchCourses answers core_course_search_courses with criterianame
// "search": courses whose names or summary contain the words.
func searchCourses(c *call) (any, error) {
	name, err := c.a.reqStr("criterianame")
	if err != nil {
		return nil, err
	}
	value, err := c.a.reqStr("criteriavalue")
	if err != nil {
		return nil, err
	}
	page, err := c.a.intOr("page", 0)
	if err != nil {
		return nil, err
	}
	perpage, err := c.a.intOr("perpage", 0)
	if err != nil {
		return nil, err
	}
	if name != "search" {
		return nil, errInvalidParameter()
	}
	var found []wireCourseSummary
	q := strings.ToLower(value)
	for _, co := range c.s.sortedCourses() {
		hay := strings.ToLower(co.fullname + " " + co.shortname + " " + co.summary)
		if strings.Contains(hay, q) {
			found = append(found, c.courseSummary(co))
		}
	}
	total := len(found)
	if perpage > 0 {
		from := min(int(page*perpage), len(found))
		found = found[from:min(from+int(perpage), len(found))]
	}
	return wireSearchResult{Total: total, Courses: nonNil(found), Warnings: []wireWarning{}}, nil
}

type wireTimelineCourse struct {
	ID                       int     `json:"id"`
	Fullname                 string  `json:"fullname"`
	Shortname                string  `json:"shortname"`
	Idnumber                 string  `json:"idnumber"`
	Summary                  string  `json:"summary"`
	Summaryformat            int     `json:"summaryformat"`
	Startdate                int64   `json:"startdate"`
	Enddate                  int64   `json:"enddate"`
	Visible                  bool    `json:"visible"`
	Showactivitydates        bool    `json:"showactivitydates"`
	Showcompletionconditions bool    `json:"showcompletionconditions"`
	Pdfexportfont            string  `json:"pdfexportfont"`
	Fullnamedisplay          string  `json:"fullnamedisplay"`
	Viewurl                  string  `json:"viewurl"`
	Courseimage              string  `json:"courseimage"`
	Progress                 float64 `json:"progress"`
	Hasprogress              bool    `json:"hasprogress"`
	Isfavourite              bool    `json:"isfavourite"`
	Hidden                   bool    `json:"hidden"`
	Showshortname            bool    `json:"showshortname"`
	Coursecategory           string  `json:"coursecategory"`
}

type wireTimeline struct {
	Courses    []wireTimelineCourse `json:"courses"`
	Nextoffset int                  `json:"nextoffset"`
}

// timelineCourses answers
// core_course_get_enrolled_courses_by_timeline_classification: the caller's
// courses, most recently accessed first. Every demo course is in progress.
func timelineCourses(c *call) (any, error) {
	class, err := c.a.reqStr("classification")
	if err != nil {
		return nil, err
	}
	limit, err := c.a.intOr("limit", 0)
	if err != nil {
		return nil, err
	}
	offset, err := c.a.intOr("offset", 0)
	if err != nil {
		return nil, err
	}
	var list []*course
	switch class {
	case "all", "allincludinghidden", "inprogress":
		list = c.s.coursesOf(c.u.id)
	case "future", "past", "favourites", "hidden", "search", "customfield":
	default:
		return nil, errInvalidParameter()
	}
	sort.SliceStable(list, func(i, j int) bool {
		return list[i].enrolByUser[c.u.id].lastcourseaccess > list[j].enrolByUser[c.u.id].lastcourseaccess
	})
	from := min(int(offset), len(list))
	list = list[from:]
	if limit > 0 && int(limit) < len(list) {
		list = list[:limit]
	}
	out := wireTimeline{Courses: []wireTimelineCourse{}, Nextoffset: from + len(list)}
	for _, co := range list {
		pct, has := co.progressPercent(co.enrolByUser[c.u.id])
		out.Courses = append(out.Courses, wireTimelineCourse{
			ID: co.id, Fullname: co.fullname, Shortname: co.shortname, Idnumber: co.idnumber,
			Summary: co.summary, Summaryformat: 1, Startdate: co.startdate, Enddate: co.enddate, Visible: true,
			Showcompletionconditions: true, Fullnamedisplay: co.fullname,
			Viewurl:     c.base + "/course/view.php?id=" + itoa(co.id),
			Courseimage: courseImageData(co), Progress: float64(int(pct)), Hasprogress: has,
			Coursecategory: "Category 1",
		})
	}
	return out, nil
}
