package demo

// Completion states, as core_completion reports them.
const (
	compIncomplete   = 0
	compComplete     = 1
	compCompletePass = 2
	compCompleteFail = 3
)

// ruleState is one completion rule's status for a student.
type ruleState struct {
	rule   string
	status int
}

// compState is one activity's completion for one student, derived from what
// the student did (views, ticks, posts, submissions, grades) or from a
// teacher's override.
type compState struct {
	state      int
	time       int64
	overrideby int // 0 = none
	details    []ruleState
}

// ruleDescription is the text Moodle shows for a completion rule.
func ruleDescription(m *module, rule string) string {
	switch rule {
	case "completionview":
		return "View"
	case "completionposts":
		return "Make forum posts: " + itoa(m.completionPosts)
	case "completionsubmit":
		return "Make a submission"
	case "completionusegrade":
		return "Receive a grade"
	case "completionpassgrade":
		return "Receive a passing grade"
	}
	return rule
}

// completionOf derives the completion of module m for enrolment e (nil or
// a teacher: nothing tracked, every rule incomplete).
func (co *course) completionOf(e *enrolment, m *module) compState {
	st := compState{}
	if m.completion == 0 {
		return st
	}
	var p *progress
	if e != nil {
		p = e.p
	}
	if p != nil {
		if o, ok := p.override[m.cmid]; ok {
			st.state, st.time, st.overrideby = o.state, o.time, o.by
			for _, r := range m.rules {
				st.details = append(st.details, ruleState{r, o.state})
			}
			return st
		}
	}
	if m.completion == 1 { // manual
		if p != nil && p.done[m.idx] > 0 {
			st.state, st.time = compComplete, p.done[m.idx]
		}
		return st
	}
	incomplete, fail, pass := false, false, false
	for _, r := range m.rules {
		status, t := 0, int64(0)
		if p != nil {
			status, t = co.ruleOf(p, m, r)
		}
		st.details = append(st.details, ruleState{r, status})
		switch status {
		case compIncomplete:
			incomplete = true
		case compCompleteFail:
			fail = true
		case compCompletePass:
			pass = true
		}
		st.time = max(st.time, t)
	}
	switch {
	case incomplete:
		st.state, st.time = compIncomplete, 0
	case fail:
		st.state = compCompleteFail
	case pass:
		st.state = compCompletePass
	default:
		st.state = compComplete
	}
	return st
}

// ruleOf evaluates one automatic rule: its status and when it was met.
func (co *course) ruleOf(p *progress, m *module, rule string) (int, int64) {
	switch rule {
	case "completionview", "completionposts":
		if t := p.done[m.idx]; t > 0 {
			return compComplete, t
		}
	case "completionsubmit":
		if sub := p.subs[m.assignIdx]; sub.status == subSubmitted {
			return compComplete, sub.modified
		}
	case "completionusegrade", "completionpassgrade":
		score, t, ok := co.gradeOf(p, m)
		if !ok {
			return compIncomplete, 0
		}
		if m.gradePass == 0 && rule == "completionusegrade" {
			return compComplete, t
		}
		if score >= m.gradePass {
			return compCompletePass, t
		}
		return compCompleteFail, t
	}
	return compIncomplete, 0
}

// gradeOf returns the student's grade for an assignment or the quiz.
func (co *course) gradeOf(p *progress, m *module) (float64, int64, bool) {
	if m.modname == "quiz" {
		if p.quiz.attemptID == 0 {
			return 0, 0, false
		}
		return p.quiz.score, p.quiz.time, true
	}
	if m.assignIdx >= 0 {
		if g := p.grades[m.assignIdx]; g.set {
			return g.score, g.time, true
		}
	}
	return 0, 0, false
}

// isDone reports the states Moodle counts as completed for progress: complete
// and complete-pass (complete-fail is not done).
func isDone(state int) bool { return state == compComplete || state == compCompletePass }

// courseComplete reports course completion (aggregation ALL of the criteria
// activities) and when it happened.
func (co *course) courseComplete(e *enrolment) (bool, int64) {
	if !e.tracked() || len(co.criteria) == 0 {
		return false, 0
	}
	var last int64
	for _, m := range co.criteria {
		st := co.completionOf(e, m)
		if !isDone(st.state) {
			return false, 0
		}
		last = max(last, st.time)
	}
	return true, last
}

// progressPercent is Moodle's course progress for a tracked student: 100 when
// the course is complete, else the share of activities done. ok is false
// when Moodle reports null (not tracked).
func (co *course) progressPercent(e *enrolment) (float64, bool) {
	if e == nil || !e.tracked() || co.compCount == 0 {
		return 0, false
	}
	if done, _ := co.courseComplete(e); done {
		return 100, true
	}
	n := 0
	for _, m := range co.mods {
		if m.completion > 0 && isDone(co.completionOf(e, m).state) {
			n++
		}
	}
	return float64(n) / float64(co.compCount) * 100, true
}
