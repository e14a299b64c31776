package moodle

// The web-service functions the dashboard calls, by the name Moodle gives them. Callers
// outside this package name a function only to ask whether a token's service allows it, or
// to count calls in a test; they never build a call from it.
const (
	FuncSiteInfo             = "core_webservice_get_site_info"
	FuncUsersCourses         = "core_enrol_get_users_courses"
	FuncEnrolledUsers        = "core_enrol_get_enrolled_users"
	FuncCoursesByField       = "core_course_get_courses_by_field"
	FuncCourseContents       = "core_course_get_contents"
	FuncGroupsForSelector    = "core_group_get_groups_for_selector"
	FuncActivitiesCompletion = "core_completion_get_activities_completion_status"
	FuncCourseCompletion     = "core_completion_get_course_completion_status"
	FuncAssignments          = "mod_assign_get_assignments"
	FuncSubmissions          = "mod_assign_get_submissions"
	FuncGrades               = "mod_assign_get_grades"
	FuncUserFlags            = "mod_assign_get_user_flags"
	FuncGradeItems           = "gradereport_user_get_grade_items"
	FuncCourseUserProfiles   = "core_user_get_course_user_profiles"
	FuncSendMessages         = "core_message_send_instant_messages"
	FuncConversation         = "core_message_get_conversation_between_users"
	FuncCourseNotes          = "core_notes_get_course_notes"
	FuncCreateNotes          = "core_notes_create_notes"
	FuncBatch                = "tool_mobile_call_external_functions"
)

// Functions are the functions the dashboard calls, for the Moodle administrator who builds a
// custom service for it (printed by the server's -list-functions).
func Functions() []string {
	return []string{
		FuncSiteInfo, FuncUsersCourses, FuncEnrolledUsers, FuncCoursesByField, FuncCourseContents,
		FuncGroupsForSelector, FuncActivitiesCompletion, FuncCourseCompletion, FuncAssignments,
		FuncSubmissions, FuncGrades, FuncUserFlags, FuncGradeItems, FuncCourseUserProfiles,
		FuncSendMessages, FuncConversation, FuncCourseNotes, FuncCreateNotes, FuncUsersByField, FuncSiteConfig, FuncBatch,
	}
}
