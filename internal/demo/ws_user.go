package demo

import "sort"

// usersByField answers core_user_get_users_by_field (id, idnumber,
// username, email): the users the caller may see (himself, or people he
// shares a course with), by id. Unknown values are skipped.
func usersByField(c *call) (any, error) {
	field, err := c.a.reqStr("field")
	if err != nil {
		return nil, err
	}
	values, err := c.a.strs("values")
	if err != nil {
		return nil, err
	}
	var found []*user
	seen := map[int]bool{}
	for _, v := range values {
		var u *user
		switch field {
		case "id":
			n, err := parseInt(v)
			if err != nil {
				return nil, err
			}
			u = c.s.users[int(n)]
		case "username":
			u = c.s.userByName[v]
		case "email":
			u = c.s.userByEmail[v]
		case "idnumber":
			for _, cand := range c.s.users {
				if cand.idnumber == v {
					u = cand
					break
				}
			}
		default:
			return nil, errInvalidParameter()
		}
		if u == nil || seen[u.id] || (u.id != c.u.id && !c.s.sharesCourse(c.u.id, u.id)) {
			continue
		}
		seen[u.id] = true
		found = append(found, u)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].id < found[j].id })
	out := []wireUserDetails{}
	for _, u := range found {
		out = append(out, c.userDetails(u, detailOpts{
			teacherView: c.s.teachesAnywhere(c.u.id) || u.id == c.u.id, self: u.id == c.u.id, withSuspended: true,
		}))
	}
	return out, nil
}

// courseUserProfiles answers core_user_get_course_user_profiles: each
// requested user as seen in that course (groups, roles, courses). Pairs the
// caller may not see are left out, as Moodle does.
func courseUserProfiles(c *call) (any, error) {
	list, err := c.a.objs("userlist")
	if err != nil {
		return nil, err
	}
	out := []wireUserDetails{}
	for _, it := range list {
		uid, err := it.reqInt("userid")
		if err != nil {
			return nil, err
		}
		cid, err := it.reqInt("courseid")
		if err != nil {
			return nil, err
		}
		co := c.s.courseByID[int(cid)]
		if co == nil {
			continue
		}
		me, target := co.enrolByUser[c.u.id], co.enrolByUser[int(uid)]
		if me == nil || me.suspended || target == nil || !canSeeUser(co, me, target) {
			continue
		}
		out = append(out, c.userDetails(target.user, detailOpts{
			teacherView: me.isTeacher(), self: target.user.id == c.u.id, withSuspended: true,
			co: co, e: target, withEnrolments: true,
		}))
		c.work(1)
	}
	return out, nil
}
