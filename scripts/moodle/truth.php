<?php
// truth.php: what the dashboard's cohort CSV (/course/{id}/export.csv) and activities CSV
// (/course/{id}/activities.csv) must hold, computed inside Moodle through its own PHP APIs —
// completion_info, the assign class (submissions, user flags and extensions, grades),
// user_lastaccess, enrolments and groups — never through the web services the dashboard
// uses. It is a second implementation of the contract (../shared/CONTRACT.md, "Cohort CSV",
// "Assignment status codes", "Flag codes", "Activities CSV"), in PHP, for the live suite.
//
//   php truth.php --course=ID --viewer=USERNAME[,USERNAME...] --now=UNIXTIME [--suspended=0|1] [--group=ID]
//
// Prints JSON, per viewer and filter ("default": active enrolments only, as the CSV without a
// query; "suspended": with suspended=1; --suspended picks one):
//   {"live.teacher": {"default": {"cohort": {"header": [...], "rows": [[cell, ...], ...]},
//                                 "activities": {"header": [...], "rows": [...]},
//                                 "graded": {"header": ["userid", "<name>: grade", "<name>: result", ...], "rows": [...]},
//                                 "notes": {...}},
//                     "suspended": {...}}, ...}
// Cells are the CSV's strings, formula-injection prefix included. Cohort rows are in user id
// order, activities in course order. Defaults as in the contract: inactive after 7 days,
// behind below half the median.

require(__DIR__ . '/bootstrap.php');
require_once($CFG->libdir . '/completionlib.php');
require_once($CFG->libdir . '/gradelib.php');
require_once($CFG->libdir . '/grouplib.php');
require_once($CFG->dirroot . '/mod/assign/locallib.php');
require_once($CFG->dirroot . '/completion/completion_completion.php');

const INACTIVE_DAYS = 7;
const BEHIND_RATIO = 0.5;

/**
 * truth_for computes both CSVs for one viewer and filter.
 */
