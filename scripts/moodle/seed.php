<?php
// seed.php: seeds the live Moodle test site with course KTSLIVE through Moodle's own data
// generator and APIs (lib/testing/generator, the assign class, completion_info), run by up.sh
// as the web user on a freshly installed site:
//
//   php seed.php --password=PASSWORD [--out=seed.json] [--moodle=DIR]
//
// The course mirrors KTS101 of the recorded fixtures (../moodle-fixtures/moodle-4.5/README.md)
// but is bigger: 64 students, so that a completion batch of 25 students holds 49 inner calls
// and a course load several batches. Everything happens at "now" minus whole days, with
// margins of at least a day around every due date and the 7-day inactivity threshold, so no
// status flips during a run of the live suite (up.sh seeds again when the seed is a day old).
//
// Accounts (all with --password): live.teacher (editing teacher), live.tutor (non-editing
// teacher in Group A only, no accessallgroups), live.s01 ... live.s64 (students; live.s01 does
// everything and is the student who signs in).
//
// Writes a summary (ids, what each student was given) to --out, for people reading a failure;
// the live suite's expectations come from truth.php, which reads Moodle, not this file.

require(__DIR__ . '/bootstrap.php');
require_once($CFG->libdir . '/completionlib.php');
require_once($CFG->libdir . '/gradelib.php');
require_once($CFG->dirroot . '/mod/assign/locallib.php');
require_once($CFG->dirroot . '/completion/criteria/completion_criteria_activity.php');
require_once($CFG->dirroot . '/completion/completion_aggregation.php');
require_once($CFG->dirroot . '/group/lib.php');
require_once($CFG->dirroot . '/enrol/locallib.php');
require_once($CFG->libdir . '/testing/classes/util.php');

$password = kts_option('password');
$out = $kts_options['out'] ?? '';
const DAY = 86400;
$now = time();
$ago = fn(float $days): int => (int) round($now - $days * DAY);

if ($DB->record_exists('course', ['shortname' => 'KTSLIVE'])) {
    fwrite(STDERR, "seed.php: course KTSLIVE exists already; up.sh restores the clean site before seeding\n");
    exit(1);
}

\core\session\manager::set_user(get_admin());
$gen = testing_util::get_data_generator();

// Users ------------------------------------------------------------------------------------
$mkuser = function (string $username, string $first, string $last, string $idnumber) use ($gen, $password) {
    return $gen->create_user([
        'username' => $username, 'password' => $password, 'firstname' => $first, 'lastname' => $last,
        'email' => $username . '@students.kts-live.example', 'idnumber' => $idnumber,
        'maildisplay' => 2, 'lang' => 'en', 'timezone' => 'UTC',
    ]);
};
$teacher = $gen->create_user(['username' => 'live.teacher', 'password' => $password, 'firstname' => 'Margaret',
    'lastname' => 'Ellis', 'email' => 'live.teacher@kts-live.example', 'timezone' => 'UTC']);
$tutor = $gen->create_user(['username' => 'live.tutor', 'password' => $password, 'firstname' => 'Tomás',
    'lastname' => 'Rivera', 'email' => 'live.tutor@kts-live.example', 'timezone' => 'UTC']);

$firsts = ['Zoë', 'An', 'Siobhán', 'José', 'Łukasz', 'Aisha', 'Björn', 'Chloé', 'Mei', 'Oliver', 'Priya',
    'Mateo', 'Amara', 'Søren', 'Emily', 'Hiroshi', 'Fatima', 'Liam', 'Ana-Maria', 'Noah', 'Isabella', 'Dmitri',
    'Grace', 'Jamal', 'Sofia', 'Ethan', 'Léa', 'Kwame', 'Hannah', 'Mehmet', 'Yuki', 'Olu'];
