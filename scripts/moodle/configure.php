<?php
// configure.php: the site settings the live suite needs, run once by up.sh after Moodle's
// CLI installer (as the web user): web services as the admin setting "Enable web services for
// mobile devices" turns them on (admin_setting_enablemobileservice: enablewebservices, the REST
// protocol, the moodle_mobile_app service, webservice/rest:use for authenticated users),
// completion tracking on, and a marker up.sh reads to know the site is configured.

require(__DIR__ . '/bootstrap.php');
require_once($CFG->libdir . '/adminlib.php');

$setting = new admin_setting_enablemobileservice('enablemobilewebservice', '', '', 0);
$setting->write_setting($setting->yes);
set_config('enablecompletion', 1);
// Messaging and notes are on by default; say so, the live suite sends both.
set_config('messaging', 1);
set_config('enablenotes', 1);
set_config('kts_live_configured', time());
purge_all_caches();

$protocols = get_config('core', 'webserviceprotocols');
$mobile = $DB->get_field('external_services', 'enabled', ['shortname' => MOODLE_OFFICIAL_MOBILE_SERVICE]);
if (empty($CFG->enablewebservices) || strpos($protocols, 'rest') === false || !$mobile) {
    fwrite(STDERR, "configure.php: web services are not on\n");
    exit(1);
}
echo "configured: web services (rest, moodle_mobile_app), completion\n";
