/* endpoints-over-capacity: more addresses behind one set of Endpoints ports than mirroring copies. */
#include "rule.h"
#include "backend.h"
#include "k8s.h"
#include "ports.h"

#include <stdlib.h>
#include <string.h>

/* MirroringMaxEndpointsPerSubset (endpointslicemirroring config defaults). */
#define MIRROR_MAX_PER_SUBSET 1000

/* Whether two port lists hold the same ports, in any order (RepackSubsets groups by them). */
static bool has_port(const struct node *ports, const struct node *port)
{
	long long a = 0, b = 0;
	unsigned int i;

	node_int(node_get(port, "port"), &a);
	for (i = 0; i < ports->count; i++) {
		const struct node *p = ports->u.items[i];

		b = 0;
		node_int(node_get(p, "port"), &b);
		if (a == b && strcmp(port_name(p), port_name(port)) == 0 &&
		    strcmp(port_protocol(p), port_protocol(port)) == 0)
			return true;
	}
	return false;
}

static bool same_ports(const struct node *a, const struct node *b)
{
	unsigned int i;

	/* No ports (headless) is a set of its own. */
	if (!node_is_seq(a) || !node_is_seq(b) || a->count == 0 || b->count == 0)
		return (node_is_seq(a) ? a->count : 0) == (node_is_seq(b) ? b->count : 0);
	for (i = 0; i < a->count; i++)
		if (!has_port(b, a->u.items[i]))
			return false;
	for (i = 0; i < b->count; i++)
		if (!has_port(a, b->u.items[i]))
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
	unsigned int i, j;

	/* The endpoints controller truncates its own output and says so in an annotation. */
	if (o->kind != KIND_ENDPOINTS || endpoints_is_controller_made(o) ||
	    !node_is_seq(subsets = node_get(o->root, "subsets")))
		return;
	for (i = 0; i < subsets->count; i++) {
		const struct node *ports = node_get(subsets->u.items[i], "ports");
		char **texts = NULL;
		size_t count = 0, capacity = 0, distinct = 0, k;
		unsigned int groups = 0;
		bool seen = false;

		if (!node_is_map(subsets->u.items[i]))
			continue;
		/* Each set of ports is counted once, at its first subset. */
		for (j = 0; j < i && !seen; j++)
			seen = node_is_map(subsets->u.items[j]) &&
			       same_ports(node_get(subsets->u.items[j], "ports"), ports);
		if (seen)
			continue;
		for (j = i; j < subsets->count; j++) {
			const struct node *subset = subsets->u.items[j];

			if (!node_is_map(subset) || !same_ports(node_get(subset, "ports"), ports))
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