$lasts = ['Andersen', 'Nguyễn', "O'Brien", 'Martínez', 'Kowalski', 'Rahman', 'Lindqvist', 'Dubois', 'Chen',
    'Smith', 'Patel', 'García', 'Okafor', 'Holm', 'Johnson', 'Tanaka', 'Al-Sayed', 'Murphy', 'Popescu',
    'Williams', 'Rossi', 'Volkov', 'Kim', 'Washington', 'Müller', 'Brown', 'Martin', 'Mensah', 'Schmidt',
    'Yılmaz', 'Sato', 'Adeyemi'];
$nstudents = 64;
$students = [];
for ($n = 1; $n <= $nstudents; $n++) {
    $first = $firsts[($n - 1) % count($firsts)];
    $last = $lasts[($n - 1 + intdiv($n - 1, count($firsts)) * 7) % count($lasts)];
    if ($n == 47) {
        $first = '=Eve'; // a name a spreadsheet would run as a formula
    }
    if ($n == 48) {
        $last = 'Ampersand & <Co>';
    }
    $students[$n] = $mkuser(sprintf('live.s%02d', $n), $first, $last, sprintf('L2026%03d', $n));
}

// Course, groups, enrolments ---------------------------------------------------------------
$course = $gen->create_course([
    'fullname' => 'Know Thy Students live', 'shortname' => 'KTSLIVE', 'format' => 'topics', 'numsections' => 4,
    'enablecompletion' => 1, 'groupmode' => SEPARATEGROUPS, 'groupmodeforce' => 1,
    'startdate' => $ago(42), 'showcompletionconditions' => 1,
], ['createsections' => true]);
$sectionnames = [1 => 'Getting started', 2 => 'Week 1: Writing to learn', 3 => 'Week 2: Projects', 4 => 'Further study'];
foreach ($sectionnames as $num => $name) {
    $DB->set_field('course_sections', 'name', $name, ['course' => $course->id, 'section' => $num]);
}
rebuild_course_cache($course->id, true);

$gen->enrol_user($teacher->id, $course->id, 'editingteacher');
$gen->enrol_user($tutor->id, $course->id, 'teacher');
foreach ($students as $s) {
    $gen->enrol_user($s->id, $course->id, 'student');
}
$groupa = $gen->create_group(['courseid' => $course->id, 'name' => 'Group A']);
$groupb = $gen->create_group(['courseid' => $course->id, 'name' => 'Group B']);
$project = $gen->create_group(['courseid' => $course->id, 'name' => 'Project team']);
$gen->create_group_member(['groupid' => $groupa->id, 'userid' => $tutor->id]);
$groupsof = [];
foreach ($students as $n => $s) {
    if ($n == 63) {
        continue; // in no group: the teacher sees this student, the tutor does not
    }
    $g = ($n % 2) ? $groupa : $groupb;
    $gen->create_group_member(['groupid' => $g->id, 'userid' => $s->id]);
    $groupsof[$n][] = $g->name;
    if ($n % 9 == 0) {
        $gen->create_group_member(['groupid' => $project->id, 'userid' => $s->id]);
        $groupsof[$n][] = $project->name;
    }
    if ($n == 60) {
        $gen->create_group_member(['groupid' => $groupa->id, 'userid' => $s->id]);
        $groupsof[$n][] = $groupa->name;
    }
}

// Activities, in course order --------------------------------------------------------------
$mod = function (string $modname, int $section, array $fields) use ($gen, $course) {
    return $gen->create_module($modname, ['course' => $course->id, 'section' => $section] + $fields);
};
$auto = ['completion' => COMPLETION_TRACKING_AUTOMATIC];
$manual = ['completion' => COMPLETION_TRACKING_MANUAL];
$assignbase = ['assignsubmission_onlinetext_enabled' => 1, 'assignsubmission_file_enabled' => 0,
    'assignfeedback_comments_enabled' => 1, 'submissiondrafts' => 1, 'cutoffdate' => 0, 'grade' => 100];
