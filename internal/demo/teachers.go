package demo

import "errors"

// AddTeacher makes a new user an editing teacher of the course (every group), who signs in
// with username and password for a moodle_mobile_app token, as kts.teacher does. Load tests
// use it to play many teachers, each with their own session, cache and loads, as at a school.
// Add teachers before anyone loads the course: its roster lists them.
func (s *Site) AddTeacher(courseID int64, username, password string) (Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.courseByID[int(courseID)]
	switch {
	case co == nil:
		return Account{}, errors.New("demo: no such course")
	case username == "" || password == "":
		return Account{}, errors.New("demo: a teacher needs a username and a password")
	case s.userByName[username] != nil:
		return Account{}, errors.New("demo: username taken")
	}
	id := 0
	for uid := range s.users {
		id = max(id, uid)
	}
	u := &user{id: id + 1, username: username, password: password, firstname: "Teacher", lastname: username,
		email: username + "@staff.kts-lab.example", department: "Learning Sciences", institution: "KTS Lab School",
		city: "Aalborg", country: "DK", firstaccess: s.days(-30), lastaccess: s.now - 60}
	s.addUser(u)
	e := &enrolment{user: u, role: roleEditingTeacher, accessAllGroups: true, lastcourseaccess: s.at(-1)}
	co.enrols = append(co.enrols, e) // the largest user id: the list stays sorted
	co.enrolByUser[u.id] = e
	return Account{Username: username, Password: password, UserID: u.id, Fullname: u.fullname(),
		Role: roleEditingTeacher, Token: s.issueToken(u, MobileService),
		Description: "Editing teacher added by a test: sees every student and group of the course."}, nil
}
