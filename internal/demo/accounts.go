package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
)

// Demo passwords. They are printed on the dashboard's demo sign-in page, so
// they are memorable rather than secret.
const (
	// TeacherPassword signs in kts.teacher, the editing teacher.
	TeacherPassword = "demo-teacher"
	// TutorPassword signs in kts.tutor, the non-editing teacher of Group A.
	TutorPassword = "demo-tutor"
	// StudentPassword signs in every student account (zoe.andersen and the
	// others), as the lab shares one student password.
	StudentPassword = "demo-student"
)

// Service short names a token can be issued for.
const (
	// MobileService is the official Moodle app service: every function the
	// demo implements, for every account (/login/token.php issues these).
	MobileService = "moodle_mobile_app"
	// CustomService is the lab's "Know Thy Students" service: the 23
	// functions an admin would grant the dashboard. Tokens for it exist only
	// where an admin created them (teacher, tutor and zoe.andersen).
	CustomService = "know_thy_students"
)

// Account is a demo sign-in the dashboard can show in demo mode, with what
// it can see, so people trying the demo know which door to use.
type Account struct {
	Username string
	Password string
	UserID   int
	Fullname string
	// Role is the Moodle role short name in KTS101: editingteacher,
	// teacher (non-editing) or student.
	Role string
	// Token is the account's moodle_mobile_app token, the one
	// /login/token.php returns for Username and Password.
	Token string
	// ServiceToken is the account's know_thy_students token, created by
	// the admin: fewer functions (no messaging), for permission tests.
	ServiceToken string
	// Description says in one sentence what the account sees.
	Description string
}

// Accounts returns the demo accounts: the editing teacher, the non-editing
// tutor and a student, in that order.
func (s *Site) Accounts() []Account { return append([]Account(nil), s.accounts...) }

// Token returns the token of username for a service ("" if the user has
// none), for tests that need a token of a kind the accounts do not list.
func (s *Site) Token(username, service string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for tok, ti := range s.tokens {
		if ti.user.username == username && ti.service.shortname == service {
			return tok
		}
	}
	return ""
}

// tokenFor derives a user's token for a service: 32 hex digits, stable
// across processes, so a token copied from one demo run works in the next.
func tokenFor(username, service string) string {
	sum := sha256.Sum256([]byte("kts-demo-token\x00" + service + "\x00" + username))
	return hex.EncodeToString(sum[:16])
}

type tokenInfo struct {
	user    *user
	service *service
}

// service is an external service: a named set of allowed functions.
type service struct {
	shortname string
	functions []string
	allowed   map[string]bool
	files     bool // downloadfiles/uploadfiles in site info
}

func newService(shortname string, files bool, functions []string) *service {
	sv := &service{shortname: shortname, functions: functions, allowed: map[string]bool{}, files: files}
	for _, f := range functions {
		sv.allowed[f] = true
	}
	return sv
}

// customServiceFunctions are the functions of the lab's know_thy_students
// service, in the order site info lists them.
func customServiceFunctions() []string {
	return []string{
		"core_webservice_get_site_info",
		"core_enrol_get_users_courses",
		"core_course_get_courses_by_field",
		"core_course_get_contents",
		"core_enrol_get_enrolled_users",
		"core_group_get_course_groups",
		"core_group_get_groups_for_selector",
		"core_completion_get_activities_completion_status",
		"core_completion_get_course_completion_status",
		"mod_assign_get_assignments",
		"mod_assign_get_submissions",
		"mod_assign_get_grades",
		"mod_assign_get_user_flags",
		"mod_assign_list_participants",
		"mod_assign_get_submission_status",
		"gradereport_user_get_grade_items",
		"core_user_get_users_by_field",
		"mod_forum_get_forums_by_courses",
		"core_course_get_enrolled_courses_by_timeline_classification",
		"tool_mobile_call_external_functions",
		"core_user_get_course_user_profiles",
		"mod_quiz_get_quizzes_by_courses",
		"gradereport_user_get_grades_table",
	}
}

func (s *Site) buildServices() map[string]*service {
	all := make([]string, 0, len(s.funcs))
	for name := range s.funcs {
		all = append(all, name)
	}
	sort.Strings(all)
	return map[string]*service{
		MobileService: newService(MobileService, true, all),
		CustomService: newService(CustomService, false, customServiceFunctions()),
	}
}

func (s *Site) buildAccounts() {
	s.tokens = map[string]tokenInfo{}
	type spec struct {
		username, password, role, desc string
	}
	specs := []spec{
		{"kts.teacher", TeacherPassword, roleEditingTeacher,
			"Editing teacher of KTS101, BIG500 and the benchmark course: sees every student and group."},
		{"kts.tutor", TutorPassword, roleTeacher,
			"Non-editing teacher in KTS101, Group A only (separate groups): sees only Group A."},
		{"zoe.andersen", StudentPassword, roleStudent,
			"Student in KTS101 (Group A): not a teacher, so the dashboard should refuse her a cohort view."},
	}
	for _, sp := range specs {
		u := s.userByName[sp.username]
		a := Account{
			Username: sp.username, Password: sp.password, UserID: u.id, Fullname: u.fullname(),
			Role: sp.role, Description: sp.desc,
			Token:        s.issueToken(u, MobileService),
			ServiceToken: s.issueToken(u, CustomService),
		}
		s.accounts = append(s.accounts, a)
	}
}

// issueToken registers (or finds) the user's token for a service. Callers
// hold s.mu for writing, or run before the site is shared.
func (s *Site) issueToken(u *user, service string) string {
	tok := tokenFor(u.username, service)
	s.tokens[tok] = tokenInfo{user: u, service: s.services[service]}
	return tok
}
