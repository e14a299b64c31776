package demo

import (
	"errors"
	"time"
)

// This file holds the test hooks that play a student at work, so tests and benchmarks can
// change the site between two loads and check that a refresh sees it: Visit moves what
// core_enrol_get_enrolled_users reports as lastcourseaccess (and completes the next activity
// a view completes), Submit what mod_assign_get_submissions reports. They change nothing a
// teacher's override would, which is the point: an incremental refresh finds students by
// these traces only.

// ErrNoStudent is returned by the hooks for a user who is not a student of the course.
var ErrNoStudent = errors.New("demo: not a student of this course")

// Visit records that the student opened the course at t, as Moodle does on a page view:
// lastcourseaccess and the site-wide lastaccess move to t, and the first activity in course
// order that a view or a tick completes and is not complete yet becomes complete at t.
func (s *Site) Visit(courseID, userID int64, t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co, e, err := s.studentOf(courseID, userID)
	if err != nil {
		return err
	}
	at := t.Unix()
	e.lastcourseaccess = at
	e.user.lastaccess = max(e.user.lastaccess, at)
	for _, m := range co.mods {
		if m.completion == 0 || e.p.done[m.idx] > 0 || !(m.completion == 1 || m.onlyRule("completionview")) {
			continue
		}
		e.p.done[m.idx] = at
		break
	}
	return nil
}

// Submit records that the student submitted their work for the course's assignment number
// i (0-based, in course order) at t, and visited the course to do it.
func (s *Site) Submit(courseID, userID int64, i int, t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	co, e, err := s.studentOf(courseID, userID)
	if err != nil {
		return err
	}
	if i < 0 || i >= len(co.assigns) {
		return errors.New("demo: no such assignment")
	}
	at := t.Unix()
	sub := &e.p.subs[i]
	if sub.id == 0 {
		sub.id, sub.created = s.nextSubmissionID, at
		s.nextSubmissionID++
	}
	sub.status, sub.modified = subSubmitted, at
	e.lastcourseaccess = at
	e.user.lastaccess = max(e.user.lastaccess, at)
	return nil
}

// studentOf finds a student's enrolment. Called with mu held.
func (s *Site) studentOf(courseID, userID int64) (*course, *enrolment, error) {
	co := s.courseByID[int(courseID)]
	if co == nil {
		return nil, nil, errors.New("demo: no such course")
	}
	e := co.enrolByUser[int(userID)]
	if e == nil || e.p == nil || !e.isStudent() {
		return nil, nil, ErrNoStudent
	}
	return co, e, nil
}

// onlyRule reports whether rule is the module's only completion rule.
func (m *module) onlyRule(rule string) bool { return len(m.rules) == 1 && m.rules[0] == rule }
