<?php
// act.php: makes a student of the seeded course act through Moodle's own APIs, for the live
// suite (as the web user), and undoes it afterwards so that every other live test still sees
// the seeded site:
//
//   php act.php --what=pick --course=ID
//       picks, from Moodle's tables, two different active students and what each can do
//       without changing anything else: `complete` (a manual-completion activity that is no
//       course completion criterion, with no completion row for the student) and `submit` (an
//       assignment due more than two days from now, with no submission (at most the empty
//       "new" row Moodle creates when it is looked at), grade, flags or completion row for the student, who has not completed the course). Prints them.
//   php act.php --what=complete --user=USERNAME --cmid=N
//       the student marks activity N done, as the course page's toggle does: the course access
//       a web request records (user_accesstime_log), then completion_info::update_state.
//       Refuses when the student has a completion row for N already.
//   php act.php --what=submit --user=USERNAME --assign=CMID
//       the student saves an online text and submits it for grading through the assign class
//       (save_submission, submit_for_grading). Refuses when something was submitted already.
//   php act.php --what=undo --undo=JSON
//       puts back what complete or submit changed, given the "undo" object it printed (the
//       access times and the submission row as they were before): deletes the rows it
//       created, as Moodle's own course reset does, and purges the caches that hold them.
//
// Prints JSON: who, what, and Moodle's own timestamps of the rows written.

require(__DIR__ . '/bootstrap.php');
require_once($CFG->libdir . '/completionlib.php');
require_once($CFG->libdir . '/gradelib.php');
require_once($CFG->dirroot . '/mod/assign/locallib.php');

/** kts_student returns an active student of the course by username, or stops. */
function kts_student(string $username): stdClass {
    global $DB;
    $u = $DB->get_record('user', ['username' => $username, 'deleted' => 0], '*', MUST_EXIST);
    return $u;
}

/** kts_cm returns the course module cmid with its course, modinfo cm and completion info. */
function kts_cm(int $cmid, string $modname = ''): array {
    [$course, $cm] = get_course_and_cm_from_cmid($cmid, $modname);
    return [$course, $cm, new completion_info($course)];
}

/** kts_completion_row is the student's completion row for cmid, or null. */
function kts_completion_row(int $cmid, int $userid): ?array {
    global $DB;
    $r = $DB->get_record('course_modules_completion', ['coursemoduleid' => $cmid, 'userid' => $userid]);
    return $r ? ['completionstate' => (int) $r->completionstate, 'timemodified' => (int) $r->timemodified] : null;
}

/** kts_access is the student's course and site access times. */
function kts_access(int $userid, int $courseid): array {
    global $DB;
    return [
        'courseaccess' => (int) $DB->get_field('user_lastaccess', 'timeaccess', ['userid' => $userid, 'courseid' => $courseid]),
        'lastaccess' => (int) $DB->get_field('user', 'lastaccess', ['id' => $userid]),
    ];
}

/** kts_grade_item is the id of the assignment's grade item (0: none). */
function kts_grade_item(stdClass $course, stdClass $instance): int {
    $item = grade_item::fetch(['itemtype' => 'mod', 'itemmodule' => 'assign', 'iteminstance' => $instance->id,
        'itemnumber' => 0, 'courseid' => $course->id]);
    return $item ? (int) $item->id : 0;
}

/** kts_grade_row is the student's row for the assignment's grade item, or null. */
function kts_grade_row(stdClass $course, stdClass $instance, int $userid): ?stdClass {
    global $DB;
    $item = kts_grade_item($course, $instance);
    return $item ? ($DB->get_record('grade_grades', ['itemid' => $item, 'userid' => $userid]) ?: null) : null;
}

/** kts_purge drops the caches that hold a student's completion of a course. */
function kts_purge(int $userid, int $courseid): void {
    cache::make('core', 'completion')->delete($userid . '_' . $courseid);
    cache::make('core', 'coursecompletion')->delete($userid . '_' . $courseid);
}

function kts_fail(string $why): void {
    fwrite(STDERR, "act.php: $why\n");
    exit(1);
}

