<?php
// query.php: reads what the live suite's writes left in Moodle's own tables, for the live
// suite (as the web user):
//
//   php query.php --what=messages --from=USERNAME --since=UNIXTIME
//       every message USERNAME sent since then: id, conversationid, the recipient (the other
//       member of the conversation), fullmessage, fullmessageformat, fullmessagehtml,
//       smallmessage, timecreated; and for each, what core_message_get_conversation_messages
//       answers to the sender for that conversation (the same external function the web
//       service runs, called in-process with its parameter and return cleaning).
//   php query.php --what=notes --course=ID --since=UNIXTIME
//       every note of the course created since then: id, userid, usermodified, content,
//       format, publishstate, created.
//
// Prints JSON.

require(__DIR__ . '/bootstrap.php');
require_once($CFG->dirroot . '/message/externallib.php');

$since = (int) kts_option('since');
switch (kts_option('what')) {
    case 'messages':
        $from = $DB->get_record('user', ['username' => kts_option('from')], '*', MUST_EXIST);
        $rows = $DB->get_records_sql(
            'SELECT m.id, m.conversationid, m.useridfrom, m.subject, m.fullmessage, m.fullmessageformat,
                    m.fullmessagehtml, m.smallmessage, m.timecreated, cm.userid AS useridto
               FROM {messages} m
               JOIN {message_conversation_members} cm ON cm.conversationid = m.conversationid AND cm.userid <> m.useridfrom
              WHERE m.useridfrom = ? AND m.timecreated >= ?
           ORDER BY m.id', [$from->id, $since]);
        \core\session\manager::set_user($from);
        $conversations = [];
        $out = [];
        foreach ($rows as $r) {
            if (!isset($conversations[$r->conversationid])) {
                // The external function itself, with its parameter and return cleaning, as the
                // web service runs it.
                $data = core_message_external::get_conversation_messages($from->id, $r->conversationid, 0, 50, true);
                $conversations[$r->conversationid] = \core_external\external_api::clean_returnvalue(
                    core_message_external::get_conversation_messages_returns(), $data);
            }
            $out[] = [
                'id' => (int) $r->id, 'conversationid' => (int) $r->conversationid, 'useridfrom' => (int) $r->useridfrom,
                'useridto' => (int) $r->useridto, 'fullmessage' => $r->fullmessage,
                'fullmessageformat' => (int) $r->fullmessageformat, 'fullmessagehtml' => $r->fullmessagehtml,
                'smallmessage' => $r->smallmessage, 'timecreated' => (int) $r->timecreated,
                'conversation' => $conversations[$r->conversationid],
            ];
        }
        break;
    case 'notes':
        $out = array_values(array_map(fn($n) => [
            'id' => (int) $n->id, 'userid' => (int) $n->userid, 'usermodified' => (int) $n->usermodified,
            'content' => $n->content, 'format' => (int) $n->format, 'publishstate' => $n->publishstate,
            'created' => (int) $n->created,
        ], $DB->get_records_select('post', "module = 'notes' AND courseid = ? AND created >= ?",
            [(int) kts_option('course'), $since], 'id')));
        break;
    default:
        fwrite(STDERR, "--what is messages or notes\n");
        exit(2);
}
echo json_encode($out, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES) . "\n";
