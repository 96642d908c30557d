/* endpoints-over-capacity: more addresses behind one set of Endpoints ports than mirroring copies. */
#include "rule.h"
#include "backend.h"
#include "k8s.h"
#include "ports.h"

#include <stdlib.h>
#include <string.h>

/* MirroringMaxEndpointsPerSubset (endpointslicemirroring config defaults). */
#define MIRROR_MAX_PER_SUBSET 1000

/* A port as RepackSubsets tells ports apart: number, name and protocol. */
struct port_key {
	long long number;
	const char *name;
	const char *protocol;
};

/* The set of a subset's ports: its keys sorted, each once; count 0 for none (headless). */
struct port_set_key {
	struct port_key *keys;
	size_t count;
};

static int compare_keys(const void *pa, const void *pb)
{
	const struct port_key *a = pa, *b = pb;
	int c = (a->number > b->number) - (a->number < b->number);

	if (!c)
		c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->protocol, b->protocol);
}

/* Sorted, so that two subsets of thousands of ports are compared in one pass, not port by port. */
static void port_set_of(struct rule_ctx *ctx, const struct node *ports, struct port_set_key *out)
{
	size_t n = 0, i;

	out->keys = NULL;
	out->count = 0;
	if (!node_is_seq(ports) || ports->count == 0)
		return;
	out->keys = arena_alloc(ctx->arena, ports->count * sizeof(*out->keys));
	for (i = 0; i < ports->count; i++) {
		const struct node *p = ports->u.items[i];

		out->keys[i].number = 0;
		node_int(node_get(p, "port"), &out->keys[i].number);
		out->keys[i].name = port_name(p);
		out->keys[i].protocol = port_protocol(p);
	}
	qsort(out->keys, ports->count, sizeof(*out->keys), compare_keys);
	for (i = 0; i < ports->count; i++)
		if (i == 0 || compare_keys(&out->keys[i], &out->keys[n - 1]) != 0)
			out->keys[n++] = out->keys[i];
	out->count = n;
}

/* Whether two subsets hold the same ports, in any order (RepackSubsets groups by them). */
static bool same_ports(const struct port_set_key *a, const struct port_set_key *b)
{
	size_t i;

	if (a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
		if (compare_keys(&a->keys[i], &b->keys[i]) != 0)
			return false;
	return true;
}

static int compare_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the canonical text of every address of list that mirroring would keep (it parses). */
static void collect(struct rule_ctx *ctx, const struct node *list, char ***texts, size_t *count, size_t *capacity)
{
	unsigned int i;

	if (!node_is_seq(list))
		return;
	for (i = 0; i < list->count; i++) {
		struct ip_address ip;
		char canonical[46];

		if (!ip_parse(node_str(node_get(list->u.items[i], "ip")), &ip))
			continue;
		backend_ip_string(&ip, canonical);
		GROW(*texts, *capacity, *count + 1);
		(*texts)[(*count)++] = arena_strdup(ctx->arena, canonical);
	}
}

static void check_object(struct rule_ctx *ctx, const struct object *o)
{
	const struct node *subsets;
	struct port_set_key *sets;
	unsigned int i, j;

	/* The endpoints controller truncates its own output and says so in an annotation. */
	if (o->kind != KIND_ENDPOINTS || endpoints_is_controller_made(o) ||
	    !node_is_seq(subsets = node_get(o->root, "subsets")))
		return;
	sets = arena_alloc(ctx->arena, subsets->count * sizeof(*sets));
	for (i = 0; i < subsets->count; i++)
		port_set_of(ctx, node_get(subsets->u.items[i], "ports"), &sets[i]);
	for (i = 0; i < subsets->count; i++) {
		char **texts = NULL;
		size_t count = 0, capacity = 0, distinct = 0, k;
		unsigned int groups = 0;
		bool seen = false;

		if (!node_is_map(subsets->u.items[i]))
			continue;
		/* Each set of ports is counted once, at its first subset. */
		for (j = 0; j < i && !seen; j++)
			seen = node_is_map(subsets->u.items[j]) && same_ports(&sets[j], &sets[i]);
		if (seen)
			continue;
		for (j = i; j < subsets->count; j++) {
			const struct node *subset = subsets->u.items[j];

			if (!node_is_map(subset) || !same_ports(&sets[j], &sets[i]))
				continue;
			groups++;
			collect(ctx, node_get(subset, "addresses"), &texts, &count, &capacity);
			collect(ctx, node_get(subset, "notReadyAddresses"), &texts, &count, &capacity);
		}
		if (count > MIRROR_MAX_PER_SUBSET) {
			qsort(texts, count, sizeof(*texts), compare_text);
			for (k = 0; k < count; k++)
				if (k == 0 || strcmp(texts[k], texts[k - 1]) != 0)
					distinct++;
		}
		free(texts);
		if (distinct <= MIRROR_MAX_PER_SUBSET)
			continue;
		rule_report(ctx, o, subsets->u.items[i], "%s %zu distinct addresses, but the EndpointSlice mirroring "
			    "controller copies at most %d per set of ports (ready ones first) and drops the rest with "
			    "a TooManyAddressesToMirror event, so %zu backends are missing from the EndpointSlices "
			    "that kube-proxy and DNS read; write EndpointSlices (up to 1000 endpoints each) instead",
			    groups > 1 ? arena_printf(ctx->arena, "the %u subsets with the ports of subset %u, which "
						      "mirroring merges, hold", groups, i) :
					 arena_printf(ctx->arena, "subset %u holds", i),
			    distinct, MIRROR_MAX_PER_SUBSET, distinct - MIRROR_MAX_PER_SUBSET);
	}
}

const struct rule rule_endpoints_over_capacity = {
	.id = "endpoints-over-capacity",
	.severity = SEVERITY_WARNING,
	.summary = "more than 1000 Endpoints addresses behind one set of ports, of which only 1000 are mirrored",
	.rationale = "kube-proxy reads only EndpointSlices.  The mirroring controller first merges the subsets "
		     "that have the same ports, then copies at most 1000 addresses per set of ports (ready ones "
		     "first, then in address order) and drops the rest with a TooManyAddressesToMirror event, "
		     "although the API server accepts any number: the dropped backends never receive traffic "
		     "through the Service, and splitting them into more subsets with the same ports does not "
		     "help.  Controller-made Endpoints are skipped: the endpoints controller truncates its own "
		     "output and marks it endpoints.kubernetes.io/over-capacity: truncated.",
	.fix = "write the backends as EndpointSlices labelled kubernetes.io/service-name, at most 1000 "
	       "endpoints per slice, and set endpointslice.kubernetes.io/skip-mirror: \"true\" on the Endpoints "
	       "or delete it.",
	.example = "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: storage-1\n"
		   "  namespace: data\n  labels:\n    kubernetes.io/service-name: storage\n"
		   "    endpointslice.kubernetes.io/managed-by: storage-team\naddressType: IPv4\nports:\n"
		   "- name: s3\n  port: 9000\nendpoints:\n- addresses:\n  - 10.20.0.1\n",
	.check_object = check_object,
	.kinds = RULE_KIND(KIND_ENDPOINTS),
};
