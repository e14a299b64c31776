package demo

// Function versions as a Moodle 4.5 site reports them in site info.
const (
	vCore       = "2024090300"
	vAssign     = "2024082100"
	vForum      = "2024082100"
	vQuiz       = "2024072500"
	vGradeUser  = "2024042200"
	vToolMobile = "2024042200"
)

// registry lists every implemented web-service function. It is built per
// site (no package state), and the mobile service allows exactly these.
func (s *Site) registry() map[string]*wsFunc {
	r := func(version string, run func(*call) (any, error)) *wsFunc {
		return &wsFunc{version: version, lock: lockRead, run: run}
	}
	w := func(version string, run func(*call) (any, error)) *wsFunc {
		return &wsFunc{version: version, lock: lockWrite, run: run}
	}
	return map[string]*wsFunc{
		"core_webservice_get_site_info": r(vCore, siteInfo),

		"core_course_get_courses_by_field":                            r(vCore, coursesByField),
		"core_course_get_contents":                                    r(vCore, courseContents),
		"core_course_get_enrolled_courses_by_timeline_classification": r(vCore, timelineCourses),
		"core_course_search_courses":                                  r(vCore, searchCourses),
		"core_course_get_updates_since":                               r(vCore, updatesSince),
		"core_course_check_updates":                                   r(vCore, checkUpdates),

		"core_enrol_get_users_courses":  r(vCore, usersCourses),
		"core_enrol_get_enrolled_users": r(vCore, enrolledUsers),

		"core_group_get_course_groups":       r(vCore, courseGroups),
		"core_group_get_groups_for_selector": r(vCore, groupsForSelector),

		"core_user_get_users_by_field":       r(vCore, usersByField),
		"core_user_get_course_user_profiles": r(vCore, courseUserProfiles),

		"core_completion_get_activities_completion_status": r(vCore, activitiesCompletion),
		"core_completion_get_course_completion_status":     r(vCore, courseCompletion),

		"mod_assign_get_assignments":   r(vAssign, assignments),
		"mod_assign_get_submissions":   r(vAssign, submissions),
		"mod_assign_get_grades":        r(vAssign, assignGrades),
		"mod_assign_get_user_flags":    r(vAssign, userFlags),
		"mod_assign_list_participants": r(vAssign, listParticipants),
		// A status read creates a "new" submission record, as Moodle does.
		"mod_assign_get_submission_status": w(vAssign, submissionStatus),

		"gradereport_user_get_grade_items":  r(vGradeUser, gradeItems),
		"gradereport_user_get_grades_table": r(vGradeUser, gradesTable),

		"mod_forum_get_forums_by_courses": r(vForum, forumsByCourses),
		"mod_quiz_get_quizzes_by_courses": r(vQuiz, quizzesByCourses),

		"tool_mobile_get_config":              r(vToolMobile, mobileConfig),
		"tool_mobile_call_external_functions": {version: vToolMobile, lock: lockNone, run: batch},

		"core_message_send_instant_messages":          w(vCore, sendInstantMessages),
		"core_message_get_conversation_between_users": r(vCore, conversationBetweenUsers),
		"core_message_get_conversation_counts":        r(vCore, conversationCounts),
		"core_message_get_unread_conversations_count": r(vCore, unreadConversationsCount),

		"core_notes_create_notes":     w(vCore, createNotes),
		"core_notes_get_course_notes": r(vCore, courseNotes),
	}
}
