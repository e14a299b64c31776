<?php
// lti.php: registers the dashboard as an LTI 1.3 tool of the live Moodle test site through
// Moodle's own code, and adds it to a course, for the live LTI test (e2e/ltilive). Run as the
// web user:
//
//   php lti.php --start --tool=http://127.0.0.1:8080 [--moodle=DIR]
//       forgets earlier registrations of the tool (that domain, or named Know Thy Students),
//       then prints (JSON) the address
//       Moodle's "Add LTI Advantage" would open: the tool's /lti/register with Moodle's
//       openid_configuration and a registration token minted as startltiadvregistration.php
//       mints it. Opening it runs the real dynamic registration against this Moodle.
//   php lti.php --activate --tool=http://127.0.0.1:8080 [--course=KTSLTI] [--moodle=DIR]
//       activates the registered tool (Moodle leaves it pending), makes sure the course
//       exists with live.teacher as editing teacher and live.s01 as student, and adds two
//       activities of the tool: one embedded, one in a new window. Prints (JSON) the ids.
//
// The course is not the live suite's KTSLIVE, so its expectations do not move.

define('CLI_SCRIPT', true);

$opts = [];
foreach (array_slice($argv, 1) as $arg) {
    if (!preg_match('/^--([a-z]+)(?:=(.*))?$/s', $arg, $m)) {
        fwrite(STDERR, "unexpected argument: $arg\n");
        exit(2);
    }
    $opts[$m[1]] = $m[2] ?? '1';
}
$dir = $opts['moodle'] ?? (getenv('KTS_LIVE_MOODLE_DIR') ?: '/opt/kts-moodle/moodle');
if (!is_file("$dir/config.php")) {
    fwrite(STDERR, "no Moodle site at $dir (run scripts/moodle/up.sh)\n");
    exit(2);
}
require("$dir/config.php");
require_once($CFG->dirroot . '/mod/lti/locallib.php');
require_once($CFG->dirroot . '/course/lib.php');
require_once($CFG->libdir . '/testing/classes/util.php');

use Firebase\JWT\JWT;
use mod_lti\local\ltiopenid\jwks_helper;
use mod_lti\local\ltiopenid\registration_helper;

$tool = rtrim($opts['tool'] ?? '', '/');
if ($tool === '') {
    fwrite(STDERR, "missing --tool=URL (the dashboard's -public-url)\n");
    exit(2);
}
$domain = lti_get_domain_from_url($tool);
\core\session\manager::set_user(get_admin());

if (isset($opts['start'])) {
    // Earlier runs registered the tool on other ports: forget those too (a test site only).
    foreach ($DB->get_records_select('lti_types', 'tooldomain = ? OR name = ?', [$domain, 'Know Thy Students']) as $old) {
        lti_delete_type($old->id);
    }
    $now = time();
    $token = ['sub' => registration_helper::get()->new_clientid(), 'scope' => registration_helper::REG_TOKEN_OP_NEW_REG,
        'iat' => $now, 'exp' => $now + HOURSECS];
    $key = jwks_helper::get_private_key();
    $regtoken = JWT::encode($token, $key['key'], 'RS256', $key['kid']);
    $url = new moodle_url($tool . '/lti/register', [
        'openid_configuration' => (new moodle_url('/mod/lti/openid-configuration.php'))->out(false),
        'registration_token' => $regtoken,
    ]);
    echo json_encode(['register_url' => $url->out(false)], JSON_UNESCAPED_SLASHES), "\n";
    exit(0);
}

if (isset($opts['activate'])) {
    $types = $DB->get_records('lti_types', ['tooldomain' => $domain], 'id DESC');
    if (!$types) {
        fwrite(STDERR, "no tool registered for $domain: run --start and open its address first\n");
        exit(1);
    }
    $type = reset($types);
    $type->state = LTI_TOOL_STATE_CONFIGURED;
    $type->coursevisible = LTI_COURSEVISIBLE_ACTIVITYCHOOSER;
    $DB->update_record('lti_types', $type);

    $gen = testing_util::get_data_generator();
    $shortname = $opts['course'] ?? 'KTSLTI';
    $course = $DB->get_record('course', ['shortname' => $shortname]);
    if (!$course) {
        $course = $gen->create_course(['shortname' => $shortname, 'fullname' => 'Know Thy Students LTI',
            'enablecompletion' => 1]);
    }
    foreach (['live.teacher' => 'editingteacher', 'live.s01' => 'student'] as $username => $role) {
        $u = $DB->get_record('user', ['username' => $username], '*', MUST_EXIST);
        $gen->enrol_user($u->id, $course->id, $role);
    }
    foreach (get_coursemodules_in_course('lti', $course->id) as $cm) {
        course_delete_module($cm->id);
    }
    $cms = [];
    foreach (['embed' => LTI_LAUNCH_CONTAINER_EMBED_NO_BLOCKS, 'window' => LTI_LAUNCH_CONTAINER_WINDOW] as $name => $container) {
        // No resource key or secret: the generator's defaults (LTI 1.1's) would become the
        // id_token's aud instead of the tool's client id (lti_get_launch_data).
        $lti = $gen->create_module('lti', ['course' => $course->id, 'typeid' => $type->id, 'toolurl' => '',
            'name' => "Dashboard ($name)", 'launchcontainer' => $container, 'resourcekey' => '', 'password' => '']);
        $cms[$name] = (int) $lti->cmid;
    }
    echo json_encode(['typeid' => (int) $type->id, 'clientid' => $type->clientid, 'courseid' => (int) $course->id,
        'cmid_embed' => $cms['embed'], 'cmid_window' => $cms['window']], JSON_UNESCAPED_SLASHES), "\n";
    exit(0);
}

fwrite(STDERR, "say --start or --activate\n");
exit(2);