function truth_for(int $courseid, string $username, int $now, bool $withsuspended, int $groupfilter): array {
    global $DB;
    $viewer = $DB->get_record('user', ['username' => $username], '*', MUST_EXIST);
    // Everything below is seen as the viewer sees it: visibility of activities, groups.
    \core\session\manager::set_user($viewer);
    $course = get_course($courseid);
    $context = context_course::instance($course->id);
    $modinfo = get_fast_modinfo($course, $viewer->id);
    $completion = new completion_info($course);

    // The students the viewer can see: role student (and no staff role) in this course; in
    // separate groups without accessallgroups, only the members of the viewer's groups.
    $staffroles = ['editingteacher', 'teacher', 'manager', 'coursecreator'];
    $rolesof = [];
    foreach (get_users_roles($context, [], false) as $userid => $ras) {
        foreach ($ras as $ra) {
            $rolesof[$userid][] = $ra->shortname;
        }
    }
    $allgroups = has_capability('moodle/site:accessallgroups', $context, $viewer)
        || groups_get_course_groupmode($course) != SEPARATEGROUPS;
    $viewergroups = array_keys(groups_get_all_groups($course->id, $viewer->id));

    // Enrolment status as Moodle decides "active": an enabled instance, an active user enrolment,
    // inside its start and end.
    $enrolments = $DB->get_records_sql(
        'SELECT ue.id, ue.userid, ue.status, ue.timestart, ue.timeend, e.status AS estatus
           FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid
          WHERE e.courseid = ?', [$course->id]);
    $active = [];
    $enrolled = [];
    foreach ($enrolments as $ue) {
        $enrolled[$ue->userid] = true;
        if ($ue->status == ENROL_USER_ACTIVE && $ue->estatus == ENROL_INSTANCE_ENABLED
            && $ue->timestart <= $now && ($ue->timeend == 0 || $ue->timeend > $now)) {
            $active[$ue->userid] = true;
        }
    }

    $visible = []; // userid => user record, every student the viewer can see
    foreach (array_keys($enrolled) as $userid) {
        $roles = $rolesof[$userid] ?? [];
        if (!in_array('student', $roles) || array_intersect($roles, $staffroles)) {
            continue;
        }
        if (!$allgroups) {
            $mine = array_keys(groups_get_all_groups($course->id, $userid));
            if (!array_intersect($mine, $viewergroups)) {
                continue;
            }
        }
        $visible[$userid] = core_user::get_user($userid);
    }
    ksort($visible);

    // Activities with completion, in course order, as Moodle lists them in a completion status
    // (visible to the viewer); assignments in course order.
    $activities = [];
    foreach ($completion->get_activities() as $cm) {
        if ($cm->uservisible) {
            $activities[$cm->id] = $cm;
        }
    }
    $assigns = [];
    foreach ($modinfo->get_instances_of('assign') as $cm) {
        if ($cm->uservisible) {
            $assigns[$cm->id] = new assign(context_module::instance($cm->id), $cm, $course);
        }
    }
    uksort($assigns, fn($a, $b) => array_search($a, array_keys($modinfo->cms)) <=> array_search($b, array_keys($modinfo->cms)));

    $lastaccess = $DB->get_records_menu('user_lastaccess', ['courseid' => $course->id], '', 'userid, timeaccess');

    // One student's values.
    $student = function (stdClass $user) use ($course, $completion, $activities, $assigns, $active, $lastaccess, $now, $allgroups, $viewergroups, $modinfo) {
        $r = ['user' => $user, 'active' => isset($active[$user->id])];
        $r['states'] = [];
        foreach ($activities as $cmid => $cm) {
            $r['states'][$cmid] = (int) $completion->get_data($cm, false, $user->id)->completionstate;
        }
        $r['completed'] = count(array_filter($r['states'], fn($s) => $s == COMPLETION_COMPLETE || $s == COMPLETION_COMPLETE_PASS));
        $r['total'] = count($r['states']);
        $r['failed'] = in_array(COMPLETION_COMPLETE_FAIL, $r['states'], true);
        // Moodle gives a course completion only for an active (tracked) enrolment.
        $cc = new completion_completion(['userid' => $user->id, 'course' => $course->id]);
        $r['coursecompleted'] = $r['active'] && $completion->is_tracked_user($user->id) && $cc->is_complete();
        $r['percent'] = $r['coursecompleted'] ? 100 : ($r['total'] ? intdiv(100 * $r['completed'], $r['total']) : 0);
        $r['lastaccess'] = (int) ($lastaccess[$user->id] ?? 0);
    // A check of this script against Moodle: the contract's percent is Moodle's own progress,
    // rounded down, wherever Moodle gives one.
    $progress = \core_completion\progress::get_course_progress_percentage($course, $user->id);
    $r['progress'] = $progress === null ? null : (int) floor($progress);

        $groups = [];
        foreach (groups_get_all_groups($course->id, $user->id) as $g) {
            if ($allgroups || in_array($g->id, $viewergroups)) {
                $groups[] = format_string($g->name, true, ['context' => context_course::instance($course->id)]);
            }
        }
        sort($groups, SORT_STRING);
        $r['groups'] = $groups;
        $r['groupids'] = array_keys(groups_get_all_groups($course->id, $user->id));

        $r['assign'] = [];
        foreach ($assigns as $cmid => $assign) {
            $instance = $assign->get_instance($user->id); // due date with the user's overrides
            $submission = $assign->get_user_submission($user->id, false);
            $flags = $assign->get_user_flags($user->id, false);
            $extension = $flags && $flags->extensionduedate ? (int) $flags->extensionduedate : 0;
            $due = $extension ?: (int) $instance->duedate;
            $status = $submission ? $submission->status : 'none';
            if ($status == ASSIGN_SUBMISSION_STATUS_SUBMITTED) {
                $code = ($due && $submission->timemodified > $due) ? 'late' : 'submitted';
            } else if ($extension && $extension > $now) {
                $code = 'extension';
            } else if ($due && $now > $due) {
                $code = 'overdue';
            } else if ($status == ASSIGN_SUBMISSION_STATUS_DRAFT) {
                $code = 'draft';
            } else {
                $code = 'not_started';
            }
            $grade = $assign->get_user_grade($user->id, false);
            $gradecell = '';
            if ($grade && $grade->grade !== null && (float) $grade->grade >= 0) {
                $gradecell = rtrim(rtrim(sprintf('%.5F', (float) $grade->grade), '0'), '.');
            }
            $r['assign'][$cmid] = ['status' => $code, 'grade' => $gradecell,
                'submission' => $status, 'timemodified' => $submission ? (int) $submission->timemodified : 0,
                'due' => $due, 'extension' => $extension];
        }
        return $r;
    };

    // The students' values do not depend on the filter: computed once per viewer.
    static $computed = [];
    if (!isset($computed[$username])) {
        $computed[$username] = [];
        foreach ($visible as $userid => $user) {
            $computed[$username][$userid] = $student($user);
        }
    }
    $all = $computed[$username];

    // The median of completion_percent over the active students the viewer can see, whatever
    // the filter.
    $percents = [];
    foreach ($all as $r) {
        if ($r['active']) {
            $percents[] = $r['percent'];
        }
    }
    sort($percents);
    $median = 0.0;
    if ($percents) {
        $m = intdiv(count($percents), 2);
        $median = count($percents) % 2 ? (float) $percents[$m] : ($percents[$m - 1] + $percents[$m]) / 2;
    }

    $disagree = [];
    foreach ($all as $userid => $r) {
        if ($r['progress'] !== null && $r['progress'] != $r['percent']) {
            $disagree[$userid] = ['percent' => $r['percent'], 'moodle_progress' => $r['progress']];
        }
    }

    // The filter: suspended enrolments only with suspended=1; a group.
    $shown = array_filter($all, fn($r) => ($withsuspended || $r['active'])
        && (!$groupfilter || in_array($groupfilter, $r['groupids'])));

    // cell guards a text cell against formula injection, as every CSV export of the dashboard does.
    $cell = function ($v): string {
        $s = (string) $v;
        if (is_int($v) || is_float($v) || preg_match('/^-?[0-9]+(\.[0-9]+)?$/', $s)) {
            return $s;
        }
        if ($s !== '' && strpos("=+-@\t\r", $s[0]) !== false) {
            return "'" . $s;
        }
        return $s;
    };

    $header = ['userid', 'fullname', 'email', 'groups', 'enrolment', 'lastcourseaccess', 'activities_completed',
        'activities_total', 'completion_percent', 'course_completed', 'flags'];
    foreach ($assigns as $cmid => $assign) {
        $name = $modinfo->get_cm($cmid)->get_formatted_name();
        $header[] = $name . ': status';
        $header[] = $name . ': grade';
    }
    $rows = [];
    $why = [];
    foreach ($shown as $userid => $r) {
        $flags = [];
        if ($r['lastaccess'] == 0) {
            $flags[] = 'never_accessed';
        } else if ($r['lastaccess'] < $now - INACTIVE_DAYS * DAYSECS) {
            $flags[] = 'inactive';
        }
        if (in_array('overdue', array_column($r['assign'], 'status'))) {
            $flags[] = 'overdue';
        }
        if ($r['failed']) {
            $flags[] = 'failed';
        }
        if ($r['percent'] < BEHIND_RATIO * $median) {
            $flags[] = 'behind';
        }
        if (!$r['active']) {
            $flags[] = 'suspended';
        }
        sort($flags, SORT_STRING);
        $row = [$userid, fullname($r['user'], true), $r['user']->email, implode('; ', $r['groups']),
            $r['active'] ? 'active' : 'suspended',
            $r['lastaccess'] ? gmdate('Y-m-d\TH:i:s\Z', $r['lastaccess']) : '',
            $r['completed'], $r['total'], $r['percent'], $r['coursecompleted'] ? 'yes' : 'no', implode(';', $flags)];
        foreach ($r['assign'] as $a) {
            $row[] = $a['status'];
            $row[] = $a['grade'];
        }
        $rows[] = array_map($cell, $row);
        $why[$userid] = ['states' => $r['states'], 'assign' => $r['assign']];
    }

    // Graded activities other than assignments (quizzes, rated forums, ...): the gradebook's
    // own items of the course's activities (itemnumber 0, as the user report lists them), in
    // course order, each student's final grade as the gradebook formats it and whether it
    // passes (grade_grade::is_passed: none without a grade to pass). Not a CSV of the
    // contract: what the cohort page's chosen columns and the spreadsheet must show.
    $gheader = ['userid'];
    $gitems = [];
    foreach ($modinfo->cms as $cmid => $cm) {
        if ($cm->modname == 'assign' || !$cm->uservisible) {
            continue;
        }
        $item = grade_item::fetch(['courseid' => $course->id, 'itemtype' => 'mod', 'itemmodule' => $cm->modname,
            'iteminstance' => $cm->instance, 'itemnumber' => 0]);
        if (!$item) {
            continue;
        }
        $gitems[$cmid] = $item;
        $gheader[] = $cm->get_formatted_name() . ': grade';
        $gheader[] = $cm->get_formatted_name() . ': result';
    }
    $grows = [];
    foreach ($shown as $userid => $r) {
        $row = [(string) $userid];
        foreach ($gitems as $item) {
            $gg = grade_grade::fetch(['itemid' => $item->id, 'userid' => $userid]);
            if (!$gg || $gg->finalgrade === null) {
                array_push($row, '', '');
                continue;
            }
            $passed = $gg->is_passed($item);
            array_push($row, grade_format_gradevalue($gg->finalgrade, $item, true),
                $passed === null ? '' : ($passed ? 'pass' : 'fail'));
        }
        $grows[] = $row;
    }

    // Activities CSV: the students in the filter.
    $aheader = ['cmid', 'section', 'name', 'modname', 'completed', 'failed', 'eligible', 'percent', 'dropoff'];
    $arows = [];
    $prev = null;
    foreach ($activities as $cmid => $cm) {
        $completed = $failed = $eligible = 0;
        foreach ($shown as $r) {
            if (!array_key_exists($cmid, $r['states'])) {
                continue;
            }
            $eligible++;
            $s = $r['states'][$cmid];
            if ($s == COMPLETION_COMPLETE || $s == COMPLETION_COMPLETE_PASS) {
                $completed++;
            } else if ($s == COMPLETION_COMPLETE_FAIL) {
                $failed++;
            }
        }
        $percent = $eligible ? intdiv(100 * $completed, $eligible) : 0;
        $section = get_section_name($course, $cm->sectionnum);
        $arows[] = array_map($cell, [$cmid, $section, $cm->get_formatted_name(), $cm->modname, $completed, $failed,
            $eligible, $percent, $prev === null ? '' : $percent - $prev]);
        $prev = $percent;
    }

    return [
        'cohort' => ['header' => $header, 'rows' => $rows],
        'activities' => ['header' => $aheader, 'rows' => $arows],
        'graded' => ['header' => $gheader, 'rows' => $grows],
        'notes' => ['progress_disagreements' => (object) $disagree, 'now' => $now, 'viewer' => $viewer->username, 'median' => $median,
            'visible' => count($all), 'shown' => count($shown), 'why' => $why],
    ];
}

$courseid = (int) kts_option('course');
$now = (int) kts_option('now');
$out = [];
foreach (explode(',', kts_option('viewer')) as $username) {
    foreach (['default' => false, 'suspended' => true] as $filter => $withsuspended) {
        if (isset($kts_options['suspended']) && (bool) $kts_options['suspended'] != $withsuspended) {
            continue;
        }
        $out[$username][$filter] = truth_for($courseid, $username, $now, $withsuspended, (int) ($kts_options['group'] ?? 0));
    }
}
echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . "\n";