$mods = [];
$mods['news'] = $mod('forum', 0, ['name' => 'Announcements', 'type' => 'news', 'completion' => 0]);
$mods['handbook'] = $mod('page', 1, ['name' => 'Course handbook', 'completionview' => 1] + $auto);
$mods['reading'] = $mod('url', 1, ['name' => 'Reading: How people learn', 'externalurl' => 'https://example.org/'] + $manual);
$mods['label'] = $mod('label', 2, ['intro' => 'Week 1 starts here.', 'completion' => 0]);
$mods['a1'] = $mod('assign', 2, ['name' => 'A1 Essay: Learning styles', 'duedate' => $ago(21),
    'completionsubmit' => 1, 'completionusegrade' => 1, 'completionpassgrade' => 1, 'gradepass' => 50] + $assignbase + $auto);
$mods['a2'] = $mod('assign', 2, ['name' => 'A2 Reflection journal', 'duedate' => $ago(-7),
    'completionsubmit' => 1] + $assignbase + $auto);
$mods['a3'] = $mod('assign', 3, ['name' => 'A3 Project proposal', 'duedate' => $ago(2),
    'completionsubmit' => 1] + $assignbase + $auto);
$mods['checklist'] = $mod('url', 3, ['name' => 'Project checklist', 'externalurl' => 'https://example.org/c'] + $manual);
$mods['a4'] = $mod('assign', 4, ['name' => 'A4 Portfolio (no due date)', 'duedate' => 0,
    'completionusegrade' => 1] + $assignbase + $auto);
$mods['further'] = $mod('page', 4, ['name' => 'Further reading', 'completionview' => 1] + $auto);
rebuild_course_cache($course->id, true);
$course = get_course($course->id);
$modinfo = get_fast_modinfo($course);
$cm = fn(string $key) => $modinfo->get_cm($mods[$key]->cmid);
$completion = new completion_info($course);
$assigns = [];
foreach (['a1', 'a2', 'a3', 'a4'] as $k) {
    $assigns[$k] = new assign(context_module::instance($mods[$k]->cmid), $cm($k), $course);
}
$duedate = ['a1' => $ago(21), 'a2' => $ago(-7), 'a3' => $ago(2), 'a4' => 0];

// Course completion: all of A1, A2 and A3 complete.
$criterion = new completion_criteria_activity();
$critdata = (object) ['id' => $course->id, 'criteria_activity' => [
    $mods['a1']->cmid => 1, $mods['a2']->cmid => 1, $mods['a3']->cmid => 1]];
$criterion->update_config($critdata);
$aggregation = new completion_aggregation(['course' => $course->id, 'criteriatype' => null]);
$aggregation->setMethod(COMPLETION_AGGREGATION_ALL);
$aggregation->save();

