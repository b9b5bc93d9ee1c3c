"""processes/crm/client_mailing.bpmn: every morning, the mailings due go out to their client groups."""

from __future__ import annotations

from bpmn_writer import (
    ROOT,
    Process,
    Script,
    SubProcess,
    connector,
    end,
    multi_instance,
    script,
    start,
    timer_start,
)

p = Process("client_mailing", "Client mailings", documentation=(
    "Every morning at 07:00 UTC the scheduled mailings whose date has come are sent, one e-mail per contact of "
    "the mailing's client group who agreed to mailings and has an address; {name} and {organization} in the "
    "text become the contact's name and the client's. A mailing is marked sent with its number of recipients."))

p.add(timer_start("every_morning", "Every morning", "R/2026-01-01T07:00:00Z/P1D"))
p.add(connector("find_due_mailings", "Find the mailings due", "entity.find", {
    "entity": "mailing", "status": "scheduled", "send_on__lte": Script("today().isoformat()"), "sort": "send_on"},
    {"due_mailings": "${records}"}))

mailing = SubProcess("send_mailing", "Send one mailing", loop=multi_instance("due_mailings", "mailing"))
mailing.add(start("mailing_started", "Mailing due"))
mailing.add(connector("find_clients", "Find the group's clients", "entity.find", {
    "entity": "organization", "client_group": "${mailing['client_group']}", "limit": "1000"},
    {"clients": "${records}"}))
mailing.add(connector("find_recipients", "Find the contacts who agreed", "entity.find", {
    "entity": "contact", "organization__in": Script("','.join(str(c['id']) for c in clients) or '0'"),
    "mailing_consent": "true", "email__isnull": "false", "sort": "last_name", "limit": "1000"},
    {"recipients": "${records}"}))
mailing.add(script("write_letters", "Write the letters", (
    "names = {c['id']: c['name'] for c in clients}\n"
    "letters = [{'to': r['email'], 'text': mailing['body'].replace('{name}', r['full_name'] or '')"
    ".replace('{organization}', names.get(r['organization'], ''))} for r in recipients]")))
mailing.add(connector("send_letter", "Send a letter", "mail.send", {
    "to": "${letter['to']}", "subject": "${mailing['subject']}", "text": "${letter['text']}"},
    loop=multi_instance("letters", "letter")))
mailing.add(connector("mark_sent", "Mark the mailing sent", "entity.update", {
    "entity": "mailing", "id": "${mailing['id']}", "status": "sent", "recipients": Script("len(letters)"),
    "sent_at": Script("now()")}))
mailing.add(end("mailing_sent", "Mailing sent"))
mailing.chain("mailing_started", "find_clients", "find_recipients", "write_letters", "send_letter", "mark_sent",
              "mailing_sent")
p.add(mailing.element())
p.add(end("mailings_sent", "Mailings sent"))
p.chain("every_morning", "find_due_mailings", "send_mailing", "mailings_sent")

if __name__ == "__main__":
    p.write(ROOT / "processes" / "crm" / "client_mailing.bpmn")
