package moodle

import "context"

// Completion states of core_completion_get_activities_completion_status.
const (
	StateIncomplete   = 0
	StateComplete     = 1
	StateCompletePass = 2
	StateCompleteFail = 3
)

// Completion tracking kinds.
const (
	TrackingManual    = 1
	TrackingAutomatic = 2
)

// ActivitiesCompletion is the reply of core_completion_get_activities_completion_status: one
// status per activity with completion (no labels, no activity without completion).
type ActivitiesCompletion struct {
	Statuses []ActivityStatus `json:"statuses"`
	Warnings []Warning        `json:"warnings"`
}

// ActivityStatus is one activity's completion for one user.
type ActivityStatus struct {
	CMID              int64            `json:"cmid"`
	ModName           string           `json:"modname"`
	Instance          int64            `json:"instance"`
	State             int              `json:"state"`
	TimeCompleted     Time             `json:"timecompleted"`
	Tracking          int              `json:"tracking"`
	OverrideBy        *int64           `json:"overrideby"`
	ValueUsed         bool             `json:"valueused"`
	HasCompletion     bool             `json:"hascompletion"`
	IsAutomatic       bool             `json:"isautomatic"`
	IsTrackedUser     bool             `json:"istrackeduser"`
	UserVisible       bool             `json:"uservisible"`
	Details           []CompletionRule `json:"details"`
	IsOverallComplete bool             `json:"isoverallcomplete"`
}

// CompletionRule is one rule of an automatic completion (view, submit, grade, pass grade).
type CompletionRule struct {
	RuleName  string `json:"rulename"`
	RuleValue struct {
		Status      int    `json:"status"`
		Description string `json:"description"`
	} `json:"rulevalue"`
}

// ActivitiesCompletion calls core_completion_get_activities_completion_status.
func (c *Client) ActivitiesCompletion(ctx context.Context, token string, courseID, userID int64) (*ActivitiesCompletion, error) {
	var out ActivitiesCompletion
	p := newParams().SetInt("courseid", courseID).SetInt("userid", userID)
	if err := c.call(ctx, token, "core_completion_get_activities_completion_status", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CourseCompletion is the reply of core_completion_get_course_completion_status.
type CourseCompletion struct {
	CompletionStatus struct {
		Completed   bool                  `json:"completed"`
		Aggregation int                   `json:"aggregation"`
		Completions []CompletionCriterion `json:"completions"`
	} `json:"completionstatus"`
	Warnings []Warning `json:"warnings"`
}

// CompletionCriterion is one course completion criterion for the user.
type CompletionCriterion struct {
	Type          int    `json:"type"`
	Title         string `json:"title"`
	Status        string `json:"status"`
	Complete      bool   `json:"complete"`
	TimeCompleted Time   `json:"timecompleted"`
	Details       struct {
		Type        string `json:"type"`
		Criteria    string `json:"criteria"` // HTML (a link to the activity)
		Requirement string `json:"requirement"`
		Status      string `json:"status"`
	} `json:"details"`
}

// CourseCompletion calls core_completion_get_course_completion_status.
func (c *Client) CourseCompletion(ctx context.Context, token string, courseID, userID int64) (*CourseCompletion, error) {
	var out CourseCompletion
	p := newParams().SetInt("courseid", courseID).SetInt("userid", userID)
	if err := c.call(ctx, token, "core_completion_get_course_completion_status", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