// Who does what ----------------------------------------------------------------------------
// Assignment plans: 'none' nothing · 'new' opened, nothing saved · 'draft' saved, not
// submitted · 'sub' submitted on time · 'late' submitted after due; 'ext+' / 'ext-' an
// extension that has not run out (+4 days) / that ran out (5 days ago for A1, 1 day ago for
// A3) combined with one of the above as 'ext+:draft'; a grade as 'sub=92'; 'g0' graded 0
// without ever submitting.
mt_srand(20261204);
$pick = fn(array $weighted) => (function () use ($weighted) {
    $r = mt_rand(1, array_sum($weighted));
    foreach ($weighted as $k => $w) {
        if (($r -= $w) <= 0) {
            return $k;
        }
    }
})();
$plan = [];
for ($n = 1; $n <= $nstudents; $n++) {
    $engaged = $n <= 20 ? 3 : ($n <= 44 ? 2 : ($n <= 56 ? 1 : 0)); // 3 keen ... 0 barely there
    $p = ['access' => [3 => [0, 1, 2], 2 => [0, 1, 3, 5], 1 => [2, 4, 10, 14], 0 => [10, 21, 30]][$engaged]];
    $p['access'] = $p['access'][$n % count($p['access'])];
    $p['handbook'] = $engaged >= 1 || $n % 2;
    $p['reading'] = $engaged >= 2 || ($engaged == 1 && $n % 3 == 0);
    $p['checklist'] = $engaged == 3 || ($engaged == 2 && $n % 2 == 0);
    $p['further'] = $engaged == 3 && $n % 4 != 0;
    $a1 = $pick([3 => ['sub' => 2, 'late' => 1, 'g' => 8, 'lg' => 2], 2 => ['sub' => 1, 'late' => 2, 'g' => 5, 'lg' => 2, 'draft' => 1, 'ext' => 1],
        1 => ['late' => 2, 'g' => 2, 'draft' => 2, 'new' => 1, 'none' => 2, 'g0' => 1], 0 => ['none' => 3, 'new' => 1, 'draft' => 1]][$engaged]);
    $grade = in_array($a1, ['g', 'lg']) ? [92, 85, 78.5, 74, 66, 45, 95, 58, 49, 81, 90, 70, 55][$n % 13] : null;
    if ($engaged == 3 && in_array($a1, ['sub', 'late']) && $n % 5 != 0) {
        $a1 = $a1 == 'sub' ? 'g' : 'lg'; // most keen students are graded
        $grade = [92, 85, 78.5, 74, 66, 95, 58, 81, 90, 70][$n % 10];
    }
    $p['a1'] = ['g' => 'sub', 'lg' => 'late', 'ext' => 'ext+:draft'][$a1] ?? $a1;
    $p['a1grade'] = $a1 == 'g0' ? 0 : $grade;
    $p['a2'] = $pick([3 => ['sub' => 12, 'draft' => 1], 2 => ['sub' => 3, 'draft' => 2, 'new' => 1, 'none' => 1],
        1 => ['draft' => 1, 'new' => 1, 'none' => 2], 0 => ['none' => 1]][$engaged]);
    $p['a3'] = $pick([3 => ['sub' => 6, 'late' => 1], 2 => ['sub' => 3, 'late' => 2, 'draft' => 1, 'none' => 1],
        1 => ['late' => 1, 'draft' => 2, 'none' => 2, 'new' => 1], 0 => ['none' => 1]][$engaged]);
    $p['a3grade'] = ($p['a3'] == 'sub' && $n % 3 == 0) ? 60 + $n % 40 : null;
    $p['a4'] = $pick([3 => ['sub' => 3, 'draft' => 1], 2 => ['sub' => 1, 'draft' => 1, 'none' => 2],
        1 => ['none' => 3, 'new' => 1], 0 => ['none' => 1]][$engaged]);
    $p['a4grade'] = ($p['a4'] == 'sub' && $n % 2 == 1) ? [88, 72, 64, 91][$n % 4] : null;
    $p['override'] = false;
    $p['suspended'] = false;
    $plan[$n] = $p;
}
// The notable students, as in KTS101.
$plan[1] = ['access' => 0, 'handbook' => true, 'reading' => true, 'checklist' => true, 'further' => true,
    'a1' => 'sub', 'a1grade' => 92, 'a2' => 'sub', 'a3' => 'sub', 'a3grade' => 88, 'a4' => 'sub', 'a4grade' => 90,
    'override' => false, 'suspended' => false];
$plan[2] = ['access' => 10, 'handbook' => true, 'reading' => false, 'checklist' => false, 'further' => false,
    'a1' => 'sub', 'a1grade' => 55, 'a2' => 'none', 'a3' => 'none', 'a3grade' => null, 'a4' => 'none', 'a4grade' => null,
    'override' => false, 'suspended' => true];
$plan[3] = ['access' => null, 'site' => null, 'handbook' => false, 'reading' => false, 'checklist' => false, 'further' => false,
    'a1' => 'none', 'a1grade' => null, 'a2' => 'none', 'a3' => 'none', 'a3grade' => null, 'a4' => 'none', 'a4grade' => null,
    'override' => false, 'suspended' => false];
$plan[4] = ['access' => 14, 'handbook' => true, 'reading' => false, 'checklist' => false, 'further' => false,
    'a1' => 'late', 'a1grade' => null, 'a2' => 'none', 'a3' => 'none', 'a3grade' => null, 'a4' => 'none', 'a4grade' => null,
    'override' => true, 'suspended' => false];
