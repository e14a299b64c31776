package views

// Page is what every page's layout needs.
type Page struct {
	Title       string
	User        *Viewer // nil when signed out
	Demo        bool    // running against the built-in demo Moodle
	CSS         string  // hashed URL of the stylesheet
	JS          string  // hashed URL of htmx
	JSIntegrity string  // subresource integrity of htmx
	AppJS       string  // hashed URL of the dashboard's own script
	AppJSInteg  string  // its subresource integrity
	MoodleURL   string  // base URL of the configured Moodle, for links to its pages
	Crumbs      []Crumb
	Notices     []Notice
	// Refresh, when above zero, makes the page reload itself after that many seconds when
	// scripts do not run (a page still filling in; a browser with scripts polls instead).
	Refresh int
}

// Viewer is the signed-in user as the header shows them.
type Viewer struct {
	FullName string
}

// Crumb is one step of the breadcrumb trail; the last has no link.
type Crumb struct {
	Label string
	Href  string
}

// Notice is a message box above the page content.
type Notice struct {
	Kind string // info, warn, error, success
	Text string
}
