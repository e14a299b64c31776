package demo

// This file holds the permission checks the functions share, modelled on
// Moodle's default roles: editing teachers see everything in their course;
// non-editing teachers see only their groups when the course is in separate
// groups mode and they lack accessallgroups; students see their own data.

const separateGroups = 1

// courseByID returns the course or Moodle's invalidrecord for an unknown id.
func (c *call) courseByID(id int64) (*course, error) {
	co := c.s.courseByID[int(id)]
	if co == nil {
		return nil, errMissingRecord("course")
	}
	return co, nil
}

// enrolled returns the caller's active enrolment in the course, or
// require_login's failure.
func (c *call) enrolled(co *course) (*enrolment, error) {
	e := co.enrolByUser[c.u.id]
	if e == nil || e.suspended {
		return nil, errNotEnrolled()
	}
	return e, nil
}

// courseAsMember combines courseByID and enrolled.
func (c *call) courseAsMember(id int64) (*course, *enrolment, error) {
	co, err := c.courseByID(id)
	if err != nil {
		return nil, nil, err
	}
	e, err := c.enrolled(co)
	if err != nil {
		return nil, nil, err
	}
	return co, e, nil
}

// canSeeUser reports whether viewer may see target in the course, the
// separate-groups rule of user_can_view_profile: yourself, anyone if you
// have accessallgroups or the course is not in separate groups, otherwise
// only people who share a group with you.
func canSeeUser(co *course, viewer, target *enrolment) bool {
	if viewer.user.id == target.user.id || viewer.accessAllGroups || co.groupmode != separateGroups {
		return true
	}
	for _, g := range viewer.groups {
		if target.inGroup(g) {
			return true
		}
	}
	return false
}

// canSeeGroup reports whether the viewer may pick group id (accessallgroups,
// or membership).
func canSeeGroup(co *course, viewer *enrolment, id int) bool {
	return viewer.accessAllGroups || co.groupmode != separateGroups || viewer.inGroup(id)
}

// userByID returns a user or invalidrecord on table user.
func (c *call) userByID(id int64) (*user, error) {
	u := c.s.users[int(id)]
	if u == nil {
		return nil, errMissingRecord("user")
	}
	return u, nil
}