$plan[5]['a3'] = 'ext+:draft';         // A3 draft with an extension: extension
$plan[6]['a3'] = 'ext+:none';          // A3 nothing, extension: extension
$plan[7]['access'] = null;             // site access yesterday, never opened the course
$plan[7]['site'] = 1;
$plan[8]['a1'] = 'ext-:late';          // A1 extension ran out, submitted after it: late
$plan[9]['a1'] = 'ext-:draft';         // A1 extension ran out, draft: overdue
$plan[10]['a3'] = 'ext+:late';         // A3 submitted after the due date, before the extension: submitted
$plan[11]['a1'] = 'draft';             // A1 overdue draft
$plan[11]['a1grade'] = null;
$plan[12]['a1'] = 'g0';                // A1 graded 0 without submitting
$plan[12]['a1grade'] = 0;
$plan[13]['a1grade'] = 45;             // complete-fail
$plan[14]['a1grade'] = 49;             // complete-fail
$plan[15]['a3'] = 'ext-:none';         // A3 extension ran out, nothing: overdue
$plan[16]['a2'] = 'new';               // A2 opened, nothing saved, not yet due: not_started
$plan[17]['a2'] = 'draft';             // A2 draft, not yet due: draft
$plan[18]['a3'] = 'new';               // A3 opened, past due: overdue
$plan[19]['a4'] = 'draft';             // A4 draft, no due date: draft
$plan[19]['a4grade'] = null;
$plan[20]['a4'] = 'new';               // A4 opened, no due date: not_started
$plan[20]['a4grade'] = null;
foreach ([21, 24, 27, 30, 33, 36, 39, 42] as $n) {
    // steady students who meet the course completion criteria (A1 passed, A2 and A3 in)
    $plan[$n] = array_merge($plan[$n], ['a1' => 'sub', 'a1grade' => 60 + $n, 'a2' => 'sub', 'a3' => 'sub']);
}
foreach ([22, 31] as $n) {
    $plan[$n]['override'] = true;      // more teacher overrides on "Further reading"
}

// Doing it ---------------------------------------------------------------------------------
$setuser = fn($u) => \core\session\manager::set_user($u);
$submissiontimes = []; // [assign key][userid] => timemodified to write at the end
$extensions = ['a1' => ['+' => $ago(-4), '-' => $ago(5)], 'a3' => ['+' => $ago(-5), '-' => $ago(1)],
    'a2' => ['+' => $ago(-9), '-' => $ago(1)], 'a4' => ['+' => $ago(-4), '-' => $ago(1)]];
