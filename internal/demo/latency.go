package demo

import (
	"context"
	"time"
)

// Cost is the time one web-service function takes: Base for the call plus
// PerUnit for every unit of work it did. What a unit is depends on the
// function: a user returned by core_enrol_get_enrolled_users, an
// assignment × student pair of mod_assign_get_submissions, a user of
// gradereport_user_get_grade_items, a module of core_course_get_contents.
type Cost struct {
	Base    time.Duration
	PerUnit time.Duration
}

func (c Cost) of(units float64) time.Duration {
	return c.Base + time.Duration(units*float64(c.PerUnit))
}

// Latency models how slow a Moodle is, so benchmarks of the dashboard see
// the same shape of costs as against a real site: cheap metadata, expensive
// per-student lists. The zero value adds no delay.
type Latency struct {
	// Request is added to every HTTP request (network, PHP bootstrap,
	// token check).
	Request time.Duration
	// Functions holds per-wsfunction costs; functions not listed use
	// Default.
	Functions map[string]Cost
	// Default is the cost of a function not in Functions.
	Default Cost
	// Login is the cost of a /login/token.php request on top of Request.
	Login time.Duration
	// BatchFactor scales the cost of each call made inside
	// tool_mobile_call_external_functions (one PHP process serves the whole
	// batch, so each inner call is cheaper than its own request). Zero
	// means 1.
	BatchFactor float64
}

// RealisticLatency returns a model fitted to a real Moodle 4.5 measured with
// 500 students, 25 activities and 5 assignments:
//
//	core_webservice_get_site_info                          23 ms
//	core_enrol_get_enrolled_users, default fields       1,676 ms (trimmed userfields 1,081 ms)
//	core_course_get_contents                               42 ms
//	mod_assign_get_assignments                             42 ms
//	mod_assign_get_submissions, 5 assignments           2,009 ms
//	mod_assign_get_grades                                  38 ms
//	gradereport_user_get_grade_items, all users         5,214 ms
//	core_completion_get_activities_completion_status       54 ms (one student)
//	tool_mobile_call_external_functions, 25 completions  ≈650 ms
//
// Per-student costs scale linearly, so the generated 5,000-student course is
// about ten times slower on the per-student calls, as a real site would be.
func RealisticLatency() Latency {
	ms := time.Millisecond
	us := time.Microsecond
	return Latency{
		Request: 15 * ms,
		Login:   60 * ms,
		Default: Cost{Base: 25 * ms},
		Functions: map[string]Cost{
			"core_webservice_get_site_info": {Base: 8 * ms},
			// 501 users: 15 + 10 + 501 × 3.3 ≈ 1,678 ms; a trimmed
			// userfields list counts 0.645 units per user (≈ 1,091 ms).
			"core_enrol_get_enrolled_users": {Base: 10 * ms, PerUnit: 3300 * us},
			// 25 modules: 15 + 17 + 25 × 0.4 = 42 ms.
			"core_course_get_contents":   {Base: 17 * ms, PerUnit: 400 * us},
			"mod_assign_get_assignments": {Base: 27 * ms},
			// 5 assignments × 500 students: 15 + 10 + 2,500 × 0.794 ≈ 2,010 ms.
			"mod_assign_get_submissions": {Base: 10 * ms, PerUnit: 794 * us},
			"mod_assign_get_grades":      {Base: 23 * ms, PerUnit: 10 * us},
			// 500 users: 15 + 20 + 500 × 10.36 ≈ 5,215 ms.
			"gradereport_user_get_grade_items":  {Base: 20 * ms, PerUnit: 10360 * us},
			"gradereport_user_get_grades_table": {Base: 20 * ms, PerUnit: 10360 * us},
			// 25 activities: 15 + 14 + 25 × 1 = 54 ms.
			"core_completion_get_activities_completion_status": {Base: 14 * ms, PerUnit: 1 * ms},
			// Inner calls cost their own model × BatchFactor: 25 completion
			// calls = 15 + 10 + 25 × 39 × 0.64 ≈ 649 ms.
			"tool_mobile_call_external_functions": {Base: 10 * ms},
			"mod_assign_list_participants":        {Base: 20 * ms, PerUnit: 2 * ms},
			"core_user_get_course_user_profiles":  {Base: 20 * ms, PerUnit: 3 * ms},
			"mod_assign_get_submission_status":    {Base: 45 * ms},
		},
		BatchFactor: 0.64,
	}
}

// RequestCost is one web-service request as the latency model saw it.
type RequestCost struct {
	Function string
	// Inner are the functions a tool_mobile_call_external_functions batch
	// ran, in order.
	Inner []string
	// Modelled is the delay the latency model gave the request.
	Modelled time.Duration
	// Done is when the reply was written.
	Done time.Time
}

// cost returns the modelled time of one call of fn that did units of work.
func (l Latency) cost(fn string, units float64) time.Duration {
	c, ok := l.Functions[fn]
	if !ok {
		c = l.Default
	}
	return c.of(units)
}

func (l Latency) batchFactor() float64 {
	if l.BatchFactor == 0 {
		return 1
	}
	return l.BatchFactor
}

// sleep waits d or until ctx is done, whichever comes first, and reports
// whether the full delay passed (false: the client went away).
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
