/* monitor.h: prometheus-operator semantics the servicemonitor-* rules share (k8s-semantics.md §5).
 *
 * Which Prometheus objects select a ServiceMonitor (serviceMonitorSelector and
 * serviceMonitorNamespaceSelector), which namespaces and Services a ServiceMonitor selects (selector,
 * namespaceSelector, selectorMechanism), through which discovery role (Endpoints or EndpointSlice),
 * and which port names its targets carry.  Everything mirrors prometheus-operator's
 * pkg/prometheus/resource_selector.go and promcfg.go.  Pure functions over the index: nothing here
 * reports.  All memory comes from the arena given to monitor_context_init(), except where noted.
 */
#ifndef SVCLINT_MONITOR_H
#define SVCLINT_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index.h"
#include "ports.h"
#include "selector.h"

#define MONITOR_ROLE_ENDPOINTS 1u
#define MONITOR_ROLE_ENDPOINTSLICE 2u

/* The label every Namespace carries with its own name (Kubernetes 1.21 and later). */
#define LABEL_NAMESPACE_NAME "kubernetes.io/metadata.name"

enum monitor_answer { MONITOR_NO, MONITOR_YES, MONITOR_MAYBE };

struct prometheus_info {
	const struct object *prometheus;
	int status;				/* 0, or -1 when a selector is invalid (error says why) */
	struct selector_error error;
	const char *error_field;		/* "serviceMonitorSelector" or "serviceMonitorNamespaceSelector" */
	struct selector monitor_selector;	/* spec.serviceMonitorSelector: nil selects nothing */
	bool namespace_selector_set;		/* spec.serviceMonitorNamespaceSelector is not nil */
	struct selector namespace_selector;
	unsigned int role;			/* MONITOR_ROLE_* its own serviceDiscoveryRole gives */
	bool slices_supported;			/* spec.version is 2.21 or later (or unknown) */
	bool ignore_namespace_selectors;	/* spec.ignoreNamespaceSelectors: true */
	bool deny_file_access;			/* spec.arbitraryFSAccessThroughSMs.deny: true */
};

struct monitor_label_index;

struct monitor_context {
	const struct index *index;
	struct arena *arena;
	struct prometheus_info *prometheus;	/* every Prometheus object, in input order */
	size_t prometheus_count;
	bool has_agent;				/* a PrometheusAgent (which also selects monitors) is present */
	const uint32_t *services;		/* Services sorted by scope and namespace, as their
						 * positions in index->by_kind[KIND_SERVICE] (the index's) */
	size_t service_count;
	const char *unset_namespace;		/* the namespace Services without one are given, or NULL */
	struct monitor_label_index *labels;	/* Services by label, so selection need not scan them all */
	struct monitor_selection *selections;	/* every ServiceMonitor's, worked out once (by_kind order) */
	uint32_t *selection_slots;		/* open addressing: monitor pointer -> selections + 1 */
	size_t selection_capacity;
	struct target_cache *targets;		/* target ports of the Services several monitors select */
	struct service_lists *lists;		/* while the selections are worked out: equal lists of
						 * selected Services, held once (monitor.c), else NULL */
	struct selection_memo *memo;		/* from monitor_memo_begin(): the ports of selections
						 * and facts about them, else NULL */
};

/* Reads every Prometheus, orders the Services and works out every ServiceMonitor's selection; memory
 * in arena, but for the target ports cached, which monitor_context_release() frees. */
void monitor_context_init(struct monitor_context *mc, struct arena *arena, const struct index *index);
void monitor_context_release(struct monitor_context *mc);
/*
 * A context that shares shared's read-only tables (the engine builds one per run) but allocates
 * from arena: what a rule computes with it is freed with the rule's scratch.
 */
void monitor_context_share(struct monitor_context *mc, const struct monitor_context *shared, struct arena *arena);

struct rule_ctx;
/*
 * Calls check once per ServiceMonitor of the index, with a context shared from ctx->monitors; what a
 * call allocates in ctx->arena is freed before the next.  The loop every servicemonitor rule runs.
 */
void monitor_for_each(struct rule_ctx *ctx, const struct index *index,
		      void (*check)(struct rule_ctx *ctx, const struct monitor_context *mc, const struct object *m));

/* Why a Prometheus does not select a ServiceMonitor. */
struct monitor_reason {
	const char *text;		/* "its serviceMonitorSelector ... does not match ...", in the arena */
	const struct node *at;		/* the Prometheus' selector it is about, or NULL for the object */
};

/*
 * Whether Prometheus p selects the ServiceMonitor (k8s-semantics.md §5.1).  MONITOR_MAYBE when svclint
 * cannot tell: a namespace selector on labels other than kubernetes.io/metadata.name, an unset
 * namespace on one side only, an invalid selector (reported on its own), or a Prometheus defined twice.  For MONITOR_NO, *why (when
 * not NULL) gets the reason, in mc->arena.
 */
enum monitor_answer prometheus_selects(const struct monitor_context *mc, const struct prometheus_info *p,
				       const struct object *monitor, struct monitor_reason *why);

