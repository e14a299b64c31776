package demo

// Wire shapes of users, shared by the enrolment, user and assignment
// participant functions.

type wireUserGroup struct {
	ID                int    `json:"id"`
	Name              string `json:"name"`
	Description       string `json:"description"`
	Descriptionformat int    `json:"descriptionformat"`
}

type wireRole struct {
	Roleid    int    `json:"roleid"`
	Name      string `json:"name"`
	Shortname string `json:"shortname"`
	Sortorder int    `json:"sortorder"`
}

type wirePref struct {
	Name  string `json:"name"`
	Value any    `json:"value"`
}

type wireEnrolledCourse struct {
	ID        int    `json:"id"`
	Fullname  string `json:"fullname"`
	Shortname string `json:"shortname"`
}

// wireUserDetails is user_get_user_details' output. Optional fields are
// pointers: absent when the viewer may not see them or did not ask.
type wireUserDetails struct {
	ID                   int                  `json:"id"`
	Username             *string              `json:"username,omitempty"`
	Firstname            *string              `json:"firstname,omitempty"`
	Lastname             *string              `json:"lastname,omitempty"`
	Fullname             *string              `json:"fullname,omitempty"`
	Email                *string              `json:"email,omitempty"`
	Department           *string              `json:"department,omitempty"`
	Institution          *string              `json:"institution,omitempty"`
	Idnumber             *string              `json:"idnumber,omitempty"`
	Firstaccess          *int64               `json:"firstaccess,omitempty"`
	Lastaccess           *int64               `json:"lastaccess,omitempty"`
	Lastcourseaccess     *int64               `json:"lastcourseaccess,omitempty"`
	Suspended            *bool                `json:"suspended,omitempty"`
	Timezone             *string              `json:"timezone,omitempty"`
	City                 *string              `json:"city,omitempty"`
	Country              *string              `json:"country,omitempty"`
	Profileimageurlsmall *string              `json:"profileimageurlsmall,omitempty"`
	Profileimageurl      *string              `json:"profileimageurl,omitempty"`
	Groups               []wireUserGroup      `json:"groups,omitempty"`
	Roles                []wireRole           `json:"roles,omitempty"`
	Preferences          []wirePref           `json:"preferences,omitempty"`
	Enrolledcourses      []wireEnrolledCourse `json:"enrolledcourses,omitempty"`
}

// fieldSet is the userfields option: nil means every field.
type fieldSet map[string]bool

func (f fieldSet) has(name string) bool { return f == nil || f[name] }

// detailOpts say what a detail record carries beyond the basics.
type detailOpts struct {
	fields         fieldSet
	teacherView    bool // the viewer teaches: first and last names are shown
	self           bool // the viewer's own record: identity fields and preferences
	withCourseAcc  bool // lastcourseaccess (enrolled users)
	withSuspended  bool // suspended and timezone (user lookups)
	co             *course
	e              *enrolment // the user's enrolment in co, for groups and roles
	withEnrolments bool
	hideEmail      bool // a student sees no email of someone not actively enrolled (maildisplay: course members)
}

// userDetails renders a user the way core_user and core_enrol do.
func (c *call) userDetails(u *user, o detailOpts) wireUserDetails {
	f := o.fields
	w := wireUserDetails{ID: u.id}
	set := func(name string, dst **string, v string) {
		if f.has(name) {
			*dst = ptr(v)
		}
	}
	if o.self {
		set("username", &w.Username, u.username)
	}
	if o.teacherView {
		set("firstname", &w.Firstname, u.firstname)
		set("lastname", &w.Lastname, u.lastname)
	}
	set("fullname", &w.Fullname, u.fullname())
	if !o.hideEmail {
		set("email", &w.Email, u.email)
	}
	if o.self {
		set("department", &w.Department, u.department)
		set("institution", &w.Institution, u.institution)
		set("idnumber", &w.Idnumber, u.idnumber)
	}
	if f.has("firstaccess") {
		w.Firstaccess = ptr(u.firstaccess)
	}
	if f.has("lastaccess") {
		w.Lastaccess = ptr(u.lastaccess)
	}
	if o.withCourseAcc && o.e != nil && f.has("lastcourseaccess") {
		w.Lastcourseaccess = ptr(o.e.lastcourseaccess)
	}
	if o.withSuspended {
		w.Suspended = ptr(false)
		w.Timezone = ptr(c.s.userTimezone(u))
	}
	set("city", &w.City, u.city)
	set("country", &w.Country, u.country)
	set("profileimageurlsmall", &w.Profileimageurlsmall, c.userPicture(true))
	set("profileimageurl", &w.Profileimageurl, c.userPicture(false))
	if o.e != nil {
		if f.has("groups") {
			w.Groups = c.userGroups(o.co, o.e)
		}
		if f.has("roles") {
			w.Roles = []wireRole{{Roleid: roleID(o.e.role), Shortname: o.e.role}}
		}
	}
	if o.self && f.has("preferences") {
		for _, p := range u.prefs {
			w.Preferences = append(w.Preferences, wirePref{p.name, p.value})
		}
	}
	if o.withEnrolments && f.has("enrolledcourses") {
		for _, co := range c.s.coursesOf(u.id) {
			w.Enrolledcourses = append(w.Enrolledcourses, wireEnrolledCourse{co.id, co.fullname, co.shortname})
		}
	}
	return w
}

// userGroups are the user's groups in the course, with the description
// as Moodle formats it in user details.
func (c *call) userGroups(co *course, e *enrolment) []wireUserGroup {
	var out []wireUserGroup
	for _, id := range e.groups {
		g := co.groupByID[id]
		out = append(out, wireUserGroup{ID: g.id, Name: g.name,
			Description: `<div class="text_to_html">` + g.description + `</div>`})
	}
	return out
}
