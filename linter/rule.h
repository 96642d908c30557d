/* rule.h: the rule descriptor, the context a rule runs in, and how it reports.
 *
 * Adding a rule:
 *  1. Write rules/<rule-id>.c with one non-static `const struct rule rule_<id_with_underscores>`;
 *     the Makefile registers every rule file by its name, sorted, so there is no list to edit.
 *  2. Give it .id (the file name), .severity, .summary (what, one line), .rationale (why it matters),
 *     .fix (how to fix) and .example (a corrected manifest); --list-rules and --explain print them.
 *  3. Give it one or more checks: check_file (per file: parse problems, helm skips), check_object
 *     (per object, while the file's tree is in memory; .kinds names the kinds it reads, when not
 *     all) or check_index (after every file, over the objects svclint keeps: Service, Endpoints,
 *     EndpointSlice, ServiceMonitor, Prometheus, and the bare identity of the others).  Of a kind
 *     svclint does not model, check_object sees apiVersion, kind and metadata whole, but other
 *     collections at the root are skimmed: empty, flagged NODE_SKIMMED (object_kind_is_skimmable()
 *     in object.h).  Checks only read; they never print.
 *  4. Add fixtures/<rule-id>/ with bad-*.yaml inputs that trigger it and good-*.yaml that must not,
 *     each with the exact expected output in <case>.expected (see tests/fixtures.sh).
 *  5. Run scripts/update-readme-rules to refresh README's rule table.
 */
#ifndef SVCLINT_RULE_H
#define SVCLINT_RULE_H

#include <stddef.h>

#include "diag.h"
#include "doc.h"
#include "index.h"
#include "names.h"
#include "object.h"
#include "options.h"

struct rule_ctx;
struct monitor_context;
struct regex_scratch;
struct suppression_list;

/* One input file as check_file sees it. */
struct lint_file {
	const char *path;		/* display path */
	bool in_context;
	const char *io_error;		/* why it could not be read, or NULL */
	const char *skip_reason;	/* why it is not linted (helm template), or NULL */
	const struct doc_set *docs;	/* NULL when it was not parsed */
	const char *text;		/* the bytes read, NULL when none */
	size_t length;
	const struct suppression_list *suppressions;	/* its svclint comments (suppress.h), or NULL */
};

struct rule {
	const char *id;
	enum severity severity;		/* default severity */
	const char *summary;		/* what it finds, one line */
	const char *rationale;		/* why it matters */
	const char *fix;		/* how to fix it */
	const char *example;		/* a corrected manifest, or NULL */
	void (*check_file)(struct rule_ctx *ctx, const struct lint_file *file);
	void (*check_object)(struct rule_ctx *ctx, const struct object *object);
	void (*check_index)(struct rule_ctx *ctx, const struct index *index);
	/* The kinds check_object reads, as RULE_KIND() bits; 0: every kind.  The engine calls check_object
	 * only on those, so a rule for Services costs nothing on the Deployments and ConfigMaps that make
	 * up most of a repository (its own test of o->kind may stay, as a reader's guide). */
	unsigned int kinds;
};

#define RULE_KIND(kind) (1u << (kind))

struct schema_finding;

/* One item of a Service's spec.ports, its fields looked up once (node_get(), node_get_pair()). */
struct service_port {
	const struct node *item;		/* the list item: a map, or whatever else stands there */
	const struct node_pair *name;		/* its "name" pair, or NULL */
	const struct node *port, *protocol, *target, *node_port, *app_protocol;
};

/* A Service's spec.ports as the rules on it read them. */
struct service_ports {
	const struct node *list;		/* spec.ports when it is a list, else NULL */
	const struct service_port *items;	/* list->count of them */
};

/* What the rules on one object share, worked out by the first rule that needs it (check_object). */
struct object_memo {
	const struct schema_finding *schema;	/* schema_check()'s findings, in the file's scratch */
	size_t schema_count;
	bool schema_done;
	struct service_ports ports;		/* rule_service_ports()'s, once ports_done */
	bool ports_done;
};

struct rule_ctx {
	const struct rule *rule;
	enum severity severity;		/* the rule's severity after overrides */
	const struct lint_options *options;
	struct diag_list *out;
	struct arena *arena;		/* scratch for message pieces; released after the check */
	struct regex_scratch *regex;	/* this thread's state for matching config patterns */
	const struct monitor_context *monitors;	/* check_index only: ServiceMonitor selection data,
						 * built once per run (monitor.h) */
	size_t limit;			/* findings out may hold; 0: no limit (see RULE_FILE_LIMIT) */
	struct object_memo *memo;	/* check_object only; else NULL */
};

/* At most this many findings per file: a hostile file (two million ports) must not exhaust memory.
 * Past it, one input-limit finding says how it was cut. */
#define RULE_FILE_LIMIT 100000

extern const struct rule *const rule_table[];
extern const size_t rule_count;

/* The rule with that id, or NULL; its position in rule_table through *position when not NULL. */
const struct rule *rule_find(const char *id, size_t *position);

/*
 * Reports a finding on object at node at (NULL: the object's own position: metadata.name, else the
 * object's start) with the rule's severity; rule_report_as() chooses the severity.  Returns the
 * diagnostic so that related locations can be added, or NULL when the finding is not reported
 * (an object loaded only as context).  The message is one line: what, why, how to fix.
 */
struct diag *rule_report(struct rule_ctx *ctx, const struct object *object, const struct node *at,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
struct diag *rule_report_as(struct rule_ctx *ctx, enum severity severity, const struct object *object,
			    const struct node *at, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* No position: rule_report_at() and rule_note_at() then point at the object itself. */
#define RULE_NOWHERE ((struct position){ 0, 0 })
/* rule_report_as() at a position, for what a kept object holds without its node (line 0: the object's
 * own position).  ctx->rule->severity gives the rule's own severity, as rule_report() does. */
struct diag *rule_report_at(struct rule_ctx *ctx, enum severity severity, const struct object *object,
			    struct position at, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A finding about a file rather than an object. */
struct diag *rule_report_file(struct rule_ctx *ctx, const struct lint_file *file, struct position at,
			      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A related location on another object (or the same one); diag may be NULL. */
void rule_note(struct diag *diag, const struct object *object, const struct node *at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* rule_note() at a position (line 0: the object's own position). */
void rule_note_at(struct diag *diag, const struct object *object, struct position at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void rule_note_file(struct diag *diag, const char *file, struct position at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The note of a finding whose near-miss search left its namespace unread (k8s_near_misses() returned
 * unread, the names of kind there; budget is the rule's): says so, and why.  Nothing when unread is 0.
 */
struct near_budget;
void rule_note_near_unread(struct diag *diag, const struct object *object, enum object_kind kind,
			   const char *namespace, size_t unread, const struct near_budget *budget);

/* Kubernetes version tests for rules that depend on it. */
static inline int rule_kube_minor(const struct rule_ctx *ctx)
{
	return ctx->options->kube_minor;
}

/* "Service kube-system/etcd-prom", in ctx->arena. */
const char *rule_describe(struct rule_ctx *ctx, const struct object *object);
/*
 * A Service's spec.ports with each port's fields, looked up by the first rule on the object that asks
 * and shared with the others through ctx->memo (in the file's scratch): eleven rules read the ports,
 * and each looked every field up again.  ->list is NULL when spec.ports is not a list.
 */
const struct service_ports *rule_service_ports(struct rule_ctx *ctx, const struct object *service);

#endif