foreach ($plan as $n => $p) {
    $s = $students[$n];
    foreach (['handbook', 'further'] as $k) {
        if ($p[$k]) {
            $completion->set_module_viewed($cm($k), $s->id);
        }
    }
    foreach (['reading', 'checklist'] as $k) {
        if ($p[$k]) {
            $setuser($s);
            $completion->update_state($cm($k), COMPLETION_COMPLETE, $s->id);
            $setuser(get_admin());
        }
    }
    foreach (['a1', 'a2', 'a3', 'a4'] as $k) {
        $what = $p[$k];
        $assign = $assigns[$k];
        if (preg_match('/^ext([+-]):(.*)$/', $what, $m)) {
            $setuser($teacher);
            if (!$assign->save_user_extension($s->id, $extensions[$k][$m[1]])) {
                throw new coding_exception("extension for student $n on $k refused");
            }
            $setuser(get_admin());
            $what = $m[2];
            $extended = $extensions[$k][$m[1]];
        } else {
            $extended = 0;
        }
        $due = $duedate[$k] ?: $ago(3);
        if ($what == 'new' || $what == 'g0') {
            $assign->get_user_submission($s->id, true);
            $submissiontimes[$k][$s->id] = min($due - 4 * DAY, $now - 2 * DAY);
        } else if ($what == 'draft' || $what == 'sub' || $what == 'late') {
            $setuser($s);
            $gen->get_plugin_generator('mod_assign')->create_submission([
                'userid' => $s->id, 'assignid' => $mods[$k]->cmid, 'onlinetext' => "Work of student $n on $k",
            ]);
            if ($what != 'draft') {
                $notices = [];
                $assign->submit_for_grading((object) ['userid' => $s->id], $notices);
            }
            $setuser(get_admin());
            // On time: 2 days before due. Late: 3 days after due (after the extension when one
            // ran out; between due and extension when it has not).
            $t = min($due - 2 * DAY, $now - DAY);
            if ($what == 'late') {
                $t = $extended && $extended < $now ? $extended + DAY / 2 : $due + ($extended ? DAY : 3 * DAY);
                $t = min($t, $now - DAY / 2);
            }
            if ($what == 'draft') {
                $t = min($due - DAY, $now - DAY);
            }
            $submissiontimes[$k][$s->id] = $t;
        }
        $g = $p[$k . 'grade'] ?? null;
        if ($g !== null) {
            $setuser($teacher);
            $assign->save_grade($s->id, (object) [
                'grade' => $g, 'attemptnumber' => -1, 'addattempt' => 0, 'workflowstate' => '', 'applytoall' => 0,
                'sendstudentnotifications' => 0,
                'assignfeedbackcomments_editor' => ['text' => $g == 0 ? 'No submission received' : 'Feedback for ' . $n, 'format' => FORMAT_HTML],
            ]);
            $setuser(get_admin());
        }
    }
    if ($p['override']) {
        $setuser($teacher);
        $completion->update_state($cm('further'), COMPLETION_COMPLETE, $s->id, true);
        $setuser(get_admin());
    }
}

