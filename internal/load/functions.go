package load

// Functions are the Moodle web-service functions the dashboard calls, for the Moodle
// administrator who builds a custom service for it (printed by the server's -list-functions).
// Keep it in step with the calls in this package and in the handlers; a test checks that
// every function the demo Moodle was asked for during the handler tests is listed.
func Functions() []string {
	return []string{
		"core_webservice_get_site_info",
		"core_enrol_get_users_courses",
		"core_enrol_get_enrolled_users",
		"core_course_get_courses_by_field",
		"core_course_get_contents",
		"core_group_get_groups_for_selector",
		"core_completion_get_activities_completion_status",
		"core_completion_get_course_completion_status",
		"mod_assign_get_assignments",
		"mod_assign_get_submissions",
		"mod_assign_get_grades",
		"mod_assign_get_user_flags",
		"gradereport_user_get_grade_items",
		"core_user_get_course_user_profiles",
		"core_message_send_instant_messages",
		"core_message_get_conversation_between_users",
		"core_notes_get_course_notes",
		"core_notes_create_notes",
		"tool_mobile_call_external_functions",
	}
}