$now = time();
switch (kts_option('what')) {
    case 'pick':
        $course = get_course((int) kts_option('course'));
        $context = context_course::instance($course->id);
        $modinfo = get_fast_modinfo($course);
        $criteria = $DB->get_fieldset_select('course_completion_criteria', 'moduleinstance',
            'course = ? AND criteriatype = ?', [$course->id, COMPLETION_CRITERIA_TYPE_ACTIVITY]);
        // Active students in user id order: enrolment active now and role student.
        $students = array_values(array_filter(get_enrolled_users($context, 'mod/assign:submit', 0, 'u.*', 'u.id', 0, 0, true),
            fn($u) => user_has_role_assignment($u->id, $DB->get_field('role', 'id', ['shortname' => 'student']), $context->id)));
        $manual = [];
        $assigns = [];
        foreach ($modinfo->get_cms() as $cm) {
            if (!$cm->uservisible && !$cm->visible) {
                continue;
            }
            if ($cm->completion == COMPLETION_TRACKING_MANUAL && !in_array($cm->id, $criteria)) {
                $manual[] = $cm;
            }
            if ($cm->modname == 'assign') {
                $a = $DB->get_record('assign', ['id' => $cm->instance], '*', MUST_EXIST);
                if ($a->duedate > $now + 2 * DAYSECS && !$a->teamsubmission) {
                    $assigns[] = [$cm, $a];
                }
            }
        }
        $out = ['complete' => null, 'submit' => null];
        $used = [];
        foreach ($students as $u) {
            if ($out['complete'] !== null) {
                break;
            }
            foreach ($manual as $cm) {
                if (kts_completion_row($cm->id, $u->id) === null) {
                    $out['complete'] = ['user' => $u->username, 'userid' => (int) $u->id, 'cmid' => (int) $cm->id, 'name' => $cm->name];
                    $used[$u->id] = true;
                    break;
                }
            }
        }
        foreach ($students as $u) {
            if ($out['submit'] !== null || isset($used[$u->id])) {
                continue;
            }
            if ($DB->get_field('course_completions', 'timecompleted', ['userid' => $u->id, 'course' => $course->id])) {
                continue;
            }
            foreach ($assigns as [$cm, $a]) {
                $subs = $DB->get_records('assign_submission', ['assignment' => $a->id, 'userid' => $u->id]);
                $fresh = count($subs) == 0 || (count($subs) == 1 && reset($subs)->status == ASSIGN_SUBMISSION_STATUS_NEW
                    && !$DB->record_exists('assignsubmission_onlinetext', ['submission' => reset($subs)->id]));
                if ($fresh
                        && !$DB->record_exists('assign_grades', ['assignment' => $a->id, 'userid' => $u->id])
                        && !$DB->record_exists('assign_user_flags', ['assignment' => $a->id, 'userid' => $u->id])
                        && kts_completion_row($cm->id, $u->id) === null) {
                    $out['submit'] = ['user' => $u->username, 'userid' => (int) $u->id, 'assign' => (int) $cm->id,
                        'name' => $cm->name, 'duedate' => (int) $a->duedate];
                    break;
                }
            }
        }
        if ($out['complete'] === null || $out['submit'] === null) {
            kts_fail('no student is left who can act without changing the seed: ' . json_encode($out));
        }
        break;

    case 'complete':
        $u = kts_student(kts_option('user'));
        [$course, $cm, $completion] = kts_cm((int) kts_option('cmid'));
        if ($cm->completion != COMPLETION_TRACKING_MANUAL) {
            kts_fail("activity {$cm->id} has no manual completion");
        }
        if (($row = kts_completion_row($cm->id, $u->id)) !== null) {
            kts_fail("{$u->username} has a completion row for cmid {$cm->id} already: " . json_encode($row));
        }
        $before = kts_access($u->id, $course->id);
        \core\session\manager::set_user($u);
        // What the request of the course page's toggle records before it runs.
        user_accesstime_log($course->id);
        $completion->update_state($cm, COMPLETION_COMPLETE, $u->id);
        \core\session\manager::set_user(get_admin());
        $out = ['what' => 'complete', 'user' => $u->username, 'userid' => (int) $u->id, 'cmid' => (int) $cm->id,
            'name' => $cm->name, 'completion' => kts_completion_row($cm->id, $u->id), 'before' => $before,
            'after' => kts_access($u->id, $course->id),
            'undo' => ['what' => 'complete', 'userid' => (int) $u->id, 'cmid' => (int) $cm->id] + $before];
        break;

    case 'submit':
        $u = kts_student(kts_option('user'));
        [$course, $cm] = kts_cm((int) kts_option('assign'), 'assign');
        $assign = new assign(context_module::instance($cm->id), $cm, $course);
        $instance = $assign->get_instance();
        $before = array_values($DB->get_records('assign_submission', ['assignment' => $instance->id, 'userid' => $u->id]));
        if (count($before) > 1 || ($before && $before[0]->status != ASSIGN_SUBMISSION_STATUS_NEW)) {
            kts_fail("{$u->username} has a submission for assignment {$cm->id} already");
        }
        $graderow = kts_grade_row($course, $instance, $u->id);
        \core\session\manager::set_user($u);
        $notices = [];
        $data = (object) ['userid' => $u->id, 'onlinetext_editor' => [
            'text' => "<p>Live act of {$u->username} at $now</p>", 'format' => FORMAT_HTML, 'itemid' => file_get_unused_draft_itemid()]];
        if (!$assign->save_submission($data, $notices)) {
            kts_fail('save_submission refused: ' . implode('; ', $notices));
        }
        if (!$assign->submit_for_grading((object) ['userid' => $u->id], $notices)) {
            kts_fail('submit_for_grading refused: ' . implode('; ', $notices));
        }
        \core\session\manager::set_user(get_admin());
        $s = $DB->get_record('assign_submission', ['assignment' => $instance->id, 'userid' => $u->id, 'latest' => 1], '*', MUST_EXIST);
        $out = ['what' => 'submit', 'user' => $u->username, 'userid' => (int) $u->id, 'assign' => (int) $cm->id,
            'name' => $cm->name, 'status' => $s->status, 'timecreated' => (int) $s->timecreated,
            'timemodified' => (int) $s->timemodified, 'completion' => kts_completion_row($cm->id, $u->id),
            'undo' => ['what' => 'submit', 'userid' => (int) $u->id, 'assign' => (int) $cm->id,
                'submission' => $before ? $before[0] : null, 'graderow' => $graderow]];
        break;

    case 'undo':
        $undo = json_decode(kts_option('undo'));
        if (!$undo || !isset($undo->what, $undo->userid)) {
            kts_fail('--undo is the "undo" object complete or submit printed');
        }
        $userid = (int) $undo->userid;
        if ($undo->what == 'complete') {
            [$course, $cm] = kts_cm((int) $undo->cmid);
            $DB->delete_records('course_modules_completion', ['coursemoduleid' => $cm->id, 'userid' => $userid]);
            if ($undo->courseaccess > 0) {
                $DB->set_field('user_lastaccess', 'timeaccess', (int) $undo->courseaccess, ['userid' => $userid, 'courseid' => $course->id]);
            } else {
                $DB->delete_records('user_lastaccess', ['userid' => $userid, 'courseid' => $course->id]);
            }
            $DB->set_field('user', 'lastaccess', (int) $undo->lastaccess, ['id' => $userid]);
            kts_purge($userid, $course->id);
            $out = ['what' => 'undo', 'undone' => 'complete', 'userid' => $userid, 'cmid' => (int) $cm->id,
                'completion' => kts_completion_row($cm->id, $userid), 'access' => kts_access($userid, $course->id)];
            break;
        }
        if ($undo->what != 'submit') {
            kts_fail("cannot undo {$undo->what}");
        }
        [$course, $cm] = kts_cm((int) $undo->assign, 'assign');
        $instance = $DB->get_record('assign', ['id' => $cm->instance], '*', MUST_EXIST);
        $ids = $DB->get_fieldset_select('assign_submission', 'id', 'assignment = ? AND userid = ?', [$instance->id, $userid]);
        if ($ids) {
            // The text saved (the row before had none: submit refuses otherwise).
            [$in, $params] = $DB->get_in_or_equal($ids);
            $DB->delete_records_select('assignsubmission_onlinetext', "submission $in", $params);
            $DB->delete_records_select('assignsubmission_file', "submission $in", $params);
        }
        if ($undo->submission) {
            $DB->update_record('assign_submission', $undo->submission);
            $ids = array_diff($ids, [(int) $undo->submission->id]);
        }
        if ($ids) {
            $DB->delete_records_list('assign_submission', 'id', $ids);
        }
        $DB->delete_records('course_modules_completion', ['coursemoduleid' => $cm->id, 'userid' => $userid]);
        // The grade item's row as it was (the submission's date goes there), or none.
        if ($undo->graderow) {
            $DB->update_record('grade_grades', $undo->graderow);
        } else if ($item = kts_grade_item($course, $instance)) {
            $DB->delete_records('grade_grades', ['itemid' => $item, 'userid' => $userid]);
        }
        kts_purge($userid, $course->id);
        $out = ['what' => 'undo', 'undone' => 'submit', 'userid' => $userid, 'assign' => (int) $cm->id,
            'submission' => $DB->get_records('assign_submission', ['assignment' => $instance->id, 'userid' => $userid]),
            'completion' => kts_completion_row($cm->id, $userid)];
        break;

    default:
        kts_fail('--what is pick, complete, submit or undo');
}
echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . "\n";