// Submission times as planned (Moodle stamps "now" when saving).
foreach ($submissiontimes as $k => $byuser) {
    foreach ($byuser as $userid => $t) {
        $DB->execute('UPDATE {assign_submission} SET timemodified = ?, timecreated = LEAST(timecreated, ?)
            WHERE assignment = ? AND userid = ?', [$t, $t, $assigns[$k]->get_instance()->id, $userid]);
    }
}

// Graded activities other than assignments, created after every other activity (the other
// cmids stay as they were) and without completion tracking (the CSVs of the contract stay as
// they were): a quiz with a grade to pass, attempted through the quiz's own attempt API, and a
// forum whose posts the teacher rates (Moodle's rating API, the forum's grade item). Who does
// what is a formula of the student's number, not mt_rand: the plans above keep their draws.
require_once($CFG->dirroot . '/mod/quiz/locallib.php');
require_once($CFG->dirroot . '/rating/lib.php');
require_once($CFG->dirroot . '/mod/forum/lib.php');
$mods['quiz'] = $mod('quiz', 3, ['name' => 'Week 2 check-in quiz', 'grade' => 10, 'gradepass' => 6,
    'decimalpoints' => 2, 'grademethod' => QUIZ_GRADEHIGHEST, 'completion' => 0]);
$mods['discuss'] = $mod('forum', 3, ['name' => 'Project discussion (rated)', 'type' => 'general',
    'assessed' => RATING_AGGREGATE_AVERAGE, 'scale' => 10, 'completion' => 0]);
rebuild_course_cache($course->id, true);
$quizgen = $gen->get_plugin_generator('mod_quiz');
$qcat = question_make_default_categories([context_course::instance($course->id)]);
$quiz = $DB->get_record('quiz', ['id' => $mods['quiz']->id], '*', MUST_EXIST);
for ($q = 1; $q <= 5; $q++) {
    // As the question editing form saves a true/false question (the answer is true).
    $html = fn(string $t) => ['text' => $t, 'format' => FORMAT_HTML];
    $form = (object) ['category' => $qcat->id . ',' . $qcat->contextid, 'name' => "Check-in question $q",
        'questiontext' => $html("Statement $q is true."), 'defaultmark' => 1, 'generalfeedback' => $html(''),
        'correctanswer' => '1', 'feedbacktrue' => $html('Right.'), 'feedbackfalse' => $html('Not quite.'),
        'penalty' => 1, 'status' => \core_question\local\bank\question_version_status::QUESTION_STATUS_READY];
    $question = question_bank::get_qtype('truefalse')->save_question((object) ['qtype' => 'truefalse', 'createdby' => 0], $form);
    quiz_add_quiz_question($question->id, $quiz, $q);
}
\mod_quiz\quiz_settings::create($quiz->id)->get_grade_calculator()->recompute_quiz_sumgrades();
// right($n, $attempt): how many of the five a student answers right; null: no such attempt.
// Grades 0, 2, ... 10 of 10, pass from 6. Some never attempt, one leaves an attempt open (no
// grade), some try twice (the highest counts).
$quizplan = [];
foreach ($plan as $n => $p) {
    if ($n == 3 || $n % 8 == 7) {
        continue; // never attempted
    }
    $tries = [($n * 3) % 6];
    if ($n % 6 == 0) {
        $tries[] = min(5, $tries[0] + 2); // a second, better attempt
    }
    $quizplan[$n] = ['tries' => $tries, 'open' => $n == 10];
}
$quizplan[1] = ['tries' => [5], 'open' => false];
$quizplan[11] = ['tries' => [], 'open' => true]; // started, never submitted: no grade at all
foreach ($quizplan as $n => $qp) {
    $s = $students[$n];
    $setuser($s);
    foreach ($qp['tries'] as $right) {
        // As the attempt pages do: answer each question (true is right), then submit.
        $attempt = $quizgen->create_attempt($quiz->id, $s->id);
        $attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);
        $responses = [];
        for ($slot = 1; $slot <= 5; $slot++) {
            $responses[$slot] = ['answer' => $slot <= $right ? '1' : '0'];
        }
        $attemptobj->process_submitted_actions(time(), false, question_engine::load_questions_usage_by_activity($attempt->uniqueid)->prepare_simulated_post_data($responses));
        $attemptobj->process_finish(time(), false);
    }
    if ($qp['open']) {
        $quizgen->create_attempt($quiz->id, $s->id); // started, not submitted: no new grade
    }
    $setuser(get_admin());
}
// The rated forum: a student posts, the teacher rates the post 0-10; the forum's grade is the
// average rating, a pass from 5 (the grade item's grade to pass, as the gradebook sets it).
$forum = $DB->get_record('forum', ['id' => $mods['discuss']->id], '*', MUST_EXIST);
$forumctx = context_module::instance($mods['discuss']->cmid);
$fgen = $gen->get_plugin_generator('mod_forum');
$forumplan = [];
foreach ($plan as $n => $p) {
    if ($n % 3 == 0 || $n > 56) {
        continue; // no post
    }
    $forumplan[$n] = $n % 5 == 4 ? [] : [($n * 7) % 11]; // posted, not rated yet / rated
    if ($n % 10 == 1) {
        $forumplan[$n][] = 10 - ($n % 4); // a second rated post
    }
}
foreach ($forumplan as $n => $ratings) {
    $s = $students[$n];
    foreach (array_pad($ratings, max(1, count($ratings)), null) as $i => $r) {
        $setuser($s);
        $d = $fgen->create_discussion(['course' => $course->id, 'forum' => $forum->id, 'userid' => $s->id,
            'name' => "Idea $i of student $n", 'message' => "<p>My project idea $i.</p>"]);
        $setuser($teacher);
        if ($r !== null) {
            $rating = new rating((object) ['context' => $forumctx, 'component' => 'mod_forum', 'ratingarea' => 'post',
                'itemid' => $d->firstpost, 'scaleid' => $forum->scale, 'userid' => $teacher->id]);
            $rating->update_rating($r);
        }
        $setuser(get_admin());
    }
}
$forum->cmidnumber = $mods['discuss']->cmid;
forum_update_grades($forum);
$fitem = grade_item::fetch(['courseid' => $course->id, 'itemtype' => 'mod', 'itemmodule' => 'forum',
    'iteminstance' => $forum->id, 'itemnumber' => 0]);