enum monitor_status {
	MONITOR_OK,
	MONITOR_INVALID,	/* spec.selector is invalid: prometheus-operator rejects the monitor */
	MONITOR_UNKNOWN,	/* no spec.selector, one whose meaning is uncertain, or the monitor or a
				 * selected Service is defined twice (duplicate-object): say nothing */
};

struct monitor_selection {
	const struct object *monitor;
	const struct selector_error *error;	/* for MONITOR_INVALID (in the arena), else NULL */
	struct selector selector;		/* spec.selector */
	const struct prometheus_info **selected_by;	/* the Prometheus objects that select it or may */
	const char **namespaces;		/* unless any_namespace: the namespaces it looks in */
	const struct object **services;		/* the Services it selects, in input order */
	/* Counts of 32 bits and the flags together: 96 bytes, one per ServiceMonitor of the index. */
	uint32_t selected_by_count;
	uint32_t namespace_count;
	uint32_t service_count;			/* below 2^32, as the index's positions are */
	enum monitor_status status;
	unsigned int roles;			/* MONITOR_ROLE_* over every Prometheus that may select it */
	bool role_selector;			/* selectorMechanism: RoleSelector */
	bool any_namespace;			/* namespaceSelector.any: true */
	bool own_namespace;			/* it looks in its own namespace (among others) */
	bool namespaces_covered;		/* the manifests hold a Service in one of those namespaces
						 * (never with any_namespace) */
};

/* Works out what monitor selects.  Returns out->status. */
enum monitor_status monitor_select(struct monitor_selection *out, const struct monitor_context *mc,
				   const struct object *monitor);

/* Whether the Service stands in one of the namespaces the selection looks in. */
bool monitor_namespace_selected(const struct monitor_selection *selection, const struct object *service);

/* "namespace 'kube-system'", "namespaces 'a', 'b'" or "every namespace", in arena. */
const char *monitor_describe_namespaces(struct arena *arena, const struct monitor_selection *selection);

/*
 * The ports whose names the targets of service carry under one role: for a Service with a selector,
 * the Service's own ports (the controllers copy their names; slice role: plus hand-written slices);
 * for a selectorless one, its hand-written Endpoints (Endpoints role) or its EndpointSlices and
 * mirrored Endpoints (EndpointSlice role).  Appends them to list (malloc'd: port_list_release) and
 * returns false when that role finds no backend object at all for the Service.
 */
bool monitor_target_ports(const struct index *index, const struct object *service, unsigned int role,
			  struct port_list *list);

/* Whether the target ports of service were worked out once for all, as for every Service that more
 * than one selection holds (monitor_context_init()). */
bool monitor_targets_cached(const struct monitor_context *mc, const struct object *service);

/*
 * The ports the targets of every selected Service carry, over every role of the selection (each
 * port once); for a Service with backends only of the other role (servicemonitor-role-mismatch),
 * those backends' ports, which count once the role is fixed.  Appends them to list (malloc'd:
 * port_list_release) and returns how many selected Services have backends, i.e. whose port names
 * are known.
 */
size_t monitor_gather_ports(const struct monitor_selection *selection, const struct monitor_context *mc,
			    struct port_list *list);

/* From monitor_memo_begin() to monitor_memo_end(), monitor_selection_ports() and
 * monitor_selection_fact() keep what they work out in mc (monitor_for_each() does both around its
 * loop). */
void monitor_memo_begin(struct monitor_context *mc);
void monitor_memo_end(struct monitor_context *mc);

/*
 * monitor_gather_ports() of the selection, into a list mc keeps (monitor_memo_begin() first): valid
 * until monitor_memo_end() or, for a selection of few Services, the next call; neither changed
 * nor released by the caller.  *known gets the count monitor_gather_ports() returns.  A selection of
 * many Services that an earlier call saw too (an equal list is one list: monitor_select()) gets the
 * list gathered then.
 */
const struct port_list *monitor_selection_ports(const struct monitor_selection *selection,
						const struct monitor_context *mc, size_t *known);

/*
 * What compute answers of the selection, worked out once per list of selected Services, roles and
 * compute within monitor_memo_begin() and monitor_memo_end(), for a selection of many Services (few are
 * worked out each time).  For a rule's fact about the selected Services that depends on nothing else
 * of the monitor: thousands of monitors that select the same thousands of Services would otherwise
 * have each Service looked at once per monitor.
 */
typedef size_t monitor_fact_fn(const struct monitor_selection *selection, const struct monitor_context *mc);
size_t monitor_selection_fact(const struct monitor_selection *selection, const struct monitor_context *mc,
			      monitor_fact_fn *compute);

/* Whether an Endpoints is mirrored to EndpointSlices (no skip-mirror "true", no leader annotation). */
bool endpoints_is_mirrored(const struct object *endpoints);

/* The discovery-role objects of a selectorless Service under role (Endpoints, or slices and mirrored
 * Endpoints), for the RoleSelector label check; NULL-terminated, in mc->arena. */
const struct object **monitor_role_objects(const struct monitor_context *mc, const struct object *service,
					   unsigned int role);

#endif
