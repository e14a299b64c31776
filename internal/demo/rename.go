package demo

import "errors"

// This file holds the test hooks that put hostile text where Moodle lets users and teachers
// put text: a name a student typed into their profile, an activity name, a group name, a
// grader's feedback (HTML in Moodle). The dashboard must show all of it as text; tests seed
// <script> and <img onerror> here and look for them in every page and export.

// SetUserName changes a user's first and last name (Moodle's fullname is "first last").
func (s *Site) SetUserName(userID int64, firstname, lastname string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.users[int(userID)]
	if u == nil {
		return errors.New("demo: no such user")
	}
	u.firstname, u.lastname = firstname, lastname
	return nil
}

// SetActivityName renames the activity cmid of a course, wherever Moodle shows its name.
func (s *Site) SetActivityName(courseID, cmid int64, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.courseByID[int(courseID)]
	if co == nil || co.modByCmid[int(cmid)] == nil {
		return errors.New("demo: no such activity")
	}
	co.modByCmid[int(cmid)].name = name
	return nil
}

// SetGroupName renames a group of a course.
func (s *Site) SetGroupName(courseID, groupID int64, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co := s.courseByID[int(courseID)]
	if co == nil || co.groupByID[int(groupID)] == nil {
		return errors.New("demo: no such group")
	}
	co.groupByID[int(groupID)].name = name
	return nil
}

// SetFeedback replaces the grader's feedback (HTML, as Moodle stores it) on a student's graded
// assignment cmid.
func (s *Site) SetFeedback(courseID, userID, cmid int64, html string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co, e, err := s.studentOf(courseID, userID)
	if err != nil {
		return err
	}
	m := co.modByCmid[int(cmid)]
	if m == nil || m.modname != "assign" || m.assignIdx < 0 || !e.p.grades[m.assignIdx].set {
		return errors.New("demo: no grade to give feedback on")
	}
	e.p.grades[m.assignIdx].feedback = html
	return nil
}
