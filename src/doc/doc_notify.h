/* Who a document step notifies and what it says (core/notify.h is the mechanism): one
 * call in each step's transaction, reading the history rows the step has just written.
 * docs/architecture.md "Notifications". */
#ifndef QLVB_DOC_NOTIFY_H
#define QLVB_DOC_NOTIFY_H

#include <stdint.h>

#include "core/actor.h"
#include "core/app.h"
#include "util/result.h"

struct jobs;
struct tx;

/* Inside the step's tx_run callback, after its history rows: notifies for each history
 * row of document `id` from step `from_step` on (0: the newest step only) —
 * presented → the leader; assigned, reassigned, forwarded, submitted, issued (for
 * information) → the rows the step created (a unit: its leaders, for information every
 * member); returned → whom it went back to; completed → who assigned it; reviewed →
 * the next reviewer or the signer; signed → the clerks (seal and issue); received (an
 * arrived copy) → the receiving agency's clerks; refused → the sending agency's clerks
 * and the drafter; recalled → the clerks of every receiver's copy. One notification per
 * person and step (dedupe key), so a retried transaction adds nothing. */
result_t doc_notify_step(struct tx *t, const struct actor *a, int64_t id, int64_t from_step);

/* The daily reminder: every open lead row of an assigned or in-progress incoming
 * document whose deadline is past (overdue) or within the calendar's due-soon window
 * (due_soon) notifies the lead (a unit: its leaders) once per document, person and
 * Vietnam day. *sent = notifications written. */
result_t doc_notify_deadlines(struct app *app, int64_t now, int64_t *sent);
/* Registers "doc.deadline_remind", daily. */
result_t doc_notify_register(struct jobs *q, struct app *app);

#endif