if (!$fitem) {
    throw new coding_exception('the rated forum has no grade item');
}
$fitem->gradepass = 5;
$fitem->update();
$qitem = grade_item::fetch(['courseid' => $course->id, 'itemtype' => 'mod', 'itemmodule' => 'quiz',
    'iteminstance' => $quiz->id, 'itemnumber' => 0]);
if (!$qitem || (float) $qitem->gradepass != 6.0 || (float) $qitem->grademax != 10.0) {
    throw new coding_exception('the quiz grade item is not out of 10 with a pass from 6');
}

// Course completion as Moodle's completion cron does it, while every enrolment is active.
$task = new \core\task\completion_regular_task();
ob_start();
$task->execute();
ob_end_clean();

// Suspensions after completion, as on a real site: the work was done before.
$manualplugin = enrol_get_plugin('manual');
$instance = $DB->get_record('enrol', ['courseid' => $course->id, 'enrol' => 'manual'], '*', MUST_EXIST);
foreach ($plan as $n => $p) {
    if ($p['suspended']) {
        $manualplugin->update_user_enrol($instance, $students[$n]->id, ENROL_USER_SUSPENDED);
    }
}

// Access times, last: user_lastaccess per course, the user's own last and first access.
$DB->delete_records('user_lastaccess', ['courseid' => $course->id]);
foreach ($plan as $n => $p) {
    $s = $students[$n];
    $site = array_key_exists('site', $p) ? $p['site'] : $p['access'];
    if ($p['access'] !== null) {
        $t = $ago($p['access'] + 0.1);
        $DB->insert_record('user_lastaccess', ['userid' => $s->id, 'courseid' => $course->id, 'timeaccess' => $t]);
    }
    $st = $site === null ? 0 : $ago($site + 0.1);
    $DB->update_record('user', (object) ['id' => $s->id, 'lastaccess' => $st, 'firstaccess' => $st ? $ago(40) : 0,
        'lastlogin' => $st, 'currentlogin' => $st]);
}
foreach ([$teacher, $tutor] as $u) {
    $DB->insert_record('user_lastaccess', ['userid' => $u->id, 'courseid' => $course->id, 'timeaccess' => $ago(0.2)]);
}

// Summary ----------------------------------------------------------------------------------
$completed = $DB->count_records_select('course_completions', 'course = ? AND timecompleted IS NOT NULL', [$course->id]);
$summary = [
    'seededat' => $now, 'courseid' => (int) $course->id, 'teacher' => (int) $teacher->id, 'tutor' => (int) $tutor->id,
    'groups' => ['Group A' => (int) $groupa->id, 'Group B' => (int) $groupb->id, 'Project team' => (int) $project->id],
    'cmids' => array_map(fn($m) => (int) $m->cmid, $mods),
    'students' => count($students), 'course_completed' => $completed,
    'quiz' => array_map(fn($qp) => $qp['tries'], $quizplan), 'forum_ratings' => $forumplan,
    'plan' => array_combine(array_map(fn($n) => (int) $students[$n]->id, array_keys($plan)), array_values($plan)),
];
if ($out !== '') {
    file_put_contents($out, json_encode($summary, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES));
}
printf("seeded KTSLIVE (course %d): %d students, %d course completions, %d activity completion rows, %d submissions, %d grades\n",
    $course->id, count($students), $completed,
    $DB->count_records_sql('SELECT COUNT(*) FROM {course_modules_completion} c JOIN {course_modules} m ON m.id = c.coursemoduleid WHERE m.course = ?', [$course->id]),
    $DB->count_records_sql('SELECT COUNT(*) FROM {assign_submission} s JOIN {assign} a ON a.id = s.assignment WHERE a.course = ?', [$course->id]),
    $DB->count_records_sql('SELECT COUNT(*) FROM {assign_grades} g JOIN {assign} a ON a.id = g.assignment WHERE a.course = ? AND g.grade >= 0', [$course->id]));
